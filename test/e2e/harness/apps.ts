// The test side of the real-app fixture pages (test/fixtures/pages/apps/, issue #8): serves
// simple-peer's own browser bundle and the signalling mailbox, and drives `window.app` in a page.
// No Vitest here: the benchmarks (scripts/bench-apps.ts) use it too; the hook is in app-tools.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { createBed, type Bed, type Host, type IceServerConfig } from './bed';
import type { BrowserKind } from './browsers';
import { serveFixtures, type FixtureServer } from './fixture-server';
import { findAddresses } from './scan';
import { signalling, type Signalling } from './signalling';
import { repoRoot } from './sys';

/** An npm package's version and its prebuilt browser bundle, served at /apps/vendor/<bundle>. */
export function vendorBundle(pkg: string, bundle: string): { version: string; serve(...servers: FixtureServer[]): void } {
  const dir = join(repoRoot(), 'node_modules', pkg);
  const version = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  const serve = (...servers: FixtureServer[]) => {
    const body = readFileSync(join(dir, bundle));
    for (const s of servers) {
      s.route(`/apps/vendor/${bundle}`, (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' }).end(body);
      });
    }
  };
  return { version, serve };
}

const SIMPLE_PEER = vendorBundle('simple-peer', 'simplepeer.min.js');
export const SIMPLE_PEER_VERSION = SIMPLE_PEER.version;
/** Serves node_modules/simple-peer/simplepeer.min.js (the package's prebuilt browser bundle) at /apps/vendor/simplepeer.min.js. */
export const serveSimplePeer = SIMPLE_PEER.serve;

export interface PairTypes {
  local: string | null;
  remote: string | null;
}

export interface AppPage {
  page: Page;
  /** The signalling room and this page's name in it (`openApp`). */
  room: string;
  me: string;
  open(ids: string[], o: { initiator: boolean; iceServers: IceServerConfig[]; media?: boolean }): Promise<void>;
  waitConnected(timeoutMs: number): Promise<{ connected: number; total: number; lastMs: number; errors: Record<string, string> }>;
  sendBytes(id: string, total: number): Promise<{ sha: string; startedAt: number }>;
  receiveBytes(id: string, total: number, timeoutMs: number): Promise<{ bytes: number; sha: string; firstAt: number; lastAt: number }>;
  pair(id: string): Promise<PairTypes | null>;
  framesDecoded(id: string): Promise<number>;
  audioPackets(id: string): Promise<number>;
  seen(): Promise<string>;
  close(): Promise<void>;
}

type Api = Record<string, (...args: unknown[]) => Promise<unknown>>;

/** Opens `origin/apps/<file>` and joins signalling room `room` as `me`, talking to `other`. */
export async function openApp(page: Page, url: string, room: string, me: string, other: string): Promise<AppPage> {
  await page.goto(url);
  await page.waitForFunction(() => 'app' in window && 'SimplePeer' in window, { timeout: 10_000 });
  await page.evaluate((room, me, other) => (window as unknown as { app: Api }).app.join!(room, me, other), room, me, other);
  const call = <T>(name: string, ...args: unknown[]) =>
    page.evaluate((name, args) => (window as unknown as { app: Api }).app[name]!(...args), name, args) as Promise<T>;
  return {
    page,
    room,
    me,
    open: (ids, o) => call('open', ids, o),
    waitConnected: (ms) => call('waitConnected', ms),
    sendBytes: (id, total) => call('sendBytes', id, total),
    receiveBytes: (id, total, ms) => call('receiveBytes', id, total, ms),
    pair: (id) => call('pair', id),
    framesDecoded: (id) => call('framesDecoded', id),
    audioPackets: (id) => call('audioPackets', id),
    seen: () => call('seen'),
    close: () => call('close'),
  };
}

export const BROWSER_NAMES: Record<BrowserKind, string> = { chromium: 'Chromium', firefox: 'Firefox' };

/** `host ↔ prflx`, as the Works-with table writes a selected pair. */
export const pairText = (p: PairTypes | null): string => (p ? `${p.local} ↔ ${p.remote}` : 'none');
/** Several connections' selected pairs, each distinct one once (`host ↔ host, host ↔ prflx`). */
export const pairsText = (ps: PairTypes[]): string => [...new Set(ps.map(pairText))].join(', ') || 'none';

export interface AppBed {
  bed: Bed;
  /** A second host on the bed's LAN. */
  hostB: Host;
  serverA: FixtureServer;
  serverB: FixtureServer;
  sig: Signalling;
  close(): void;
}

/**
 * The simple-peer setup: the bed with TURN, a second LAN host, a fixture server in each, the
 * signalling mailbox on both, and simple-peer's bundle served. Closes what it made if it fails.
 */
