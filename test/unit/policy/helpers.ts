// Shared test helpers: deterministic randomness, fixture loading, and an independent "does this address appear" oracle.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { ConnectionContext, NameAllocator, type RandomSource } from '../../../src/policy/index';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const FIXTURES = join(ROOT, 'test/fixtures/policy');
export const BROWSER_OUTPUT = join(ROOT, 'test/fixtures/browser-output');

/** Deterministic random source (xorshift32), so every run of the suite sees the same names and foundations. */
export function prng(seed = 0x9e3779b9): RandomSource {
  let s = seed >>> 0 || 1;
  return (bytes: Uint8Array) => {
    for (let i = 0; i < bytes.length; i++) {
      s ^= s << 13;
      s >>>= 0;
      s ^= s >>> 17;
      s ^= s << 5;
      s >>>= 0;
      bytes[i] = s & 255;
    }
  };
}

export function newContext(seed?: number): ConnectionContext {
  const random = prng(seed);
  return new ConnectionContext(new NameAllocator(random), random);
}

export interface Capture {
  readonly browser: string;
  readonly candidates: readonly string[];
  readonly sdps: readonly string[];
  readonly hostAddresses: readonly string[];
  readonly source: string;
}

function readCaptures(dir: string): Capture[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'sdp-cases.json')
    .sort()
    .map((f) => {
      const j = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Omit<Capture, 'source'>;
      expect(Array.isArray(j.candidates) && Array.isArray(j.sdps) && Array.isArray(j.hostAddresses), `${f} has the capture format`).toBe(true);
      return { ...j, source: join(dir, f) };
    });
}

export interface SdpCase {
  readonly file: string;
  readonly browser: string;
  readonly hostAddresses: readonly string[];
  /** As browsers emit it: CRLF. */
  readonly sdp: string;
}

export const crlf = (lf: string): string => lf.replace(/\n/g, '\r\n');

export function sdpCases(): SdpCase[] {
  const j = JSON.parse(readFileSync(join(FIXTURES, 'sdp-cases.json'), 'utf8')) as { cases: Omit<SdpCase, 'sdp'>[] };
  return j.cases.map((c) => ({ ...c, sdp: crlf(readFileSync(join(FIXTURES, 'sdp', c.file), 'utf8')) }));
}

export function sdpCase(file: string): SdpCase {
  const c = sdpCases().find((x) => x.file === file);
  if (!c) throw new Error('no fixture ' + file);
  return c;
}

/** Our own captures plus the hand-written SDPs as captures, then any real captures under test/fixtures/browser-output/. */
export function allCaptures(): { own: Capture[]; browserOutput: Capture[] } {
  const own = readCaptures(FIXTURES);
  for (const c of sdpCases()) own.push({ browser: c.browser, candidates: [], sdps: [c.sdp], hostAddresses: c.hostAddresses, source: c.file });
  return { own, browserOutput: readCaptures(BROWSER_OUTPUT) };
}

/**
 * Canonical form of an IP address by the WHATWG URL parser (Node's), independent of src/policy:
 * IPv6 compressed lower case, IPv4-mapped as `::ffff:hhhh:hhhh`. Strict forms only: dotted quads with
 * four parts, or anything with a colon.
 */
export function urlCanonical(token: string): string | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(token);
  try {
    if (v4) {
      if (v4.slice(1).some((p) => (p.length > 1 && p[0] === '0') || +p > 255)) return undefined;
      const h = new URL('http://' + token).hostname;
      // Compare IPv4 and IPv4-mapped IPv6 alike.
      const [a, b, c, d] = h.split('.').map(Number) as [number, number, number, number];
      return new URL(`http://[::ffff:${(a * 256 + b).toString(16)}:${(c * 256 + d).toString(16)}]`).hostname;
    }
    if (token.includes(':')) return new URL('http://[' + token + ']').hostname;
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * Every host address that appears in `text` as a token: a run of hex digits, ':' and '.' (or that run
 * without one leading/trailing ':' or '.'), or a run of digits and dots inside it, that the URL parser
 * reads as that address. Unspecified addresses are never "host addresses".
 */
export function leakedHostAddresses(text: string, hosts: readonly string[]): string[] {
  const wanted = new Map<string, string>();
  for (const h of hosts) {
    const c = urlCanonical(h);
    if (c === undefined) throw new Error('test host address is not an address: ' + h);
    wanted.set(c, h);
  }
  const found = new Set<string>();
  const check = (t: string) => {
    const c = urlCanonical(t);
    if (c !== undefined && wanted.has(c)) found.add(wanted.get(c) as string);
  };
  for (const m of text.matchAll(/[0-9A-Fa-f:.]+/g)) {
    const run = m[0];
    check(run);
    check(run.replace(/^[:.](?![:.])/, '').replace(/(?<![:.])[:.]$/, ''));
    for (const d of run.matchAll(/[0-9.]+/g)) check(d[0].replace(/^\.+|\.+$/g, ''));
  }
  return [...found];
}

/** Spellings of one address that a browser or a hostile generator might use. */
export function spellings(address: string): string[] {
  const canon = urlCanonical(address);
  if (canon === undefined) throw new Error('not an address: ' + address);
  const inner = canon.slice(1, -1);
  const groups = expandGroups(inner);
  const out = new Set<string>();
  const isV4 = /^\d+\.\d+\.\d+\.\d+$/.test(address);
  if (isV4) {
    out.add(address);
    out.add('::ffff:' + address);
    out.add('::FFFF:' + address);
    out.add('0:0:0:0:0:ffff:' + address);
    out.add('0000:0000:0000:0000:0000:ffff:' + address);
  }
  out.add(inner);
  out.add(inner.toUpperCase());
  out.add(groups.map((g) => g.padStart(4, '0')).join(':'));
  out.add(groups.join(':'));
  return [...out];
}

function expandGroups(v6: string): string[] {
  const [head, tail] = v6.includes('::') ? v6.split('::') as [string, string] : [v6, undefined];
  const h = head === '' ? [] : head.split(':');
  if (tail === undefined) return h;
  const t = tail === '' ? [] : tail.split(':');
  return [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
}
