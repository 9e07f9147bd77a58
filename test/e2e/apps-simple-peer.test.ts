// Issue #8, scenario 1: an app on simple-peer (npm `simple-peer`, its own prebuilt browser bundle)
// keeps working under IceGuard's default mode. Two browsers in two hosts of the bed's LAN, each page
// signalling through a tiny signalling server (harness/signalling.ts); 8 MiB go over the data channel
// in 16 KiB chunks (simple-peer's backpressure: it holds writes while bufferedAmount > 64 KiB) and the
// receiver checks their SHA-256.
//   (a) both browsers with IceGuard and the LAN helper: they connect host ↔ host, through the names;
//   (b) no helper, behind the NAT with the bed's STUN/TURN: they connect through the relay (the NAT
//       does not hairpin, so srflx ↔ srflx cannot work here; a relay on one end is the path);
//   (c) `relay-only` on both (the browsers of (b)): the selected local candidate is relay on both sides.
// In each, everything a page saw (signals both ways, getStats, simple-peer's address fields) holds
// none of its own host's addresses. (The bed's documentation addresses count as public for the
// policy, so the *other* host's address may show as a remote candidate; only a page's own is a leak.)
// Each case adds a row to dist/works-with/apps-simple-peer.json (docs/works-with.md).
import { afterAll, describe, expect, it } from 'vitest';
import { backgroundCall, launch, type Bed, type BrowserKind, type FixtureServer, type Host, type RunningBrowser } from './harness';
import { BROWSER_NAMES, closeApp, openApp, ownAddressesSeen, pairText, sendBetween, SIMPLE_PEER_VERSION, useAppBed, type PairTypes, type Sent } from './harness/app-tools';
import { launchWithHelper } from './harness/lan-helper';
import type { Signalling } from './harness/signalling';
import { Scope } from './harness/sys';
import { worksWith } from './harness/works-with';

const SIZE = 8 * 1024 * 1024;
const rows = worksWith('apps-simple-peer.test.ts');
const scope = new Scope();
let bed: Bed;
let hostB: Host;
let serverA: FixtureServer;
let serverB: FixtureServer;
let sig: Signalling;
let rooms = 0;
useAppBed((a) => ({ bed, hostB, serverA, serverB, sig } = a));
afterAll(() => scope.close());



/**
 * A browser with IceGuard, with the LAN helper when `helper`. `rawHostIps: false` leaves Firefox's own
 * host obfuscation on (its default): measured, only then does Firefox run its mDNS resolver at all,
 * so only then can it look up the names a LAN helper answers for.
 */
function start(kind: BrowserKind, host: Host, helper: boolean, rawHostIps = true): Promise<RunningBrowser> {
  return helper ? launchWithHelper(kind, { host, rawHostIps }, scope) : launch(kind, { host });
}

/** Sets the site mode of `origin` in browser `b` (test bridge), before the app's page loads. */
async function setMode(b: RunningBrowser, server: FixtureServer, origin: string, mode: string): Promise<void> {
  const page = await b.browser.newPage();
  await page.goto(`${server.origins[0]}/peer.html`);
  await backgroundCall(page, { type: 'set-site-mode', origin, mode });
  await page.close();
}

interface Transfer extends Sent {
  leaks: [string[], string[]];
}

/** A (in the LAN host) and B (host 20) open `apps/simple-peer.html` on origin `which`; A offers and sends 8 MiB. */
async function transfer(a: RunningBrowser, b: RunningBrowser, which: 0 | 1): Promise<Transfer> {
  const room = `sp${rooms++}`;
  const pa = await openApp(await a.browser.newPage(), `${serverA.origins[which]}/apps/simple-peer.html`, room, 'a', 'b');
  const pb = await openApp(await b.browser.newPage(), `${serverB.origins[which]}/apps/simple-peer.html`, room, 'b', 'a');
  try {
    const sent = await sendBetween(pa, pb, { size: SIZE, iceServers: bed.iceServers, limitMs: 15_000, bytesMs: 30_000 });
    return { ...sent, leaks: await ownAddressesSeen({ bed, hostB, sig }, pa, pb) };
  } finally {
    await closeApp(pa);
    await closeApp(pb);
  }
}

const path = pairText;
const result = (t: Transfer, ok: boolean) =>
  `${ok ? 'pass' : 'FAIL'}: ${t.connected ? `${t.hashOk ? '8 MiB, hash ok' : 'hash WRONG'}; A ${path(t.pairs[0])}, B ${path(t.pairs[1])}` : 'no connection in 15 s'}${t.leaks.flat().length ? `; LEAK ${t.leaks.flat().join(', ')}` : ''}`;