export async function makeAppBed(): Promise<AppBed> {
  const made: Partial<AppBed> = {};
  const close = () => {
    made.sig?.close();
    made.serverA?.close();
    made.serverB?.close();
    made.bed?.close();
  };
  try {
    const bed = (made.bed = await createBed({ turn: true }));
    const hostB = bed.addHost(20);
    const serverA = (made.serverA = await serveFixtures(bed.lan.ns));
    const serverB = (made.serverB = await serveFixtures(hostB.ns));
    const sig = (made.sig = signalling());
    sig.attach(serverA, serverB);
    serveSimplePeer(serverA, serverB);
    return { bed, hostB, serverA, serverB, sig, close };
  } catch (err) {
    close();
    throw err;
  }
}

/**
 * The leak scan: A's own host's addresses (the bed's LAN host) in everything A's page saw, and B's
 * (host B) in B's. Everything each page saw, plus what the signalling server carried to it.
 */
export async function ownAddressesSeen(app: Pick<AppBed, 'bed' | 'hostB' | 'sig'>, pa: AppPage, pb: AppPage): Promise<[string[], string[]]> {
  const seen = async (p: AppPage) => (await p.seen()) + app.sig.carried(p.room, p.me).join('\n');
  return [findAddresses(await seen(pa), app.bed.lan.addresses), findAddresses(await seen(pb), app.hostB.addresses)];
}

/** Rejects with `what` after `ms` unless `p` settles first. */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

export interface Sent {
  connected: boolean;
  /** From `open` to `connect`, the later of the two sides. */
  connectMs: number;
  hashOk: boolean;
  /** From the sender's first write to the receiver's first byte. */
  ttfbMs: number;
  /** Bytes over the time from the sender's first write to the receiver's last byte. */
  mbps: number;
  pairs: [PairTypes | null, PairTypes | null];
}

export interface Opened {
  /** How many of the connections reached `connect` on A's side and on B's. */
  opened: [number, number];
  /** From `open` to the last `connect`, the later of the two sides. */
  ms: number;
  /** simple-peer's errors by connection, A's and B's. */
  errors: [Record<string, string>, Record<string, string>];
}

/** B answers, A offers the connections `ids` (`media`: with camera and microphone); waits for them at most `limitMs`. */
export async function connectAll(pa: AppPage, pb: AppPage, ids: string[], o: { iceServers: IceServerConfig[]; limitMs: number; media?: boolean }): Promise<Opened> {
  await pb.open(ids, { initiator: false, iceServers: o.iceServers, media: o.media });
  await pa.open(ids, { initiator: true, iceServers: o.iceServers, media: o.media });
  const [ca, cb] = await Promise.all([pa.waitConnected(o.limitMs), pb.waitConnected(o.limitMs)]);
  return { opened: [ca.connected, cb.connected], ms: Math.round(Math.max(ca.lastMs, cb.lastMs)), errors: [ca.errors, cb.errors] };
}

/**
 * B answers, A offers (connection `x`, `iceServers` on both), then A sends `size` random bytes and B
 * checks their SHA-256. Every wait is bounded (`limitMs` for connecting, `bytesMs`, by default
 * `limitMs` again, for the bytes).
 */
export async function sendBetween(pa: AppPage, pb: AppPage, o: { size: number; iceServers: IceServerConfig[]; limitMs: number; bytesMs?: number }): Promise<Sent> {
  const c = await connectAll(pa, pb, ['x'], o);
  const out: Sent = { connected: c.opened[0] === 1 && c.opened[1] === 1, connectMs: c.ms, hashOk: false, ttfbMs: NaN, mbps: NaN, pairs: [null, null] };
  if (!out.connected) return out;
  const bytesMs = o.bytesMs ?? o.limitMs;
  const receiving = pb.receiveBytes('x', o.size, bytesMs);
  const sent = await within(pa.sendBytes('x', o.size), bytesMs, 'sending');
  const got = await receiving;
  out.hashOk = got.bytes === o.size && got.sha === sent.sha;
  out.ttfbMs = got.firstAt - sent.startedAt;
  out.mbps = Math.round(((o.size * 8) / 1e6 / ((got.lastAt - sent.startedAt) / 1000)) * 10) / 10;
  out.pairs = [await pa.pair('x'), await pb.pair('x')];
  return out;
}

/** B answers, A offers `n` connections at once; how many opened on each side, and when the last did. */
export async function openMany(pa: AppPage, pb: AppPage, o: { n: number; iceServers: IceServerConfig[]; limitMs: number }): Promise<Opened & { ids: string[] }> {
  const ids = Array.from({ length: o.n }, (_, i) => `c${i}`);
  return { ids, ...(await connectAll(pa, pb, ids, o)) };
}

/** Ends the app in a page and closes the page, bounded (for `finally` blocks). */
export async function closeApp(p: AppPage): Promise<void> {
  await within(p.close(), 3000, 'app.close').catch(() => undefined);
  await p.page.close().catch(() => undefined);
}
