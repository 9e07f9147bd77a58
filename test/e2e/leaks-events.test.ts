// Leak catalogue (docs/design.md#leak-1, #leak-3, #leak-4, #leak-15, #leak-17): what icecandidate events hand
// a page, through every way a page can listen and read them. Each surface runs without the extension first
// (the control: the page sees the raw host address, so the test means something), then with it.
import { describe, expect, it } from 'vitest';
import { useBed, usePair } from './harness/hooks';
import { BROWSER_KINDS, findAddresses, type Bed, type FixtureServer } from './harness';
import {
  candidateLines,
  localTypes,
  mdnsNames,
  modeViolations,
  runScenario,
  tracesPerPath,
  UUID_LOCAL,
  type BrowserPair,
  type Gathered,
  type Setting,
} from './harness/leak-tools';

let bed: Bed;
let server: FixtureServer;

useBed((b, s) => {
  bed = b;
  server = s;
});

describe.each(BROWSER_KINDS)('%s', (kind) => {
  let browsers: BrowserPair;
  usePair(kind, () => bed, (pair) => (browsers = pair));

  const gather = (setting: Setting, opts: { getUserMedia?: boolean; origin?: 0 | 1 } = {}) =>
    runScenario<Gathered>(browsers, server, setting, 'gather', [{ iceServers: bed.iceServers, getUserMedia: opts.getUserMedia ?? false }], {
      origin: opts.origin ?? 0,
    });
  const hostAddresses = (value: unknown) => [...new Set(candidateLines(value).filter((c) => c.type === 'host').map((c) => c.address))].sort();

  it('control: every icecandidate path shows the raw host address (onicecandidate, addEventListener, another realm\'s listener and getters)', async () => {
    const seen = await gather('control');
    expect(seen.complete).toBe(true);
    const everyPath = Object.fromEntries(Object.keys(seen.events).map((k) => [k, bed.lan.addresses]));
    expect(tracesPerPath(seen.events, bed)).toEqual(everyPath);
    // address, relatedAddress (srflx raddr) and toJSON() each carry it on their own.
    const fields = seen.events.addEventListener as Array<Record<string, unknown> | null>;
    expect(fields.some((c) => c && String(c.address).includes(bed.lan.v4))).toBe(true);
    expect(fields.some((c) => c && c.type === 'srflx' && c.relatedAddress === bed.lan.v4)).toBe(true);
    expect(fields.some((c) => c && JSON.stringify(c.toJSON).includes(bed.lan.v4))).toBe(true);
    expect(localTypes(seen.events)).toEqual(['host', 'relay', 'srflx']);
  });

  it('srflx-only (default): no local address on any icecandidate path; host candidates as <uuid>.local, srflx and relay kept, raddr/rport scrubbed', async () => {
    const seen = await gather('srflx-only');
    expect(modeViolations(seen.events, 'srflx-only', bed)).toEqual([]);
    expect(seen.complete).toBe(true);
    expect(localTypes(seen.events)).toEqual(['host', 'relay', 'srflx']);
    const lines = candidateLines(seen.events);
    expect(lines.filter((c) => c.type === 'host').every((c) => UUID_LOCAL.test(c.address))).toBe(true);
    expect(lines.some((c) => c.type === 'srflx' && c.address === bed.router.wanV4)).toBe(true);
    expect(lines.some((c) => c.type === 'relay' && c.address === bed.wan.v4)).toBe(true);
    // Every path delivered the same candidates (none of them can be a way around the others).
    const perPath = Object.values(seen.events).map((list) => list.length);
    expect(new Set(perPath).size).toBe(1);
  });

  it('relay-only: only relay candidates on every icecandidate path, raddr scrubbed, not even the mapped address', async () => {
    const seen = await gather('relay-only');
    expect(modeViolations(seen.events, 'relay-only', bed)).toEqual([]);
    expect(seen.complete).toBe(true);
    expect(localTypes(seen.events)).toEqual(['relay']);
    expect(candidateLines(seen.events).some((c) => c.address === bed.wan.v4)).toBe(true);
  });

  it('direct: the page sees the browser\'s own raw candidates', async () => {
    const seen = await gather('direct');
    expect(seen.complete).toBe(true);
    const everyPath = Object.fromEntries(Object.keys(seen.events).map((k) => [k, bed.lan.addresses]));
    expect(tracesPerPath(seen.events, bed)).toEqual(everyPath);
    const lines = candidateLines(seen.events);
    expect(hostAddresses(seen.events)).toEqual([...bed.lan.addresses].sort());
    expect(lines.some((c) => c.type === 'srflx' && c.raddr === bed.lan.v4)).toBe(true);
  });

  it('srflx-only: srflx raddr/rport read as 0.0.0.0 or :: and 9 or 0, in the string and in relatedAddress/relatedPort (item 3)', async () => {
    const control = await gather('control');
    const srflxControl = (control.events.addEventListener as Array<Record<string, unknown> | null>).filter((c) => c?.type === 'srflx');
    expect(srflxControl.map((c) => c!.relatedAddress)).toContain(bed.lan.v4);

    const seen = await gather('srflx-only');
    const srflx = (seen.events.addEventListener as Array<Record<string, unknown> | null>).filter((c) => c?.type === 'srflx');
    expect(srflx.length).toBeGreaterThan(0);
    for (const c of srflx) {
      expect(['0.0.0.0', '::']).toContain(c!.relatedAddress);
      expect([9, 0]).toContain(c!.relatedPort);
      expect(String(c!.candidate)).toMatch(/ raddr (0\.0\.0\.0|::) rport (9|0)( |$)/);
    }
  });

  it('srflx-only: foundations are re-randomised, none equals one this browser gave its own candidates (item 4)', async () => {
    // The browser's own foundations, in this browser session: another site in direct mode sees them.
    const own = candidateLines((await gather('direct', { origin: 1 })).events.addEventListener);
    expect(own.filter((c) => c.type === 'host').length).toBeGreaterThan(0);
    const browserFoundations = new Set(own.map((c) => c.foundation));

    const seen = candidateLines((await gather('srflx-only')).events.addEventListener);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((c) => browserFoundations.has(c.foundation)).map((c) => c.line)).toEqual([]);
  });

  it('srflx-only: one <uuid>.local name per host address, the same in events, SDP and stats, across connections and reloads; another site gets other names (item 15)', async () => {
    const raw = hostAddresses((await gather('control')).events);
    expect(raw).toEqual([...bed.lan.addresses].sort());

    const first = await gather('srflx-only');
    const names = mdnsNames(first.events);
    expect(names).toHaveLength(raw.length);
    expect(mdnsNames(first.descriptions)).toEqual(names);
    const again = await gather('srflx-only'); // a new page of the same site, same browser session
    expect(mdnsNames(again.events)).toEqual(names);
    const stats = await runScenario<Record<string, unknown>>(browsers, server, 'srflx-only', 'stats', [{ iceServers: bed.iceServers }]);
    expect(mdnsNames(stats)).toEqual(names);

    const otherSite = await gather('srflx-only', { origin: 1 });
    const otherNames = mdnsNames(otherSite.events);
    expect(otherNames).toHaveLength(raw.length);
    expect(otherNames.filter((n) => names.includes(n))).toEqual([]);
  });

  it('camera granted (getUserMedia): control shows the raw host address; srflx-only and relay-only hide it (item 17)', async () => {
    const control = await gather('control', { getUserMedia: true });
    expect(control.complete).toBe(true);
    expect(findAddresses(JSON.stringify(control), bed.lan.addresses)).toEqual(bed.lan.addresses);

    const srflx = await gather('srflx-only', { getUserMedia: true });
    expect(modeViolations(srflx, 'srflx-only', bed)).toEqual([]);
    expect(localTypes(srflx.events)).toEqual(['host', 'relay', 'srflx']);
    const relay = await gather('relay-only', { getUserMedia: true });
    expect(modeViolations(relay, 'relay-only', bed)).toEqual([]);
    expect(localTypes(relay.events)).toEqual(['relay']);
  });
});