// Measured (2026-11-24, Firefox ESR 153, this bed): Firefox sends no mDNS query at all for a remote
// `.local` candidate when its own host obfuscation (media.peerconnection.ice.obfuscate_host_addresses)
// is off, which is how the harness makes it hand pages raw addresses by default. With obfuscation on
// (Firefox's default), it asks, takes the helper's answer, and connects (checked with a hand-made
// responder: binding requests reach the answered address). So in Firefox ↔ Firefox (a), B runs as
// Firefox does by default (its own candidates are Firefox's names, which IceGuard leaves as they are),
// and resolves A's IceGuard names through A's helper; A, with obfuscation off, cannot resolve B's
// and learns B as peer-reflexive.

const COMBOS: [BrowserKind, BrowserKind][] = [['chromium', 'chromium'], ['firefox', 'chromium'], ['firefox', 'firefox']];
for (const [kindA, kindB] of COMBOS) {
  const browsers = `${BROWSER_NAMES[kindA]} ↔ ${BROWSER_NAMES[kindB]}`;
  describe(`${browsers}`, () => {
    let a: RunningBrowser | undefined;
    let b: RunningBrowser | undefined;
    const stop = async () => {
      await a?.close();
      await b?.close();
      a = b = undefined;
    };
    afterAll(stop);

    it('(a) srflx-only, both with the LAN helper: host ↔ host through the names, 8 MiB intact, no own address seen', async () => {
      [a, b] = await Promise.all([start(kindA, bed.lan, true), start(kindB, hostB, true, kindB !== 'firefox')]);
      const t = await transfer(a, b, 0);
      // Both ends use their host sockets (a direct LAN path), and at least one end knows the other's
      // *host* candidate, which it can only have by resolving a name through the helper
      // (Chromium ↔ Chromium: host ↔ host on both ends, required exactly below). Firefox in A lists
      // Chromium's end as peer-reflexive: with its obfuscation off it resolves no names, so it learns Chromium's address from Chromium's checks, which
      // Chromium sends after resolving Firefox's name through the helper in A (see the note above COMBOS).
      const direct = t.pairs.every((p) => p?.local === 'host' && (p.remote === 'host' || p.remote === 'prflx')) && t.pairs.some((p) => p?.remote === 'host');
      const ok = t.connected && t.hashOk && direct && !t.leaks.flat().length;
      rows.add({ library: 'simple-peer', version: SIMPLE_PEER_VERSION, browsers, mode: 'srflx-only', lanHelper: true, result: result(t, ok), ttfbMs: t.ttfbMs, mbps: t.mbps });
      expect(t.connected).toBe(true);
      expect(t.hashOk).toBe(true);
      if (kindA === 'chromium' && kindB === 'chromium') expect(t.pairs).toEqual([{ local: 'host', remote: 'host' }, { local: 'host', remote: 'host' }]);
      expect(direct, JSON.stringify(t.pairs)).toBe(true);
      expect(t.leaks).toEqual([[], []]);
      await stop();
    });

    it('(b) srflx-only without the helper, behind the NAT with TURN: through the relay, 8 MiB intact, no own address seen', async () => {
      await stop();
      [a, b] = await Promise.all([start(kindA, bed.lan, false), start(kindB, hostB, false)]);
      const t = await transfer(a, b, 0);
      const viaServer = (p: PairTypes | null) => !!p && p.local !== null && [p.local, p.remote].some((x) => x === 'relay' || x === 'srflx');
      const ok = t.connected && t.hashOk && t.pairs.every(viaServer) && !t.leaks.flat().length;
      rows.add({ library: 'simple-peer', version: SIMPLE_PEER_VERSION, browsers, mode: 'srflx-only', lanHelper: false, result: result(t, ok), ttfbMs: t.ttfbMs, mbps: t.mbps });
      expect(t.connected).toBe(true);
      expect(t.hashOk).toBe(true);
      expect(t.pairs.every(viaServer), JSON.stringify(t.pairs)).toBe(true);
      expect(t.leaks).toEqual([[], []]);
    });
    it('(c) relay-only on both (same browsers as (b)): relay, 8 MiB intact, no own address seen', async () => {
      if (!a || !b) [a, b] = await Promise.all([start(kindA, bed.lan, false), start(kindB, hostB, false)]);
      await setMode(a, serverA, serverA.origins[1], 'relay-only');
      await setMode(b, serverB, serverB.origins[1], 'relay-only');
      const t = await transfer(a, b, 1);
      const ok = t.connected && t.hashOk && t.pairs.every((p) => p?.local === 'relay') && !t.leaks.flat().length;
      rows.add({ library: 'simple-peer', version: SIMPLE_PEER_VERSION, browsers, mode: 'relay-only', lanHelper: false, result: result(t, ok), ttfbMs: t.ttfbMs, mbps: t.mbps });
      expect(t.connected).toBe(true);
      expect(t.hashOk).toBe(true);
      expect(t.pairs.map((p) => p?.local)).toEqual(['relay', 'relay']);
      expect(t.leaks).toEqual([[], []]);
    });

  });
}
