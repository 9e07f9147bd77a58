// Issue #8, scenario 2: WebTorrent (npm `webtorrent`, its own prebuilt browser bundle) keeps working
// under IceGuard's default mode. A WebSocket tracker (npm `bittorrent-tracker`, harness/tracker.mjs)
// runs "on the internet", on the bed's WAN host next to coturn; the page in the LAN host seeds 4 MiB of
// random bytes made in the page, the page in host 20 downloads them by the magnet URI the test hands
// over, and checks their SHA-256.
//   (a) both browsers with IceGuard and the LAN helper, no STUN/TURN at all: the only way to connect
//       is host ↔ host through IceGuard's names, which the helpers answer;
//   (b) no helper, with the bed's STUN/TURN: through the relay (the bed's NAT does not hairpin, so
//       srflx ↔ srflx cannot work; a relay on one end is the path).
// Each with a Chromium and with a Firefox seeder; the downloader is Chromium.
// In each, everything a page saw (the tracker's messages both ways, every connection's candidates,
// descriptions and getStats, WebTorrent's peer addresses, the magnet) holds none of its own host's
// addresses. (The bed's documentation addresses count as public for the policy, so the *other* host's
// address may show as a remote candidate; only a page's own is a leak.)
// Control (run by hand, 2026-11-24): the same (b) without IceGuard finds both pages' own addresses,
// IPv4 and IPv6, in what they saw, and connects host ↔ host.
// Each case adds a row to dist/works-with/apps-webtorrent.json (docs/works-with.md).
//
// Versions: webtorrent 1.9.7 with bittorrent-tracker 9.19.0 (its own tracker line). WebTorrent 2.x
// (2.8.5, the last for Node < 22) cannot be installed without network access to GitHub: it depends on
// ip-set 3.0.0, whose published package runs `npx only-allow pnpm` at preinstall
// (https://github.com/transitive-bullshit/ip-set/issues/15), and, through @thaunknown/simple-peer and
// webrtc-polyfill, on node-datachannel, whose install downloads a prebuilt binary from GitHub or builds
// it with cmake. Measured here (2026-11-24): `npm install webtorrent@2.8.5` fails on both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAddresses, launch, type Bed, type BrowserKind, type FixtureServer, type Host, type IceServerConfig, type RunningBrowser } from './harness';
import { BROWSER_NAMES, pairsText, useAppBed, type PairTypes } from './harness/app-tools';
import { launchWithHelper } from './harness/lan-helper';
import { Scope } from './harness/sys';
import { closeTorrentApp, openTorrentApp, reachTracker, seedAndDownload, serveWebTorrent, startTracker, torrentCall, WEBTORRENT_VERSION, type Shared } from './harness/webtorrent-app';
import { worksWith, type WorksWithRow } from './harness/works-with';

const SIZE = 4 * 1024 * 1024;
const rows = worksWith('apps-webtorrent.test.ts');
const scope = new Scope();
let bed: Bed;
let hostB: Host;
let serverA: FixtureServer;
let serverB: FixtureServer;
let announce: string[];
useAppBed((a) => ({ bed, hostB, serverA, serverB } = a));
beforeAll(async () => {
  serveWebTorrent(serverA, serverB);
  announce = await startTracker(bed, scope);
});
afterAll(() => scope.close());

/**
 * Launches a browser with IceGuard and, with `helper`, the LAN helper installed as `npm run helper -- install` does;
 * either way able to reach the tracker at its IP address (`reachTracker`: why, and what was measured).
 */
function start(kind: BrowserKind, host: Host, helper: boolean): Promise<RunningBrowser> {
  const opts = { host, ...reachTracker(bed) };
  return helper ? launchWithHelper(kind, opts, scope) : launch(kind, opts);
}

interface Share extends Shared {
  seen: [string, string];
  leaks: [string[], string[]];
}

/** A (LAN host) seeds 4 MiB, B (host 20) downloads them by magnet URI; both pages use `iceServers`. */
async function share(a: RunningBrowser, b: RunningBrowser, iceServers: IceServerConfig[]): Promise<Share> {
  const pa = await openTorrentApp(a, serverA.origins[0]);
  const pb = await openTorrentApp(b, serverB.origins[0]);
  try {
    const s = await seedAndDownload(pa, pb, { size: SIZE, announce, iceServers, timeoutMs: 20_000 });
    const seen: [string, string] = [await torrentCall<string>(pa, 'seen'), await torrentCall<string>(pb, 'seen')];
    return { ...s, seen, leaks: [findAddresses(seen[0], bed.lan.addresses), findAddresses(seen[1], hostB.addresses)] };
  } finally {
    await closeTorrentApp(pa);
    await closeTorrentApp(pb);
  }
}

