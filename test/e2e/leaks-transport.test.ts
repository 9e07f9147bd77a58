// Leak catalogue (docs/design.md#leak-6 and #leak-7): RTCIceTransport of a connected pair, reached through
// pc.sctp.transport.iceTransport, sender and receiver transports and another realm's getters, with
// its selectedcandidatepairchange events; and icecandidateerror events (TURN with a wrong password).
// Firefox ESR has RTCIceTransport without the candidate methods and the event: there the tests assert
// that they are absent, with and without the extension (the shim must not add them either).
import { describe, expect, it } from 'vitest';
import { useBed, usePair } from './harness/hooks';
import { BROWSER_KINDS, type Bed, type FixtureServer } from './harness';
import { lanTraces, modeViolations, runScenario, tracesPerPath, type BrowserPair, type Setting } from './harness/leak-tools';

const PATHS = [
  'sctp.transport.iceTransport',
  'getSenders()[0].transport.iceTransport',
  'getReceivers()[0].transport.iceTransport',
  'foreign getters',
] as const;
const METHODS = ['getSelectedCandidatePair', 'getLocalCandidates', 'getRemoteCandidates'] as const;

interface TransportView {
  state?: string;
  methods?: Record<string, string | boolean>;
  getSelectedCandidatePair?: unknown;
  getLocalCandidates?: unknown[];
  getRemoteCandidates?: unknown[];
  [k: string]: unknown;
}
type Transports = Record<(typeof PATHS)[number], TransportView> & {
  connected: boolean;
  early: { transport: string };
  events: { onselectedcandidatepairchange: unknown[]; addEventListener: unknown[] };
  prototype: Record<string, boolean | string>;
};
interface IceErrors {
  errors: Record<'onicecandidateerror' | 'addEventListener' | 'foreign getters', Array<Record<string, unknown>>>;
  complete: boolean;
}

let bed: Bed;
let server: FixtureServer;

useBed((b, s) => {
  bed = b;
  server = s;
});

describe.each(BROWSER_KINDS)('%s', (kind) => {
  let browsers: BrowserPair;
  usePair(kind, () => bed, (pair) => (browsers = pair));

  const transports = (setting: Setting) =>
    runScenario<Transports>(browsers, server, setting, 'iceTransports', [{ iceServers: bed.iceServers }]);
  /** TURN that answers 401 to our allocation: the error event names the local address it used. */
  const badTurn = () => [{ urls: `turn:${bed.wan.v4}:3478?transport=udp`, username: 'iceguard', credential: 'wrong-password' }];
  const iceErrors = (setting: Setting) => runScenario<IceErrors>(browsers, server, setting, 'iceErrors', [{ iceServers: badTurn() }]);

  /** Every path's transport shows the candidate methods (Chromium) or lacks them (Firefox). */
  function expectMethodsAsInBrowser(seen: Transports): void {
    const has = kind === 'chromium';
    expect(seen.early.transport).toBe('present');
    expect(seen.prototype).toEqual({
      getSelectedCandidatePair: has,
      getLocalCandidates: has,
      getRemoteCandidates: has,
      onselectedcandidatepairchange: has,
    });
    for (const p of PATHS.slice(0, 3)) {
      expect(seen[p].methods, p).toEqual({
        getSelectedCandidatePair: has ? 'function' : 'undefined',
        getLocalCandidates: has ? 'function' : 'undefined',
        getRemoteCandidates: has ? 'function' : 'undefined',
        onselectedcandidatepairchange: has,
      });
    }
  }

  it('control: RTCIceTransport methods and selectedcandidatepairchange show the host address on every path (Chromium) / do not exist (Firefox)', async () => {
    const seen = await transports('control');
    expect(seen.connected).toBe(true);
    expectMethodsAsInBrowser(seen);
    if (kind === 'chromium') {
      const traces = tracesPerPath(Object.fromEntries(PATHS.map((p) => [p, { pair: seen[p].getSelectedCandidatePair, local: seen[p].getLocalCandidates }])), bed);
      for (const p of PATHS) expect(traces[p]!.length, p).toBeGreaterThan(0);
      for (const p of PATHS) {
        for (const m of METHODS) expect(seen[p][`foreign ${m}`], `${p} foreign ${m}`).toBeDefined();
      }
      expect(lanTraces(seen['foreign getters'], bed).length).toBeGreaterThan(0);
      expect(seen.events.onselectedcandidatepairchange.length).toBeGreaterThan(0);
      expect(lanTraces(seen.events.onselectedcandidatepairchange, bed).length).toBeGreaterThan(0);
      expect(lanTraces(seen.events.addEventListener, bed).length).toBeGreaterThan(0);
    } else {
      expect(seen.events).toEqual({ onselectedcandidatepairchange: [], addEventListener: [] });
      for (const p of PATHS) expect(seen[p].state, p).toBe('connected');
    }
  });

  for (const mode of ['srflx-only', 'relay-only'] as const) {
    it(`${mode}: no local address through RTCIceTransport or its events; methods still work (Chromium) / still absent (Firefox)`, async () => {
      const seen = await transports(mode);
      expect(modeViolations(seen, mode, bed)).toEqual([]);
      expect(seen.connected).toBe(true);
      expectMethodsAsInBrowser(seen);
      if (kind === 'chromium') {
        for (const p of PATHS) {
          expect(seen[p].getSelectedCandidatePair, p).toMatchObject({ local: expect.any(Object), remote: expect.any(Object) });
          expect(seen[p].getLocalCandidates?.length, p).toBeGreaterThan(0);
        }
        expect(seen.events.onselectedcandidatepairchange.length).toBeGreaterThan(0);
      } else {
        expect(seen.events).toEqual({ onselectedcandidatepairchange: [], addEventListener: [] });
      }
    });
  }

  it('direct: RTCIceTransport shows the browser\'s own candidates (Chromium) / lacks the methods (Firefox)', async () => {
    const seen = await transports('direct');
    expect(seen.connected).toBe(true);
    expectMethodsAsInBrowser(seen);
    if (kind === 'chromium') expect(lanTraces(seen['sctp.transport.iceTransport'], bed).length).toBeGreaterThan(0);
  });

  it('control: icecandidateerror reports the local address used (Chromium: its /24 with the last octet as x)', async () => {
    const seen = await iceErrors('control');
    expect(seen.complete).toBe(true);
    for (const [path, events] of Object.entries(seen.errors)) {
      expect(events.length, path).toBeGreaterThan(0);
      expect(events.map((e) => e.errorCode), path).toContain(401);
      const expected = kind === 'chromium' ? `${bed.lan.v4.split('.').slice(0, 3).join('.')}.x` : bed.lan.v4;
      expect(events.map((e) => e.address), path).toContain(expected);
      expect(lanTraces(events, bed).length, path).toBeGreaterThan(0);
    }
  });

  for (const mode of ['srflx-only', 'relay-only'] as const) {
    it(`${mode}: icecandidateerror shows no local address (nor its network prefix) on any path`, async () => {
      const seen = await iceErrors(mode);
      expect(lanTraces(seen.errors, bed)).toEqual([]);
      expect(seen.complete).toBe(true);
    });
  }
});
