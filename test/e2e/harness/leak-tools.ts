// Helpers of the leak-catalogue tests (test/e2e/leaks-*.test.ts): run a scenario of
// test/fixtures/pages/lib/leaks.js in a browser under a setting (no extension, or the extension with a
// site mode), and judge what the page read against the promise of that mode (docs/design.md "Modes").
import type { Page } from 'puppeteer-core';
import type { Mode } from '../../../src/policy/mode';
import type { Bed } from './bed';
import { launch, type BrowserKind, type ExtensionBuild, type RunningBrowser } from './browsers';
import type { FixtureServer } from './fixture-server';
import { backgroundCall } from './page-tools';
import { findAddresses } from './scan';
import { Scope, spawnIn } from './sys';

/** What the `gather` scenario of leaks.js returns: every icecandidate path and the descriptions. */
export interface Gathered {
  events: Record<string, unknown[]>;
  descriptions: Record<string, unknown>;
  complete: boolean;
}

/** `control`: the browser without the extension; otherwise the extension with this site mode. */
export type Setting = 'control' | Mode;

/** The browser-generated form of host names (draft-ietf-rtcweb-mdns-ice-candidates §3.1.1). */
export const UUID_LOCAL = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.local$/i;
const UUID_LOCAL_IN_TEXT = /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.local/gi;

/** One browser of a kind without the extension and one with it, side by side. */
export interface BrowserPair {
  control: RunningBrowser;
  guarded: RunningBrowser;
  close(): Promise<void>;
}

/** `guarded`: the build the guarded browser loads (default the test build). */
export async function launchPair(kind: BrowserKind, bed: Bed, guarded: ExtensionBuild = 'test'): Promise<BrowserPair> {
  const [control, withExtension] = await Promise.allSettled([
    launch(kind, { host: bed.lan, extension: false }),
    launch(kind, { host: bed.lan, extension: guarded }),
  ]);
  if (control.status === 'rejected' || withExtension.status === 'rejected') {
    if (control.status === 'fulfilled') await control.value.close();
    if (withExtension.status === 'fulfilled') await withExtension.value.close();
    throw control.status === 'rejected' ? control.reason : (withExtension as PromiseRejectedResult).reason;
  }
  return {
    control: control.value,
    guarded: withExtension.value,
    close: async () => void (await Promise.all([control.value.close(), withExtension.value.close()])),
  };
}

/**
 * Opens `path` of `origin` in a new tab of the browser for `setting`. With the extension, the site's
 * mode is set first (the default mode, srflx-only, by clearing any decision) from a page of the same
 * server; it applies to documents loaded afterwards.
 */
const quiet = new WeakSet<object>();

export async function openPage(browsers: BrowserPair, setting: Setting, origin: string, path: string): Promise<Page> {
  const b = setting === 'control' ? browsers.control : browsers.guarded;
  const page = await b.browser.newPage();
  try {
    if (setting !== 'control') {
      await page.goto(`${origin}/leaks/blank.html`);
      if (!quiet.has(b)) {
        // No permission prompts in the leak tests: a prompt window is not what they test, and in
        // Firefox a window opening under WebDriver BiDi while a page is being opened can stall it.
        const off = await backgroundCall<{ ok?: boolean }>(page, { type: 'ui', request: { ui: 'set-setting', key: 'prompts', value: { rawHost: false, failed: false, firstUse: false } } });
        if (off?.ok !== true) throw new Error(`prompts off: ${JSON.stringify(off)}`);
        quiet.add(b);
      }
      const mode = setting === 'srflx-only' ? null : setting;
      const reply = await backgroundCall<{ ok?: boolean; error?: string }>(page, { type: 'set-site-mode', origin, mode });
      if (reply?.ok !== true) throw new Error(`set-site-mode ${origin} ${mode}: ${JSON.stringify(reply)}`);
    }
    await page.goto(`${origin}${path}`);
    await page.waitForFunction(() => 'leaks' in window, { timeout: 10_000 });
    return page;
  } catch (err) {
    await page.close().catch(() => undefined);
    throw err;
  }
}

/**
 * Calls `leaks[fn](...args)` of test/fixtures/pages/lib/leaks.js in the page, or the page's own
 * `pageScenarios[fn]` (each resolves to JSON).
 */
export async function callLeaks<T>(page: Page, fn: string, ...args: unknown[]): Promise<T> {
  type Scenarios = Record<string, ((...a: unknown[]) => Promise<string>) | undefined>;
  // Every wait inside the page is bounded; this bounds the rest (a promise the page never settles).
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`scenario ${fn} did not finish within ${SCENARIO_TIMEOUT_MS} ms`)), SCENARIO_TIMEOUT_MS);
  });
  const evaluated = page.evaluate(
    (fn, args) => {
      const w = window as unknown as { leaks: Scenarios; pageScenarios?: Scenarios };
      const scenario = w.leaks[fn] ?? w.pageScenarios?.[fn];
      if (!scenario) throw new Error(`no scenario ${fn} in this page`);
      return scenario(...args);
    },
    fn,
    args,
  );
  evaluated.catch(() => undefined); // still reported through the race; not unhandled once the limit won
  try {
    return JSON.parse(await Promise.race([evaluated, limit])) as T;
  } finally {
    clearTimeout(timer);
  }
}

