// Issue #8, scenario 3: a call. Two pages on simple-peer, each with the fake camera and microphone
// (`getUserMedia`: Chromium's harness flags, Firefox's `media.navigator.streams.fake`), in two hosts
// of the bed's LAN, default mode, the bed's STUN/TURN, no LAN helper. Audio and video flow both ways:
// on each side inbound-rtp video `framesDecoded` grows over 2 s and audio packets arrive. A page
// holding camera permission is exactly when the browser would hand it raw host addresses (Chromium
// drops its mDNS names, Firefox its obfuscation), so the leak scan matters most here: neither page
// saw its own host's address in signals, SDP, candidates, getStats or simple-peer's address fields.
// Rows go to dist/works-with/apps-call.json (docs/works-with.md).
import { afterAll, describe, expect, it } from 'vitest';
import { launch, type Bed, type BrowserKind, type FixtureServer, type Host, type RunningBrowser } from './harness';
import { BROWSER_NAMES, closeApp, connectAll, openApp, ownAddressesSeen, pairText, SIMPLE_PEER_VERSION, useAppBed, type PairTypes } from './harness/app-tools';
import type { Signalling } from './harness/signalling';
import { worksWith } from './harness/works-with';

const rows = worksWith('apps-call.test.ts');
let bed: Bed;
let hostB: Host;
let serverA: FixtureServer;
let serverB: FixtureServer;
let sig: Signalling;
useAppBed((a) => ({ bed, hostB, serverA, serverB, sig } = a));


const path = pairText;

interface Call {
  connected: boolean;
  /** Video frames decoded by A and by B, at the start and at the end of 2 s. */
  frames: [number[], number[]];
  audio: number[];
  pairs: (PairTypes | null)[];
  /** A's own addresses in what A's page saw; B's in B's. */
  leaks: string[][];
}

/** A (LAN host) calls B (host 20) with camera and microphone on `apps/call.html`. */
async function call(a: RunningBrowser, b: RunningBrowser, room: string): Promise<Call> {
  const pa = await openApp(await a.browser.newPage(), `${serverA.origins[0]}/apps/call.html`, room, 'a', 'b');
  const pb = await openApp(await b.browser.newPage(), `${serverB.origins[0]}/apps/call.html`, room, 'b', 'a');
  try {
    const c = await connectAll(pa, pb, ['call'], { iceServers: bed.iceServers, limitMs: 15_000, media: true });
    const out: Call = { connected: c.opened[0] === 1 && c.opened[1] === 1, frames: [[0, 0], [0, 0]], audio: [0, 0], pairs: [null, null], leaks: [] };
    if (out.connected) {
      // Frames decoded on each side, 2 s apart once the first ones arrived (bounded: 10 s).
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && ((await pa.framesDecoded('call')) === 0 || (await pb.framesDecoded('call')) === 0)) await new Promise((r) => setTimeout(r, 200));
      const before = [await pa.framesDecoded('call'), await pb.framesDecoded('call')];
      await new Promise((r) => setTimeout(r, 2000));
      out.frames = [before, [await pa.framesDecoded('call'), await pb.framesDecoded('call')]];
      out.audio = [await pa.audioPackets('call'), await pb.audioPackets('call')];
      out.pairs = [await pa.pair('call'), await pb.pair('call')];
    }
    out.leaks = await ownAddressesSeen({ bed, hostB, sig }, pa, pb);
    return out;
  } finally {
    await closeApp(pa);
    await closeApp(pb);
  }
}

const COMBOS: [BrowserKind, BrowserKind][] = [['chromium', 'chromium'], ['firefox', 'chromium'], ['firefox', 'firefox']];
for (const [kindA, kindB] of COMBOS) {
  const browsers = `${BROWSER_NAMES[kindA]} ↔ ${BROWSER_NAMES[kindB]}`;
  describe(browsers, () => {
    const running: RunningBrowser[] = [];
    afterAll(async () => {
      for (const b of running) await b.close();
    });

    it('audio and video both ways (frames decoded on both sides), no own address seen', async () => {
      const [a, b] = await Promise.all([launch(kindA, { host: bed.lan }), launch(kindB, { host: hostB })]);
      running.push(a, b);
      const c = await call(a, b, `call-${kindA}-${kindB}`);
      const grew = [0, 1].map((i) => c.frames[1][i]! > c.frames[0][i]!);
      const ok = c.connected && grew.every(Boolean) && c.audio.every((n) => n > 0) && !c.leaks.flat().length;
      rows.add({
        library: 'simple-peer, audio + video call',
        version: SIMPLE_PEER_VERSION,
        browsers,
        mode: 'srflx-only',
        lanHelper: false,
        result: `${ok ? 'pass' : 'FAIL'}: ${c.connected ? `frames decoded in 2 s A ${c.frames[1][0]! - c.frames[0][0]!}, B ${c.frames[1][1]! - c.frames[0][1]!}; A ${path(c.pairs[0]!)}, B ${path(c.pairs[1]!)}` : 'no connection in 15 s'}${c.leaks.flat().length ? `; LEAK ${c.leaks.flat().join(', ')}` : ''}`,
      });
      expect(c.connected).toBe(true);
      expect(grew, JSON.stringify(c.frames)).toEqual([true, true]);
      expect(c.audio.every((n) => n > 0), JSON.stringify(c.audio)).toBe(true);
      expect(c.leaks).toEqual([[], []]);
    });
  });
}

describe('control: the same call without IceGuard', () => {
  const running: RunningBrowser[] = [];
  afterAll(async () => {
    for (const b of running) await b.close();
  });

  it('each page sees its own host address (so the scans above would catch one)', async () => {
    const [a, b] = await Promise.all([launch('chromium', { host: bed.lan, extension: false }), launch('firefox', { host: hostB, extension: false })]);
    running.push(a, b);
    const c = await call(a, b, 'call-control');
    expect(c.connected).toBe(true);
    expect(c.leaks[0]).toContain(bed.lan.v4);
    expect(c.leaks[1]).toContain(hostB.v4);
  });
});
