// Leak catalogue (docs/design.md "Modes", the remote guards; #leak-13 and #leak-16) and the modes'
// function: the guess oracle (remote candidates the page makes up, pointing at the host's address or
// loopback), STUN/TURN URLs that point at loopback, the page's own iceTransportPolicy, and whether two
// connections of one page still connect under each mode (and not at all under `off`).
// UDP listeners inside the browser's namespace see every check or STUN request that would leave.
import { afterEach, describe, expect, it } from 'vitest';
import { useBed, usePair } from './harness/hooks';
import { BROWSER_KINDS, type Bed, type FixtureServer } from './harness';
import {
  lanTraces,
  listenUdp,
  localTypes,
  modeViolations,
  runScenario,
  type BrowserPair,
  type Setting,
  type UdpListener,
} from './harness/leak-tools';

/**
 * A second loopback address, standing for a local service. Tests send traffic only to loopback and the
 * bed's documentation ranges, so private-class (RFC 1918, ULA) refusal is covered by unit tests
 * (test/unit/policy/guards.test.ts, test/unit/page-requests.test.ts), not with packets.
 */
const PRIVATE = '127.0.0.2';

interface Guess {
  added: Array<{ candidate?: string; result: unknown }>;
  peerSrflxPort: number | null;
  iceConnectionStates: string[];
  pairs: Array<{ state: string }>;
  remoteCandidates: number;
  remoteAddresses: string[];
}
interface ServerAttempt {
  via: string;
  servers: Array<{ urls: string }>;
  threw: string | null;
  configured: Array<{ urls: string | string[] }> | null | { threw: string };
  complete?: boolean;
}
interface RoundTrip {
  connected: boolean;
  echo: string | null;
  selected: Array<{ local: string; remote: string } | null>;
}

let bed: Bed;
let server: FixtureServer;
let listener: UdpListener | undefined;

useBed((b, s) => {
  bed = b;
  server = s;
});

afterEach(() => {
  listener?.close();
  listener = undefined;
});

const CONNECTED = ['connected', 'completed'];
/** What a changing value shows at its first read (test/fixtures/pages/lib/leaks.js guess). */
const HARMLESS = '203.0.113.99';