/** The longest a scenario may take (the slowest gathers several times, each bounded in the page). */
const SCENARIO_TIMEOUT_MS = 90_000;

/** Opens a fixture page under `setting`, runs one scenario, closes the tab. */
export async function runScenario<T>(
  browsers: BrowserPair,
  server: FixtureServer,
  setting: Setting,
  fn: string,
  args: unknown[],
  opts: { origin?: 0 | 1; path?: string } = {},
): Promise<T> {
  const page = await openPage(browsers, setting, server.origins[opts.origin ?? 0], opts.path ?? '/leaks/index.html');
  try {
    return await callLeaks<T>(page, fn, ...args);
  } finally {
    await page.close().catch(() => undefined);
  }
}

/**
 * Every trace of the LAN host in anything a page read: its addresses in every spelling, and the
 * network prefixes alone (Chromium's icecandidateerror reports `198.51.100.x`).
 */
export function lanTraces(value: unknown, bed: Bed): string[] {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const found = findAddresses(text, bed.lan.addresses);
  const v4Prefix = bed.lan.v4.split('.').slice(0, 3).join('.') + '.';
  if (!found.includes(bed.lan.v4) && text.includes(v4Prefix)) found.push(`${v4Prefix}*`);
  // 2001:db8:10::/64 in compressed or padded spellings.
  if (!found.includes(bed.lan.v6) && /2001:0?db8:0{0,2}10:/i.test(text)) found.push('2001:db8:10::/64 prefix');
  return found;
}

/** A candidate line (RFC 8839 §5.1) found anywhere in what a page read. */
export interface CandidateLine {
  line: string;
  foundation: string;
  protocol: string;
  address: string;
  port: number;
  type: string;
  raddr?: string;
  rport?: number;
  /** Where it was found: a JSON path, e.g. `events.onicecandidate.0.candidate`. */
  at: string;
}

const CANDIDATE_RE =
  /candidate:([^\s"\\]+) (\d+) (udp|tcp) (\d+) ([0-9A-Za-z.:\-[\]]+) (\d+) typ (host|srflx|prflx|relay)(?: raddr ([0-9A-Za-z.:\-[\]]+) rport (\d+))?/gi;

/** Every candidate line in a value (event strings, toJSON, SDP a=candidate lines), with its path. */
export function candidateLines(value: unknown): CandidateLine[] {
  const out: CandidateLine[] = [];
  walk(value, (v, path) => {
    if (typeof v !== 'string') return;
    for (const m of v.matchAll(CANDIDATE_RE)) {
      out.push({
        line: m[0],
        foundation: m[1]!,
        protocol: m[3]!.toLowerCase(),
        address: m[5]!,
        port: Number(m[6]),
        type: m[7]!.toLowerCase(),
        ...(m[8] === undefined ? {} : { raddr: m[8], rport: Number(m[9]) }),
        at: path,
      });
    }
  });
  return out;
}

/** Calls `visit` on every value inside `value`, with a dotted path. */
export function walk(value: unknown, visit: (v: unknown, path: string) => void, path = ''): void {
  visit(value, path);
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) walk(v, visit, path ? `${path}.${k}` : k);
  }
}

/** Every `<uuid>.local` name in a value. */
export function mdnsNames(value: unknown): string[] {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return [...new Set([...text.matchAll(UUID_LOCAL_IN_TEXT)].map((m) => m[0].toLowerCase()))].sort();
}

/** The local candidate types in a value (candidate lines outside `remote` paths). */
export function localTypes(value: unknown): string[] {
  return [...new Set(candidateLines(value).filter((c) => !/remote/i.test(c.at)).map((c) => c.type))].sort();
}

const UNSPECIFIED = ['0.0.0.0', '::'];
const SCRUBBED_PORTS = [9, 0];

/** A candidate as an object: RTCIceCandidate fields read by leaks.js, or an RTCIceCandidateStats. */
interface CandidateRecord {
  type?: unknown;
  candidateType?: unknown;
  address?: unknown;
  ip?: unknown;
  relatedAddress?: unknown;
  relatedPort?: unknown;
}

function candidateRecords(value: unknown): Array<{ rec: CandidateRecord; kind: string; at: string }> {
  const out: Array<{ rec: CandidateRecord; kind: string; at: string }> = [];
  walk(value, (v, at) => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return;
    const rec = v as CandidateRecord;
    const isStats = rec.type === 'local-candidate' || rec.type === 'remote-candidate';
    const kind = isStats ? rec.candidateType : 'address' in rec && 'relatedAddress' in rec ? rec.type : undefined;
    if (typeof kind === 'string') out.push({ rec, kind, at: isStats ? `${at}(${rec.type})` : at });
  });
  return out;
}

/**
 * What breaks the promise of `mode` (srflx-only or relay-only) in what a page read, as readable
 * lines; [] when the page saw nothing it should not have: no local address anywhere, host candidates
 * only as `<uuid>.local` names, every raddr/rport scrubbed, and in relay-only only relay candidates and
 * not the mapped address either. Remote candidates (paths naming `remote`, remote-candidate stats) are
 * judged only for leaks, not for their type or form.
 */
