// Compatibility (behave like the platform, invisible wrappers; docs/design.md "Page shim"): with
// the extension, everything a page can learn about the WebRTC built-ins without using them is as without
// it (the control), a page's own subclass works, and a page that wraps RTCPeerConnection first, the way
// adapter.js does, still works and still leaks nothing.
import { describe, expect, it } from 'vitest';
import { useBed, usePair } from './harness/hooks';
import { BROWSER_KINDS, findAddresses, type Bed, type FixtureServer } from './harness';
import { lanTraces, localTypes, modeViolations, runScenario, UUID_LOCAL, walk, type BrowserPair, type Setting } from './harness/leak-tools';

interface Fingerprint {
  interfaces: Record<string, unknown>;
  functionToString: unknown;
  instance: unknown;
  failures: unknown;
  onPrototype: Record<string, unknown>;
  identities: unknown;
  globals: string[];
}
interface Subclass {
  facts: Record<string, unknown>;
  gathered: { events: unknown; complete: boolean };
}
interface Adapter {
  gathered: { events: unknown; complete: boolean };
  connected: boolean;
  echo: string | null;
  stats: unknown[];
  facts: Record<string, boolean>;
  calls: Record<string, number>;
}

/** The test build's own marker (src/page/test-probe.ts): the one global a test build may add. */
const TEST_PROBE = '__iceguardProbe';

let bed: Bed;
let server: FixtureServer;

useBed((b, s) => {
  bed = b;
  server = s;
});

