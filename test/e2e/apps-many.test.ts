// Issue #8, scenario 4: many connections. One page opens 50 simple-peer connections at once to a
// page in a second browser (a swarm's worth), in two hosts of the bed's LAN, default mode, the bed's
// STUN/TURN, no LAN helper (so each goes through the relay). All 50 reach `connect` (data channel
// open) on both sides within 30 s, and neither page saw its own host's address.
// Rows go to dist/works-with/apps-many.json (docs/works-with.md).
import { afterAll, describe, expect, it } from 'vitest';
import { launch, type Bed, type BrowserKind, type FixtureServer, type Host, type RunningBrowser } from './harness';
import { BROWSER_NAMES, closeApp, openApp, openMany, ownAddressesSeen, pairText, SIMPLE_PEER_VERSION, useAppBed } from './harness/app-tools';
import type { Signalling } from './harness/signalling';
import { worksWith } from './harness/works-with';

const N = 50;
const LIMIT_MS = 30_000;
const rows = worksWith('apps-many.test.ts');
let bed: Bed;
let hostB: Host;
let serverA: FixtureServer;
let serverB: FixtureServer;
let sig: Signalling;
useAppBed((a) => ({ bed, hostB, serverA, serverB, sig } = a));



const COMBOS: [BrowserKind, BrowserKind][] = [['chromium', 'chromium'], ['firefox', 'chromium'], ['firefox', 'firefox']];
for (const [kindA, kindB] of COMBOS) {
  const browsers = `${BROWSER_NAMES[kindA]} ↔ ${BROWSER_NAMES[kindB]}`;
  describe(browsers, () => {
    const running: RunningBrowser[] = [];
    afterAll(async () => {
      for (const b of running) await b.close();
    });

    it(`${N} connections at once all open within ${LIMIT_MS / 1000} s, no own address seen`, async () => {
      const [a, b] = await Promise.all([launch(kindA, { host: bed.lan }), launch(kindB, { host: hostB })]);
      running.push(a, b);
      const room = `many-${kindA}-${kindB}`;
      const pa = await openApp(await a.browser.newPage(), `${serverA.origins[0]}/apps/many.html`, room, 'a', 'b');
      const pb = await openApp(await b.browser.newPage(), `${serverB.origins[0]}/apps/many.html`, room, 'b', 'a');
      try {
        const m = await openMany(pa, pb, { n: N, iceServers: bed.iceServers, limitMs: LIMIT_MS });
        const types = new Map<string, number>();
        for (const id of m.ids.slice(0, 5)) {
          const k = pairText(await pa.pair(id));
          types.set(k, (types.get(k) ?? 0) + 1);
        }
        const leaks = await ownAddressesSeen({ bed, hostB, sig }, pa, pb);
        const ok = m.opened[0] === N && m.opened[1] === N && !leaks.flat().length;
        rows.add({
          library: `simple-peer, ${N} connections at once`,
          version: SIMPLE_PEER_VERSION,
          browsers,
          mode: 'srflx-only',
          lanHelper: false,
          result: `${ok ? 'pass' : 'FAIL'}: ${m.opened[0]}/${N} and ${m.opened[1]}/${N} open, all in ${m.ms} ms; A (first 5) ${[...types].map(([k, n]) => `${n}× ${k}`).join(', ')}${leaks.flat().length ? `; LEAK ${leaks.flat().join(', ')}` : ''}`,
        });
        expect(m.opened, JSON.stringify(m.errors)).toEqual([N, N]);
        expect(leaks).toEqual([[], []]);
      } finally {
        await closeApp(pa);
        await closeApp(pb);
      }
    });
  });
}
