// Leak catalogue (docs/design.md#leak-10): constructors, prototype methods and getters saved by the
// page's first inline <head> script, and the webkitRTCPeerConnection alias (Chromium; absent in Firefox,
// with or without the extension).
import { describe, expect, it } from 'vitest';
import { useBed, usePair } from './harness/hooks';
import { BROWSER_KINDS, findAddresses, type Bed, type FixtureServer } from './harness';
import { localTypes, modeViolations, runScenario, tracesPerPath, type BrowserPair, type Setting } from './harness/leak-tools';

type Saved = Record<string, unknown> & { complete: boolean };
interface Webkit {
  typeofNow: string;
  typeofSaved: string;
  sameAsRTCPeerConnection: boolean;
  now: { events: unknown; complete: boolean } | null;
  saved: { events: unknown; complete: boolean } | null;
}

/** What the saved-built-ins page reads, each on its own. */
const SAVED_PATHS = [
  'saved onicecandidate setter',
  'saved addEventListener',
  'saved candidate getters',
  'saved RTCIceCandidate copies',
  'saved localDescription',
  'saved pendingLocalDescription',
  'saved getStats',
];

let bed: Bed;
let server: FixtureServer;

useBed((b, s) => {
  bed = b;
  server = s;
});

describe.each(BROWSER_KINDS)('%s', (kind) => {
  let browsers: BrowserPair;
  usePair(kind, () => bed, (pair) => (browsers = pair));

  const saved = (setting: Setting) =>
    runScenario<Saved>(browsers, server, setting, 'gatherSaved', [{ iceServers: bed.iceServers }], { path: '/leaks/early.html' });
  const webkit = (setting: Setting) =>
    runScenario<Webkit>(browsers, server, setting, 'gatherWebkit', [{ iceServers: bed.iceServers }], { path: '/leaks/early.html' });
  const pick = (seen: Saved) => Object.fromEntries(SAVED_PATHS.map((p) => [p, seen[p]]));

  it('control: built-ins saved by the first script show the host address on every path', async () => {
    const seen = await saved('control');
    expect(seen.complete).toBe(true);
    const traces = tracesPerPath(pick(seen), bed);
    expect(Object.fromEntries(Object.entries(traces).map(([k, v]) => [k, v.includes(bed.lan.v4)]))).toEqual(
      Object.fromEntries(SAVED_PATHS.map((p) => [p, true])),
    );
  });

  for (const mode of ['srflx-only', 'relay-only'] as const) {
    it(`${mode}: built-ins saved by the first script reveal nothing the mode hides`, async () => {
      const seen = await saved(mode);
      expect(modeViolations(seen, mode, bed)).toEqual([]);
      expect(seen.complete).toBe(true);
      expect(localTypes(seen['saved addEventListener'])).toEqual(mode === 'srflx-only' ? ['host', 'relay', 'srflx'] : ['relay']);
    });
  }

  it(`control: webkitRTCPeerConnection ${kind === 'chromium' ? 'is RTCPeerConnection and shows the host address' : 'does not exist'}`, async () => {
    const seen = await webkit('control');
    if (kind === 'chromium') {
      expect(seen).toMatchObject({ typeofNow: 'function', typeofSaved: 'function', sameAsRTCPeerConnection: true });
      expect(findAddresses(JSON.stringify(seen.now), [bed.lan.v4])).toEqual([bed.lan.v4]);
      expect(findAddresses(JSON.stringify(seen.saved), [bed.lan.v4])).toEqual([bed.lan.v4]);
    } else {
      expect(seen).toEqual({ typeofNow: 'undefined', typeofSaved: 'undefined', sameAsRTCPeerConnection: false, now: null, saved: null });
    }
  });

  for (const mode of ['srflx-only', 'relay-only'] as const) {
    it(`${mode}: webkitRTCPeerConnection ${kind === 'chromium' ? 'stays RTCPeerConnection and reveals nothing the mode hides' : 'still does not exist'}`, async () => {
      const seen = await webkit(mode);
      if (kind === 'chromium') {
        expect(modeViolations(seen, mode, bed)).toEqual([]);
        expect(seen).toMatchObject({ typeofNow: 'function', typeofSaved: 'function', sameAsRTCPeerConnection: true });
        expect(seen.now?.complete).toBe(true);
        expect(localTypes(seen.saved?.events)).toEqual(mode === 'srflx-only' ? ['host', 'relay', 'srflx'] : ['relay']);
      } else {
        expect(seen).toEqual({ typeofNow: 'undefined', typeofSaved: 'undefined', sameAsRTCPeerConnection: false, now: null, saved: null });
      }
    });
  }
});
