// Leak catalogue (docs/design.md#leak-22): a server-reflexive candidate whose address is one of this
// machine's interface addresses. No NAT between the browser and the STUN server (a STUN server on the
// LAN, a global IPv6 address, a host with a public IPv4): STUN reports the interface address itself,
// and where the browser hides its host addresses behind `.local` names, that srflx candidate hands the
// page the address the names hide. The bed's LAN STUN server (`lanStun`, 198.51.100.20 and
// 2001:db8:10::14) is reached over the bridge without NAT; the bed's documentation-range addresses
// count as public, as a public IPv4 or a global IPv6 address would.
// IceGuard drops such a candidate in every non-direct mode once it knows the address is this machine's:
// from raw host candidates of any document of the site in this browser session, or from the LAN
// helper's interface list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBed, usePair } from './harness/hooks';
import { BROWSER_KINDS, launch, type Bed, type BrowserKind, type FixtureServer, type RunningBrowser } from './harness';
import { launchWithHelper } from './harness/lan-helper';
import { candidateLines, localTypes, modeViolations, openPage, runScenario, UUID_LOCAL, walk, type BrowserPair, type Gathered, type Setting } from './harness/leak-tools';
import { backgroundCall } from './harness/page-tools';
import { Scope } from './harness/sys';
import { state, until } from './harness/ui-tools';

let bed: Bed;
let server: FixtureServer;

useBed(
  (b, s) => {
    bed = b;
    server = s;
  },
  { lanStun: true },
);

/** Local srflx/prflx candidate lines (anywhere in what a page read) whose address is one of the LAN host's. */
const reflexiveAtInterface = (value: unknown) =>
  candidateLines(value).filter((c) => (c.type === 'srflx' || c.type === 'prflx') && !/remote/i.test(c.at) && bed.lan.addresses.includes(c.address));
const addressesOf = (lines: { address: string }[]) => [...new Set(lines.map((c) => c.address))].sort();
/**
 * What a page read, with the LAN STUN server's own addresses (the page's configuration, the `url` of
 * candidate stats) replaced: they share the LAN's prefix, but they are the server the page chose, not
 * a trace of the browser's host, so the mode's promise is judged on the rest.
 */
const withoutLanServer = (value: unknown): unknown => {
  const server = bed.lanStunHost!;
  const text = JSON.stringify(value).split(server.v4).join('lan-stun-v4').split(server.v6).join('lan-stun-v6');
  return JSON.parse(text) as unknown;
};
const violations = (value: unknown) => modeViolations(withoutLanServer(value), 'srflx-only', bed);
/**
 * The same for stats where the browser names its host candidates itself: Chromium reports such a host
 * candidate's `address` and `ip` as '' (measured, with and without IceGuard), which reveals nothing;
 * only a non-empty host address must be a `<uuid>.local` name.
 */
const statsViolations = (value: unknown) => {
  const copy = withoutLanServer(value);
  walk(copy, (v) => {
    const e = v as Record<string, unknown> | null;
    if (!e || typeof e !== 'object' || e.type !== 'local-candidate' || e.candidateType !== 'host') return;
    for (const k of ['address', 'ip']) if (e[k] === '') delete e[k];
  });
  return modeViolations(copy, 'srflx-only', bed);
};
const pairOf = (control: RunningBrowser, guarded: RunningBrowser): BrowserPair => ({ control, guarded, close: async () => undefined });

