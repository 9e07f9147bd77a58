// The test side of the WebTorrent fixture page (test/fixtures/pages/apps/webtorrent.html, issue #8):
// serves WebTorrent's own browser bundle, runs a WebSocket tracker "on the internet" (tracker.mjs on
// the bed's WAN host), and drives `window.app` in a seeding and a downloading page. No Vitest here:
// the benchmarks (scripts/bench-apps.ts) use it too.
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import type { Bed, IceServerConfig } from './bed';
import type { LaunchOptions, RunningBrowser } from './browsers';
import { vendorBundle, type PairTypes } from './apps';
import { repoRoot, Scope, spawnIn } from './sys';

const WEBTORRENT = vendorBundle('webtorrent', 'webtorrent.min.js');
export const WEBTORRENT_VERSION = WEBTORRENT.version;
/** Serves node_modules/webtorrent/webtorrent.min.js at /apps/vendor/webtorrent.min.js. */
export const serveWebTorrent = WEBTORRENT.serve;

/** Starts the tracker on the bed's WAN host (ended with `scope`); its announce URLs. */
export async function startTracker(bed: Bed, scope: Scope): Promise<string[]> {
  const tracker = spawnIn(bed.wan.ns, process.execPath, [join(repoRoot(), 'test/e2e/harness/tracker.mjs'), bed.wan.v4], { scope, label: 'tracker' });
  const [, port] = await tracker.waitFor(/^ready (\d+)$/m, 10_000);
  return [`ws://${bed.wan.v4}:${port}`];
}

/**
 * Launch options that let a page reach the tracker at its IP address. The harness makes every name
 * resolve nowhere, and both browsers apply that to IP literals too (measured: the WebSocket to
 * ws://203.0.113.2 fails at once): Chromium's `--host-resolver-rules` (given again, with the tracker's
 * address excluded; the last copy of a switch wins) and Firefox's `network.dns.forceResolve=127.0.0.1`
 * (cleared: inside the namespace names still resolve nowhere, its resolv.conf points at 127.0.0.1,
 * where nothing answers).
 */
export function reachTracker(bed: Bed): Pick<LaunchOptions, 'chromiumArgs' | 'firefoxPrefs'> {
  return {
    chromiumArgs: [`--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE *.local, EXCLUDE ${bed.wan.v4}`],
    firefoxPrefs: { 'network.dns.forceResolve': '' },
  };
}

export interface Downloaded {
  done: boolean;
  /** From adding the magnet URI to WebTorrent's `done` (tracker, connection and the bytes). */
  ms: number;
  bytes: number;
  sha: string;
  progress: number;
  peers: number;
  errors: string[];
}

type Api = Record<string, (...args: unknown[]) => Promise<unknown>>;
export const torrentCall = <T>(page: Page, name: string, ...args: unknown[]) =>
  page.evaluate((name, args) => (window as unknown as { app: Api }).app[name]!(...args), name, args) as Promise<T>;

/** Opens `origin/apps/webtorrent.html` in a new page of `b`. */
export async function openTorrentApp(b: RunningBrowser, origin: string): Promise<Page> {
  const page = await b.browser.newPage();
  await page.goto(`${origin}/apps/webtorrent.html`);
  await page.waitForFunction(() => 'app' in window && 'WebTorrent' in window, { timeout: 10_000 });
  return page;
}

export interface Shared {
  got: Downloaded;
  hashOk: boolean;
  /** Selected pairs of every connection up, seeder's and downloader's. */
  pairs: [PairTypes[], PairTypes[]];
}

/** Page `pa` seeds `size` random bytes, page `pb` downloads them by magnet URI (bounded by `timeoutMs`). */
export async function seedAndDownload(pa: Page, pb: Page, o: { size: number; announce: string[]; iceServers: IceServerConfig[]; timeoutMs: number }): Promise<Shared> {
  const seeded = await torrentCall<{ magnetURI: string; sha: string }>(pa, 'seed', { size: o.size, announce: o.announce, iceServers: o.iceServers });
  const got = await torrentCall<Downloaded>(pb, 'download', { magnetURI: seeded.magnetURI, announce: o.announce, iceServers: o.iceServers, timeoutMs: o.timeoutMs });
  const pairs: [PairTypes[], PairTypes[]] = [await torrentCall<PairTypes[]>(pa, 'pairs'), await torrentCall<PairTypes[]>(pb, 'pairs')];
  return { got, hashOk: got.done && got.bytes === o.size && got.sha === seeded.sha, pairs };
}

/** Destroys the WebTorrent client in `page` (bounded) and closes the page. */
export async function closeTorrentApp(page: Page): Promise<void> {
  await Promise.race([torrentCall(page, 'close'), new Promise((r) => setTimeout(r, 3000))]).catch(() => undefined);
  await page.close().catch(() => undefined);
}