describe.each(BROWSER_KINDS)('%s', (kind) => {
  let browsers: BrowserPair;
  usePair(kind, () => bed, (pair) => (browsers = pair));

  /** pc1 is handed made-up remote candidates: the host's, a private and a loopback address (listeners), and pc2's host port. */
  async function guess(setting: Setting, via = 'addIceCandidate') {
    listener = await listenUdp(bed.lan.ns, ['127.0.0.1', PRIVATE, bed.lan.v4]);
    const [loopback, priv, lan] = listener.endpoints;
    const targets = [
      { address: '127.0.0.1', port: loopback!.port },
      { address: PRIVATE, port: priv!.port },
      { address: bed.lan.v4, port: lan!.port },
      // The NAT keeps ports, so pc2's srflx port is its host port: the "known port" of the oracle.
      { address: bed.lan.v4, port: 'peer-srflx' },
    ];
    const seen = await runScenario<Guess>(browsers, server, setting, 'guess', [{ iceServers: bed.iceServers, targets, waitMs: 4000, via }]);
    return { seen, packets: listener.packets(), endpoints: listener.endpoints.map((e) => `${e.address}:${e.port}`) };
  }

  // Every door a remote candidate has into the browser (issue #19): addIceCandidate, a remote
  // description's a=candidate lines, and values that read differently at check time and use time.
  const DOORS = ['addIceCandidate', 'remote description', 'changing getter', 'changing toString'] as const;

  it.each(['addIceCandidate', 'remote description'])('control: a guessed host or private address through %s gets ICE checks and confirms the guess', async (via) => {
    const { seen, packets, endpoints } = await guess('control', via);
    const [loopback, priv, lan] = endpoints;
    const reached = [...new Set(packets.filter((p) => p.stun).map((p) => p.to))].sort();
    // Measured: Firefox sends no checks to loopback remote candidates by itself; Chromium does.
    expect(reached).toEqual((kind === 'chromium' ? [loopback, priv, lan] : [lan]).sort());
    expect(seen.peerSrflxPort).not.toBeNull();
    expect(seen.iceConnectionStates.some((s) => CONNECTED.includes(s))).toBe(true);
    expect(seen.pairs.some((p) => p.state === 'succeeded')).toBe(true);
  });

  for (const mode of ['srflx-only', 'relay-only'] as const) {
    it.each(DOORS)(`${mode}: guessed host, private and loopback candidates through %s are refused: no check leaves, no pair, no connection`, async (via) => {
      const { seen, packets } = await guess(mode, via);
      if (via.startsWith('changing')) {
        // The browser got exactly what was checked: the harmless first value (203.0.113.99, nothing
        // there), never the guess.
        expect(seen.remoteAddresses.filter((a) => a !== HARMLESS)).toEqual([]);
        expect(packets).toEqual([]);
        expect(seen.iceConnectionStates.some((s) => CONNECTED.includes(s))).toBe(false);
        return;
      }
      const outcome = {
        checksSentTo: [...new Set(packets.map((p) => `${p.to} from ${p.from}`))],
        pairs: seen.pairs,
        remoteCandidates: seen.remoteCandidates,
        connected: seen.iceConnectionStates.some((s) => CONNECTED.includes(s)),
      };
      if (mode === 'srflx-only') {
        expect(outcome).toEqual({ checksSentTo: [], pairs: [], remoteCandidates: 0, connected: false });
        expect(seen.peerSrflxPort).not.toBeNull(); // the oracle had its port
      } else {
        // relay-only makes the browser gather and check through the relay only, so it never learns
        // (nor reveals) a host address, and cannot recognise a guess of one whose class is public: this
        // bed's LAN uses documentation addresses. At most that guess is paired through the TURN server,
        // which cannot reach the LAN: still no check leaves a host socket and nothing connects.
        expect({ ...outcome, pairs: [], remoteCandidates: 0 }).toEqual({ checksSentTo: [], pairs: [], remoteCandidates: 0, connected: false });
        expect(outcome.remoteCandidates).toBeLessThanOrEqual(1);
        for (const p of outcome.pairs) expect(p.state).not.toBe('succeeded');
      }
    });
  }

  /** STUN and TURN servers on two loopback addresses (listeners), via the constructor and setConfiguration. */
  async function localServers(setting: Setting) {
    listener = await listenUdp(bed.lan.ns, ['127.0.0.1', '127.0.0.1', PRIVATE, PRIVATE, PRIVATE]);
    const at = listener.endpoints.map((e) => `${e.address}:${e.port}`);
    const attempts = [
      { via: 'constructor', servers: [{ urls: `stun:${at[0]}` }] },
      { via: 'setConfiguration', servers: [{ urls: `stun:${at[1]}` }] },
      { via: 'constructor', servers: [{ urls: `stun:${at[2]}` }] },
      { via: 'setConfiguration', servers: [{ urls: `stun:${at[3]}` }] },
      { via: 'constructor', servers: [{ urls: `turn:${at[4]}?transport=udp`, username: 'u', credential: 'p' }] },
    ];
    const seen = await runScenario<ServerAttempt[]>(browsers, server, setting, 'iceServerUrls', [{ attempts, timeoutMs: 3000 }]);
    return { seen, packets: listener.packets(), at };
  }

  it('control: STUN/TURN URLs on loopback addresses are accepted and (Chromium) the browser sends requests there', async () => {
    const { seen, packets, at } = await localServers('control');
    expect(seen.map((s) => s.threw)).toEqual(seen.map(() => null));
    for (const s of seen) expect(JSON.stringify(s.configured)).toContain(s.servers[0]!.urls);
    const reached = [...new Set(packets.filter((p) => p.stun).map((p) => p.to))].sort();
    // Measured: Firefox sends nothing to STUN/TURN servers on loopback by itself; Chromium does.
    expect(reached).toEqual(kind === 'chromium' ? [...new Set(at)].sort() : []);
  });

  for (const mode of ['srflx-only', 'relay-only'] as const) {
    it(`${mode}: STUN/TURN URLs on loopback addresses are refused (the call throws or the server is dropped); nothing is sent`, async () => {
      const { seen, packets } = await localServers(mode);
      expect([...new Set(packets.map((p) => `to ${p.to}`))]).toEqual([]);
      for (const s of seen) {
        const refused = s.threw !== null || !JSON.stringify(s.configured).includes(s.servers[0]!.urls);
        expect(refused, `${s.via} ${s.servers[0]!.urls}: threw ${s.threw}, configured ${JSON.stringify(s.configured)}`).toBe(true);
      }
    });
  }

  const relayPolicy = (setting: Setting) =>
    runScenario<{ events: unknown; complete: boolean; configuration: { iceTransportPolicy?: string } }>(
      browsers, server, setting, 'gather', [{ iceServers: bed.iceServers, config: { iceTransportPolicy: 'relay' } }],
    );

  for (const setting of ['control', 'srflx-only', 'relay-only'] as const) {
    it(`${setting}: the page's iceTransportPolicy 'relay' is respected (relay candidates only) and reported back`, async () => {
      const seen = await relayPolicy(setting);
      if (setting !== 'control') expect(modeViolations(seen, setting, bed)).toEqual([]);
      expect(seen.complete).toBe(true);
      expect(localTypes(seen.events)).toEqual(['relay']);
      expect(seen.configuration.iceTransportPolicy).toBe('relay');
    });
  }

  const roundTrip = (setting: Setting, config: Record<string, unknown> = {}) =>
    runScenario<RoundTrip>(browsers, server, setting, 'roundTrip', [{ iceServers: bed.iceServers, config }]);

  it('control: two connections of one page connect and carry a message; forced to relay, they connect relay to relay', async () => {
    const direct = await roundTrip('control');
    expect(direct).toMatchObject({ connected: true, echo: 'echo:ping' });
    const relayed = await roundTrip('control', { iceTransportPolicy: 'relay' });
    expect(relayed).toMatchObject({ connected: true, echo: 'echo:ping' });
    expect(relayed.selected).toEqual([{ local: 'relay', remote: 'relay' }, { local: 'relay', remote: 'relay' }]);
  });

  it('srflx-only: two connections of one page connect through the bed and carry a message', async () => {
    expect(await roundTrip('srflx-only')).toMatchObject({ connected: true, echo: 'echo:ping' });
  });

  // Issue #14: connections inside one browser with no ICE server at all (test pages, audio loopbacks,
  // the web-platform-tests), trickled or not. IceGuard resolves the site's own names for the browser.
  /** Host to host (the remote end may first appear as peer-reflexive: its check came before its candidate). */
  const direct = (p: { local: string; remote: string } | null) => p !== null && p.local === 'host' && (p.remote === 'host' || p.remote === 'prflx');
  for (const nonTrickle of [false, true]) {
    const how = nonTrickle ? 'descriptions sent at gathering complete' : 'trickled candidates';
    const inPage = (setting: Setting) => runScenario<RoundTrip & { seen: unknown }>(browsers, server, setting, 'roundTrip', [{ iceServers: [], nonTrickle }]);
    it(`control: no ICE servers, ${how}: the pair connects host to host, and the page sees the address`, async () => {
      const seen = await inPage('control');
      expect(seen).toMatchObject({ connected: true, echo: 'echo:ping' });
      expect(seen.selected.map(direct)).toEqual([true, true]);
      expect(lanTraces(seen.seen, bed).length).toBeGreaterThan(0);
    });
    it(`srflx-only: no ICE servers, ${how}: the pair connects host to host through the site's own names, and no surface shows the address`, async () => {
      const seen = await inPage('srflx-only');
      expect(seen).toMatchObject({ connected: true, echo: 'echo:ping' });
      expect(seen.selected.map(direct)).toEqual([true, true]);
      expect(modeViolations(seen, 'srflx-only', bed)).toEqual([]);
    });
  }

  it('relay-only: two connections of one page connect relay to relay and carry a message', async () => {
    const seen = await roundTrip('relay-only');
    expect(seen).toMatchObject({ connected: true, echo: 'echo:ping' });
    expect(seen.selected).toEqual([{ local: 'relay', remote: 'relay' }, { local: 'relay', remote: 'relay' }]);
  });

  it('off: new RTCPeerConnection() throws a NotAllowedError DOMException, in this realm, a frame and the alias', async () => {
    const control = await runScenario<Record<string, unknown>>(browsers, server, 'control', 'constructEverywhere', []);
    expect(control).toMatchObject({ typeofRTCPeerConnection: 'function', window: { constructed: true }, frame: { constructed: true } });
    const refused = { constructed: false, name: 'NotAllowedError', isDOMException: true };
    const seen = await runScenario<Record<string, unknown>>(browsers, server, 'off', 'constructEverywhere', []);
    expect(seen).toMatchObject({
      typeofRTCPeerConnection: 'function',
      window: refused,
      frame: refused,
      webkitRTCPeerConnection: kind === 'chromium' ? refused : 'absent',
    });
  });
});