describe.each(BROWSER_KINDS)('%s', (kind) => {
  let browsers: BrowserPair;
  usePair(kind, () => bed, (pair) => (browsers = pair));

  const fingerprint = (setting: Setting) => runScenario<Fingerprint>(browsers, server, setting, 'fingerprint', []);
  const subclass = (setting: Setting) => runScenario<Subclass>(browsers, server, setting, 'subclass', [{ iceServers: bed.iceServers }]);
  const adapter = (setting: Setting) =>
    runScenario<Adapter>(browsers, server, setting, 'throughAdapter', [{ iceServers: bed.iceServers }], { path: '/leaks/adapter.html' });

  /**
   * The candidates a gathering hands the page, one per transport address, as kinds: protocol, type,
   * TCP type, and whether the address is a name (issue #20: IceGuard must not add any, e.g. TCP active).
   */
  const candidateKinds = async (setting: Setting) => {
    const seen = await runScenario<{ events: unknown; complete: boolean }>(browsers, server, setting, 'gather', [{ iceServers: bed.iceServers }]);
    expect(seen.complete).toBe(true);
    const byAddress = new Map<string, string>();
    walk(seen.events, (v) => {
      if (typeof v !== 'string') return;
      for (const m of v.matchAll(/candidate:\S+ \d+ (udp|tcp) \d+ (\S+) (\d+) typ (\w+)([^\r\n"]*)/gi)) {
        const [, protocol, address, port, type, rest] = m;
        const tcptype = / tcptype (\w+)/.exec(rest!)?.[1] ?? '-';
        const kind = `${protocol!.toLowerCase()} ${type} ${tcptype}${UUID_LOCAL.test(address!) ? ' name' : ''}`;
        byAddress.set(`${protocol} ${address} ${port} ${tcptype}`, kind);
      }
    });
    return [...byAddress.values()].sort();
  };
  it('the candidates of a gathering are the browser\'s: in direct the same kinds, in srflx-only the same with host addresses as names', async () => {
    const control = await candidateKinds('control');
    expect(control.filter((k) => k.includes(' host '))).not.toEqual([]);
    expect(control.some((k) => k.startsWith('tcp host active'))).toBe(true);
    expect(await candidateKinds('direct')).toEqual(control);
    expect(await candidateKinds('srflx-only')).toEqual(control.map((k) => (k.includes(' host ') ? `${k} name` : k)).sort());
  });

  // The conformance tier's event sequence (issue #14): per connection and per kind (the order between
  // kinds follows network timing even without the extension), with an ICE restart in the middle.
  type Sequence = { log: Record<'pc1' | 'pc2', Record<string, string[]>>; sameIceTransport: boolean[]; transports: number[] };
  const sequence = (setting: Setting, iceServers: unknown[]) => runScenario<Sequence>(browsers, server, setting, 'eventSequence', [{ iceServers }]);
  /** Everything but the candidates (which, with servers, the browser alone gathers in varying order across the restart), and their kinds over the run. */
  const statesAndKinds = (s: Sequence) => ({
    ...s,
    log: Object.fromEntries(
      Object.entries(s.log).map(([who, kinds]) => {
        const { icecandidate = [], ...states } = kinds;
        return [who, { ...states, icecandidate: [...new Set(icecandidate.filter((c) => c !== 'restart'))].sort() }];
      }),
    ),
  });
  it('a loopback pair with a restart, no ICE server: every event and state in direct and in srflx-only as the browser alone gives them', async () => {
    const control = await sequence('control', []);
    expect(control.sameIceTransport).toEqual([true, true]);
    for (const who of ['pc1', 'pc2'] as const) {
      expect(control.log[who].connectionState).toEqual(['connecting', 'connected', 'restart']);
      expect(control.log[who].iceGatheringState).toEqual(['gathering', 'complete', 'restart', 'gathering', 'complete']);
    }
    expect(await sequence('direct', [])).toEqual(control);
    expect(await sequence('srflx-only', [])).toEqual(control);
  });
  it('the same with the bed\'s STUN and TURN servers: the same states, the same kinds of candidate', async () => {
    const control = statesAndKinds(await sequence('control', bed.iceServers));
    expect(control.log.pc1?.icecandidate).toEqual(expect.arrayContaining(['relay udp - rtp', 'srflx udp - rtp']));
    expect(statesAndKinds(await sequence('direct', bed.iceServers))).toEqual(control);
    expect(statesAndKinds(await sequence('srflx-only', bed.iceServers))).toEqual(control);
  });

  // After packets stop (issue #14): one end of a connected loopback pair closes, which stops its
  // packets, and the other end logs its events and states, in order, until its connection fails
  // (webrtc-pc RTCIceTransport/RTCDtlsTransport states; RFC 7675 consent freshness), then reads its
  // transports (test/fixtures/pages/lib/stop.js). Measured without the extension in this bed, six
  // pages at once, 14 runs: Chromium: DTLS `closed` at once (the closing end's close_notify),
  // `disconnected` after 5.0-6.3 s, connection `failed` after 15.0-16.3 s while its RTCIceTransport
  // stays `disconnected` (its transport stats say `failed`); Firefox ESR: DTLS `closed` at once,
  // `disconnected` after 8.4-11.8 s, `failed` after 29.0-31.5 s. The bounds leave 9 and 13 s.
  // With the bed's STUN/TURN too: the servers play no part once the peer is gone, but in the default
  // mode reflexive candidates wait for the background's answer, a path only servers open.
  type Pair = 'absent' | null | { local: string; remote: string; candidates: string[] };
  type Logged = [kind: string, value: unknown, ms: number];
  interface Snapshot {
    selected: Pair;
    same: unknown;
  }
  interface StopRun {
    reached: boolean;
    before: Snapshot;
    closed: Snapshot;
    after: Snapshot;
    events: Logged[];
    closerEvents: Logged[];
  }
  type Stopped = Record<'offerer closes' | 'answerer closes', StopRun>;
  const STOP_BOUND_MS = kind === 'chromium' ? 25_000 : 45_000;
  // direct and srflx-only run at once in the one browser with the extension: on two sites.
  const afterStop = (setting: Setting, iceServers: unknown[]) =>
    runScenario<Stopped>(browsers, server, setting, 'afterStop', [{ iceServers, until: ['failed'], waitMs: STOP_BOUND_MS }], {
      path: '/leaks/stop.html',
      origin: setting === 'srflx-only' ? 1 : 0,
    });
  /**
   * A selected pair as kinds. Whether the watching end learned its peer's candidate first from a
   * check (`prflx`) or from signalling (`host`) is a race, in the browser alone too (measured).
   */
  const pairKinds = (p: Pair) => (p && typeof p === 'object' ? { local: p.local, remote: p.remote.replace(/^(host|prflx) /, 'host-or-prflx ') } : p);
  /**
   * A run as compared across settings: no times, no addresses, and whether the pair the page reads
   * after the stop is the last one it was told of. A selected pair may change between pairs of the
   * same kinds (IPv4 and IPv6 host pairs; a peer's candidate learned from signalling after a check
   * had found it) just before or after the stop: with the bed's servers IceGuard's default mode
   * adds the peer's candidates later than the browser alone, so a last re-selection can fall after
   * the pair settled (seen twice in some twenty runs, in srflx-only with servers). Such a switch is
   * invisible at the level of kinds and is dropped; a change to a pair of other kinds stays an
   * event that must match.
   */
  const comparableRun = (r: StopRun) => {
    const kinds = (snap: Snapshot) => ({ ...snap, selected: pairKinds(snap.selected) });
    const candidates = (p: Pair) => (p && typeof p === 'object' ? p.candidates : p);
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    let current = r.before.selected;
    const events: Array<[string, unknown]> = [];
    for (const [k, v] of r.events) {
      if (k !== 'selectedcandidatepairchange') {
        events.push([k, v]);
        continue;
      }
      const was = current;
      current = v as Pair;
      if (!same(pairKinds(was), pairKinds(current))) events.push([k, pairKinds(current)]);
    }
    return {
      ...r,
      before: kinds(r.before),
      closed: kinds(r.closed),
      after: kinds(r.after),
      events,
      closerEvents: r.closerEvents.map(([k, v]) => [k, v]),
      pairKept: same(candidates(current), candidates(r.after.selected)),
    };
  };
  const comparable = (s: Stopped) => Object.fromEntries(Object.entries(s).map(([which, r]) => [which, comparableRun(r)]));
  const valuesOf = (r: StopRun, kind: string) => r.events.filter(([k]) => k === kind).map(([, v]) => v);
  it("after one end of a connected pair closes, the other end's events, states and transports until it fails: in direct and srflx-only as the browser alone gives them, with and without servers", async () => {
    const servers = bed.iceServers;
    const [control, direct, srflx, controlServers, directServers, srflxServers] = await Promise.all([
      afterStop('control', []), afterStop('direct', []), afterStop('srflx-only', []),
      afterStop('control', servers), afterStop('direct', servers), afterStop('srflx-only', servers),
    ]);
    for (const r of [control, controlServers].flatMap((run) => Object.values(run))) {
      expect(r.reached).toBe(true);
      expect(r.events[0]?.slice(0, 2)).toEqual(['dtls state', 'closed']);
      expect(valuesOf(r, 'connectionState')).toEqual(['disconnected', 'failed']);
      expect(valuesOf(r, 'ice transport state')).toEqual(kind === 'chromium' ? ['disconnected'] : ['disconnected', 'failed']);
      expect(r.after.same).toEqual({ sctpDtls: true, sctpIce: true, senders: [[true, true]], receivers: [[true, true]] });
      expect(r.closerEvents).toEqual([]);
      // Chromium keeps the pair it had selected; Firefox ESR has no getSelectedCandidatePair.
      if (kind === 'chromium') expect(comparableRun(r)).toMatchObject({ pairKept: true, after: { selected: { local: expect.stringMatching(/^host udp/) } } });
      else expect(r.after.selected).toBe('absent');
    }
    expect(comparable(direct)).toEqual(comparable(control));
    expect(comparable(srflx)).toEqual(comparable(control));
    expect(comparable(directServers)).toEqual(comparable(controlServers));
    expect(comparable(srflxServers)).toEqual(comparable(controlServers));
    // The selected pair read after the stop shows names in srflx-only, as everywhere else.
    if (kind === 'chromium') expect(lanTraces(control, bed)).not.toEqual([]);
    expect(lanTraces([srflx, srflxServers], bed)).toEqual([]);
  });

  it('control: every WebRTC function reads as native code', async () => {
    const control = await fingerprint('control');
    const sources: string[] = [];
    walk(control.interfaces, (v, path) => {
      if (path.endsWith('.source') && typeof v === 'string') sources.push(v);
    });
    expect(sources.length).toBeGreaterThan(100);
    expect(sources.filter((s) => !s.includes('[native code]'))).toEqual([]);
  });

  for (const mode of ['direct', 'srflx-only', 'relay-only'] as const) {
    it(`${mode}: names, lengths, toString, descriptors, prototype chains, instances, brand checks, identities and errors are as without the extension`, async () => {
      const control = await fingerprint('control');
      const seen = await fingerprint(mode);
      expect(seen.interfaces).toEqual(control.interfaces);
      expect(seen.functionToString).toEqual(control.functionToString);
      expect(seen.instance).toEqual(control.instance);
      expect(seen.failures).toEqual(control.failures);
      expect(Object.keys(control.onPrototype).length).toBeGreaterThan(20);
      expect(seen.onPrototype).toEqual(control.onPrototype);
      expect(seen.identities).toEqual(control.identities);
    });
  }

  it.each(['direct', 'srflx-only'] as const)('%s: bad remote candidates are rejected and descriptions keep their identity, as without the extension (#21)', async (mode) => {
    const checks = (setting: Setting) => runScenario<Record<string, unknown>>(browsers, server, setting, 'bypass-call', ['platformChecks'], { path: '/leaks/bypass.html' });
    const control = await checks('control');
    // Measured: Chromium rejects an unparsable candidate (OperationError), Firefox ESR resolves.
    expect(control['unparsable candidate']).toBe(kind === 'chromium' ? 'rejected OperationError' : 'resolved');
    expect(await checks(mode)).toEqual(control);
  });

  it('srflx-only: no extra globals on window (but the test build\'s marker), none missing', async () => {
    const control = await fingerprint('control');
    const seen = await fingerprint('srflx-only');
    expect(seen.globals.filter((g) => !control.globals.includes(g) && g !== TEST_PROBE)).toEqual([]);
    expect(control.globals.filter((g) => !seen.globals.includes(g))).toEqual([]);
  });

  it('a page\'s subclass of RTCPeerConnection: instances behave as without the extension; its gathering leaks nothing', async () => {
    const control = await subclass('control');
    expect(control.facts).toEqual({
      instanceOfSubclass: true,
      instanceOfRTCPeerConnection: true,
      prototypeIs: true,
      hello: 'hi',
      tag: 'mine',
      constructorName: 'Peer',
      toStringTag: '[object RTCPeerConnection]',
      reflectConstruct: true,
    });
    expect(findAddresses(JSON.stringify(control.gathered), [bed.lan.v4])).toEqual([bed.lan.v4]);
    for (const mode of ['srflx-only', 'relay-only'] as const) {
      const seen = await subclass(mode);
      expect(seen.facts, mode).toEqual(control.facts);
      expect(modeViolations(seen.gathered, mode, bed), mode).toEqual([]);
      expect(seen.gathered.complete, mode).toBe(true);
      expect(localTypes(seen.gathered.events), mode).toEqual(mode === 'srflx-only' ? ['host', 'relay', 'srflx'] : ['relay']);
    }
  });

  it('control: a page that wraps RTCPeerConnection first (adapter.js style) gathers, connects, and sees the host address', async () => {
    const control = await adapter('control');
    expect(control.gathered.complete).toBe(true);
    expect(control).toMatchObject({ connected: true, echo: 'echo:ping', facts: { instanceOf: true, prototypeIs: true } });
    for (const [k, n] of Object.entries(control.calls)) expect(n, k).toBeGreaterThan(0);
    expect(findAddresses(JSON.stringify(control.gathered), [bed.lan.v4])).toEqual([bed.lan.v4]);
    const events = control.gathered.events as Record<string, unknown[]>;
    expect(Object.values(events).every((list) => list.length === events.onicecandidate!.length)).toBe(true);
  });

  for (const mode of ['srflx-only', 'relay-only'] as const) {
    it(`${mode}: a page that wraps RTCPeerConnection first still works through its wrappers and leaks nothing`, async () => {
      const seen = await adapter(mode);
      expect(modeViolations(seen, mode, bed)).toEqual([]);
      expect(seen.gathered.complete).toBe(true);
      expect(seen).toMatchObject({ connected: true, echo: 'echo:ping', facts: { instanceOf: true, prototypeIs: true } });
      for (const [k, n] of Object.entries(seen.calls)) expect(n, k).toBeGreaterThan(0);
      expect(localTypes(seen.gathered.events)).toEqual(mode === 'srflx-only' ? ['host', 'relay', 'srflx'] : ['relay']);
    });
  }
});
