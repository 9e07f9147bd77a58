// The test side of the real-app fixture pages (test/fixtures/pages/apps/, issue #8): serves
// simple-peer's own browser bundle and the signalling mailbox, and drives `window.app` in a page.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll } from 'vitest';
import { createBed, type Bed, type Host, type IceServerConfig } from './bed';
import type { BrowserKind } from './browsers';
import { serveFixtures, type FixtureServer } from './fixture-server';
import { signalling, type Signalling } from './signalling';
import { repoRoot } from './sys';

const SIMPLE_PEER_DIR = join(repoRoot(), 'node_modules/simple-peer');
export const SIMPLE_PEER_VERSION = (JSON.parse(readFileSync(join(SIMPLE_PEER_DIR, 'package.json'), 'utf8')) as { version: string }).version;

/** Serves node_modules/simple-peer/simplepeer.min.js (the package's prebuilt browser bundle) at /apps/vendor/simplepeer.min.js. */
export function serveSimplePeer(...servers: FixtureServer[]): void {
  const body = readFileSync(join(SIMPLE_PEER_DIR, 'simplepeer.min.js'));
  for (const s of servers) {
    s.route('/apps/vendor/simplepeer.min.js', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' }).end(body);
    });
  }
}

export interface PairTypes {
  local: string | null;
  remote: string | null;
}

export interface AppPage {
  page: Page;
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

export interface AppBed {
  bed: Bed;
  /** A second host on the bed's LAN. */
  hostB: Host;
  serverA: FixtureServer;
  serverB: FixtureServer;
  sig: Signalling;
}

/**
 * The simple-peer files' setup, one for the whole file: the bed with TURN, a second LAN host, a
 * fixture server in each, the signalling mailbox on both, and simple-peer's bundle served.
 */
export function useAppBed(take: (a: AppBed) => void): void {
  let made: Partial<AppBed> = {};
  beforeAll(async () => {
    const bed = await createBed({ turn: true });
    made = { bed };
    const hostB = bed.addHost(20);
    const serverA = await serveFixtures(bed.lan.ns);
    made.serverA = serverA;
    const serverB = await serveFixtures(hostB.ns);
    made.serverB = serverB;
    const sig = signalling();
    made.sig = sig;
    sig.attach(serverA, serverB);
    serveSimplePeer(serverA, serverB);
    take({ bed, hostB, serverA, serverB, sig });
  });
  afterAll(() => {
    made.sig?.close();
    made.serverA?.close();
    made.serverB?.close();
    made.bed?.close();
  });
}