export function modeViolations(value: unknown, mode: 'srflx-only' | 'relay-only', bed: Bed): string[] {
  const out = lanTraces(value, bed).map((a) => `local address ${a} visible`);
  if (mode === 'relay-only' && findAddresses(JSON.stringify(value), [bed.router.wanV4]).length) {
    out.push(`mapped (srflx) address ${bed.router.wanV4} visible`);
  }
  for (const c of candidateLines(value)) {
    const remote = /remote/i.test(c.at);
    if (mode === 'relay-only' && !remote && c.type !== 'relay') out.push(`${c.type} candidate at ${c.at}`);
    if (!remote && c.type === 'host' && !UUID_LOCAL.test(c.address)) out.push(`host candidate not named <uuid>.local at ${c.at}`);
    if (!remote && c.raddr !== undefined && (!UNSPECIFIED.includes(c.raddr) || !SCRUBBED_PORTS.includes(c.rport!))) {
      out.push(`raddr/rport not scrubbed at ${c.at}`);
    }
  }
  for (const { rec, kind, at } of candidateRecords(value)) {
    const remote = /remote/i.test(at);
    if (remote) continue;
    if (mode === 'relay-only' && kind !== 'relay') out.push(`${kind} candidate at ${at}`);
    for (const field of ['address', 'ip'] as const) {
      const a = rec[field];
      if (kind === 'host' && typeof a === 'string' && !UUID_LOCAL.test(a)) out.push(`host ${field} not a <uuid>.local name at ${at}`);
    }
    if (kind !== 'host') {
      const ra = rec.relatedAddress;
      const rp = rec.relatedPort;
      if (ra !== null && ra !== undefined && !UNSPECIFIED.includes(String(ra))) out.push(`relatedAddress not 0.0.0.0 or :: at ${at}`);
      if (rp !== null && rp !== undefined && !SCRUBBED_PORTS.includes(Number(rp))) out.push(`relatedPort not 9 or 0 at ${at}`);
    }
  }
  return summarize(out);
}

/** Collapses list indices in paths (`events.onicecandidate.3` -> `.*`) and repeats, so a failure reads short. */
function summarize(lines: string[], max = 60): string[] {
  const unique = [...new Set(lines.map((l) => l.replace(/ at (.+)$/, (_, at: string) => ` at ${at.replace(/\.\d+(?=\.|\(|$)/g, '.*')}`)))];
  return unique.length > max ? [...unique.slice(0, max), `... and ${unique.length - max} more`] : unique;
}

/** Per key of `paths`, the LAN addresses found in it: the control shows that each path reveals them. */
export function tracesPerPath(paths: Record<string, unknown>, bed: Bed): Record<string, string[]> {
  return Object.fromEntries(Object.entries(paths).map(([k, v]) => [k, findAddresses(JSON.stringify(v), bed.lan.addresses)]));
}

/** UDP sockets in a namespace that record every datagram sent to them (ICE checks, STUN, TURN). */
export interface UdpListener {
  /** `address:port` (IPv6 in brackets) of each socket, in the order asked for. */
  endpoints: Array<{ address: string; port: number }>;
  /** Datagrams received so far: to which socket, from where, and whether it looks like STUN/TURN. */
  packets(): Array<{ to: string; from: string; stun: boolean }>;
  close(): void;
}

const UDP_LISTENER = `
const dgram = require('node:dgram');
process.argv.slice(1).forEach((address, i) => {
  const s = dgram.createSocket(address.includes(':') ? 'udp6' : 'udp4');
  s.on('message', (m, r) => console.log('packet ' + address + ' ' + s.address().port + ' ' + r.address + ' ' + r.port + ' ' + (m.length >= 20 && m[0] < 0x40 ? 'stun' : 'other')));
  s.bind(0, address, () => console.log('ready ' + i + ' ' + s.address().port));
});
process.on('SIGTERM', () => process.exit(0));
`;

/** Binds one UDP socket per address inside namespace `ns` (a process we own, ended by its PID). */
export async function listenUdp(ns: string, addresses: string[]): Promise<UdpListener> {
  const scope = new Scope();
  try {
    const proc = spawnIn(ns, process.execPath, ['-e', UDP_LISTENER, ...addresses], { scope, label: 'udp listener' });
    const endpoints: Array<{ address: string; port: number }> = [];
    for (const [i, address] of addresses.entries()) {
      const [, port] = await proc.waitFor(new RegExp(`^ready ${i} (\\d+)$`, 'm'), 10_000);
      endpoints.push({ address, port: Number(port) });
    }
    return {
      endpoints,
      packets: () =>
        [...proc.output().matchAll(/^packet (\S+) (\d+) (\S+) (\d+) (\w+)$/gm)].map((m) => ({
          to: `${m[1]}:${m[2]}`,
          from: `${m[3]}:${m[4]}`,
          stun: m[5] === 'stun',
        })),
      close: () => scope.close(),
    };
  } catch (err) {
    scope.close();
    throw err;
  }
}