describe.each(BROWSER_KINDS)('%s', (kind: BrowserKind) => {
  // The LAN STUN server, and the WAN one behind the NAT: the mapped address 203.0.113.1 is a srflx
  // candidate that must stay, next to the one at the interface address that must go.
  const servers = () => [...bed.lanStunServers, ...bed.iceServers];

  describe('raw host addresses (the camera-permission case)', () => {
    let browsers: BrowserPair;
    usePair(kind, () => bed, (pair) => (browsers = pair));
    const run = <T>(setting: Setting, fn: string) => runScenario<T>(browsers, server, setting, fn, [{ iceServers: servers(), getUserMedia: false }]);

    it('control: the browser itself emits no srflx at its interface address when its host candidates are raw (the host candidate says the same)', async () => {
      // Measured: Chromium (libwebrtc UDPPort) discards a STUN-mapped address equal to its socket's
      // local address when the socket is shared and no mDNS responder hides host addresses; Firefox
      // (nICEr) prunes a srflx candidate whose address equals an existing host candidate's. With only
      // the LAN STUN server, the page gets host candidates and nothing else.
      const lanOnly = await runScenario<Gathered>(browsers, server, 'control', 'gather', [{ iceServers: bed.lanStunServers, getUserMedia: false }]);
      expect(lanOnly.complete).toBe(true);
      expect(localTypes(lanOnly)).toEqual(['host']);
      expect(addressesOf(candidateLines(lanOnly.events).filter((c) => c.type === 'host'))).toEqual([...bed.lan.addresses].sort());
      const both = await run<Gathered>('control', 'gather');
      expect(reflexiveAtInterface(both)).toEqual([]);
      expect(candidateLines(both.events).some((c) => c.type === 'srflx' && c.address === bed.router.wanV4 && c.raddr === bed.lan.v4)).toBe(true);
    });

    it('srflx-only (default): no srflx at a LAN address and no mode violation in events, descriptions or stats', async () => {
      const seen = await run<Gathered>('srflx-only', 'gather');
      expect(seen.complete).toBe(true);
      expect(violations(seen)).toEqual([]);
      expect(reflexiveAtInterface(seen)).toEqual([]);
      expect(candidateLines(seen.events).some((c) => c.type === 'srflx' && c.address === bed.router.wanV4)).toBe(true);
      const descriptions = await run<Record<string, unknown>>('srflx-only', 'descriptions');
      expect(violations(descriptions)).toEqual([]);
      expect(reflexiveAtInterface(descriptions)).toEqual([]);
      const stats = await run<Record<string, unknown>>('srflx-only', 'stats');
      expect(stats.connected).toBe(true);
      expect(violations(stats)).toEqual([]);
      expect(reflexiveAtInterface(stats)).toEqual([]);
    });
  });

  describe('`.local` host names (no camera permission)', () => {
    const scope = new Scope();
    let control: RunningBrowser | undefined;
    let helped: RunningBrowser | undefined;
    beforeAll(async () => {
      [control, helped] = await Promise.all([
        launch(kind, { host: bed.lan, extension: false, rawHostIps: false }),
        launchWithHelper(kind, { host: bed.lan, rawHostIps: false }, scope),
      ]);
    });
    afterAll(async () => {
      await control?.close();
      await helped?.close();
      scope.close();
    });

    it('control: the stock browser hands the page a srflx candidate at its interface addresses (IPv4 and IPv6), next to `.local` host names', async () => {
      const seen = await runScenario<Gathered>(pairOf(control!, control!), server, 'control', 'gather', [{ iceServers: bed.lanStunServers, getUserMedia: false }]);
      expect(seen.complete).toBe(true);
      const hosts = candidateLines(seen.events).filter((c) => c.type === 'host');
      expect(hosts.length).toBeGreaterThan(0);
      expect(hosts.every((c) => UUID_LOCAL.test(c.address))).toBe(true);
      expect(addressesOf(reflexiveAtInterface(seen.events))).toEqual([...bed.lan.addresses].sort());
      expect(addressesOf(reflexiveAtInterface(seen.descriptions))).toEqual([...bed.lan.addresses].sort());
    });

    it('srflx-only with the LAN helper: the srflx at the interface address is dropped in events, descriptions and stats; the mapped one stays', async () => {
      const pair = pairOf(control!, helped!);
      // The helper connected (and listed this machine's interfaces) before the site's document starts.
      // Measured without this wait: Chromium's first document of the session released the srflx at
      // 198.51.100.10 once in two runs (the default-mode hint lets a srflx out before the background's
      // answer, which waits for the helper to connect and carries its interface list).
      const first = await openPage(pair, 'srflx-only', server.origins[0], '/leaks/index.html');
      try {
        await until('LAN helper', () => state(first).then((s) => s.helper.state), (s) => s === 'connected');
      } finally {
        await first.close();
      }
      const run = <T>(fn: string) => runScenario<T>(pair, server, 'srflx-only', fn, [{ iceServers: servers(), getUserMedia: false }]);
      const seen = await run<Gathered>('gather');
      expect(seen.complete).toBe(true);
      expect(violations(seen)).toEqual([]);
      expect(reflexiveAtInterface(seen)).toEqual([]);
      expect(candidateLines(seen.events).some((c) => c.type === 'srflx' && c.address === bed.router.wanV4)).toBe(true);
      const descriptions = await run<Record<string, unknown>>('descriptions');
      expect(violations(descriptions)).toEqual([]);
      expect(reflexiveAtInterface(descriptions)).toEqual([]);
      const stats = await run<Record<string, unknown>>('stats');
      expect(stats.connected).toBe(true);
      expect(statsViolations(stats)).toEqual([]);
      expect(reflexiveAtInterface(stats)).toEqual([]);
    });

    // Without the helper and without raw host candidates of the site, IceGuard cannot know the srflx address is this machine's (documented): nothing asserted.
  });

  // A site whose earlier document got raw host candidates: Chromium gives them to an origin holding
  // camera permission; once the permission is gone, its next document gets `.local` names and the
  // srflx at the interface address. (Firefox cannot be put in that state here: obfuscation is a
  // global preference, and WebDriver BiDi does not set the camera permission.)
  if (kind === 'chromium') describe('`.local` host names, after a raw document of the same site (no helper)', () => {
    let guarded: RunningBrowser | undefined;
    beforeAll(async () => {
      guarded = await launch(kind, { host: bed.lan, rawHostIps: false });
    });
    afterAll(async () => {
      await guarded?.close();
    });

    it('srflx-only: the site\'s raw host addresses, kept by the background, drop the srflx at the interface address', async () => {
      const pair = pairOf(guarded!, guarded!);
      const origin = server.origins[0];
      const context = guarded!.browser.defaultBrowserContext();
      const gather = () => runScenario<Gathered>(pair, server, 'srflx-only', 'gather', [{ iceServers: servers(), getUserMedia: false }]);

      await context.overridePermissions(origin, ['camera', 'microphone']);
      const raw = await gather();
      expect(raw.complete).toBe(true);
      expect(violations(raw)).toEqual([]);
      // The background holds the site's host addresses (storage.session), as the relay reported them.
      const probe = await openPage(pair, 'srflx-only', origin, '/leaks/index.html');
      try {
        await until(
          'site hosts',
          async () => {
            const r = await backgroundCall<{ items?: Record<string, unknown> }>(probe, { type: 'storage-get', area: 'session' });
            return Object.entries(r.items ?? {}).filter(([k]) => k.startsWith('hosts:')).flatMap(([, v]) => (Array.isArray(v) ? v : []));
          },
          (hosts) => bed.lan.addresses.every((a) => hosts.includes(a)),
        );
      } finally {
        await probe.close();
      }

      await context.clearPermissionOverrides();
      const seen = await gather();
      expect(seen.complete).toBe(true);
      // The browser now hides its host addresses (the setup holds): every host candidate is a name.
      expect(candidateLines(seen.events).filter((c) => c.type === 'host').every((c) => UUID_LOCAL.test(c.address))).toBe(true);
      expect(violations(seen)).toEqual([]);
      expect(reflexiveAtInterface(seen)).toEqual([]);
      expect(candidateLines(seen.events).some((c) => c.type === 'srflx' && c.address === bed.router.wanV4)).toBe(true);
    });
  });
});