const path = pairsText;
function result(s: Share, ok: boolean): string {
  const what = s.got.done
    ? `${s.hashOk ? '4 MiB, hash ok' : 'hash WRONG'}; seeder ${path(s.pairs[0])}, downloader ${path(s.pairs[1])}`
    : `not done in 20 s (${Math.round(s.got.progress * 100)} %, ${s.got.peers} peers${s.got.errors.length ? `, ${s.got.errors.join('; ')}` : ''})`;
  return `${ok ? 'pass' : 'FAIL'}: ${what}${s.leaks.flat().length ? `; LEAK ${s.leaks.flat().join(', ')}` : ''}`;
}
function addRow(browsers: string, lanHelper: boolean, s: Share, ok: boolean): void {
  // completionMs: from adding the magnet URI to WebTorrent's `done` (tracker, connection and 4 MiB).
  const row: WorksWithRow & { completionMs: number } = { library: 'webtorrent', version: WEBTORRENT_VERSION, browsers, mode: 'srflx-only', lanHelper, result: result(s, ok), completionMs: s.got.ms };
  rows.add(row);
}

/** A `.local` host candidate: the page's candidates were captured, and IceGuard had renamed them. */
const NAMED_HOST = / [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.local \d+ typ host/;
const viaServer = (p: PairTypes) => p.local !== null && [p.local, p.remote].some((x) => x === 'relay' || x === 'srflx');

for (const helper of [true, false]) {
  const how = helper ? 'both with the LAN helper, no STUN/TURN' : 'without the helper, with TURN';
  const iceServers = () => (helper ? [] : bed.iceServers);
  // (a) host ↔ host through the names (there is no server to go through); (b) a relay on one end at least.
  // A Firefox seeder sees the Chromium downloader as peer-reflexive: it runs with its host obfuscation off
  // (how the harness makes it hand out raw addresses), and then Firefox resolves no `.local` names at all
  // (measured; see apps-simple-peer), so it learns the downloader's LAN address from the checks the
  // downloader sends once *it* resolved the seeder's name. Still host ↔ host on the wire.
  const pathOk = (kindA: BrowserKind, side: 0 | 1) => (p: PairTypes) =>
    helper ? p.local === 'host' && (p.remote === 'host' || (kindA === 'firefox' && side === 0 && p.remote === 'prflx')) : viaServer(p);
  const expected = helper ? '4 MiB intact host ↔ host through the names' : '4 MiB intact through the relay';

  describe(`srflx-only, ${how}`, () => {
    let a: RunningBrowser | undefined;
    let b: RunningBrowser | undefined;
    afterAll(async () => {
      await a?.close();
      await b?.close();
    });

    for (const kindA of ['chromium', 'firefox'] as const) {
      const browsers = `${BROWSER_NAMES[kindA]} ↔ Chromium`;
      it(`${helper ? '(a)' : '(b)'} ${browsers} (seeder ↔ downloader): ${expected}, no own address seen`, async () => {
        await a?.close();
        [a, b] = await Promise.all([start(kindA, bed.lan, helper), b ?? start('chromium', hostB, helper)]);
        const s = await share(a, b, iceServers());
        const pathsOk = s.pairs.every((ps, side) => ps.length > 0 && ps.every(pathOk(kindA, side as 0 | 1)));
        addRow(browsers, helper, s, s.hashOk && pathsOk && !s.leaks.flat().length);
        expect(s.got.done, JSON.stringify(s.got)).toBe(true);
        expect(s.hashOk).toBe(true);
        expect(pathsOk, JSON.stringify(s.pairs)).toBe(true);
        // The pages' candidates were captured, and IceGuard had renamed their host candidates.
        expect(s.seen[0]).toMatch(NAMED_HOST);
        expect(s.seen[1]).toMatch(NAMED_HOST);
        expect(s.leaks).toEqual([[], []]);
      });
    }
  });
}
