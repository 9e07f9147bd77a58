// The LAN helper's promise, end to end (issue #7): Chromium in host A with IceGuard in srflx-only
// (LAN names on) and the helper installed into its profile; a browser in host B on the same bridge.
// No STUN or TURN: only host candidates exist, and A's reach B only as IceGuard's `.local` names.
// With the helper, B resolves A's names over mDNS and they connect host to host; A's page never saw
// its own address. Without it, two IceGuard browsers cannot reach each other at all.
import type { Page } from 'puppeteer-core';
import { afterAll, describe, expect, it } from 'vitest';
import { backgroundCall, findAddresses, launch, type Bed, type FixtureServer, type Host, type RunningBrowser } from './harness';
import { launchWithHelper, probe } from './harness/lan-helper';
import { openPeer as open, peerApi as api, peerCall as call, useTwoHosts } from './harness/peer-page';
import type { Scope } from './harness/sys';

let bed: Bed;
let hostB: Host;
let serverA: FixtureServer;
let serverB: FixtureServer;
let scope: Scope;
useTwoHosts((t) => ({ bed, hostB, serverA, serverB, scope } = t));

describe('chromium: LAN names through the helper', () => {
  let a: RunningBrowser | undefined;
  let b: RunningBrowser | undefined;
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('an unmodified browser on the LAN resolves A\'s names and connects host to host; A\'s page never sees its address', async () => {
    a = await launchWithHelper('chromium', { host: bed.lan }, scope);
    b = await launch('chromium', { host: hostB, extension: false, rawHostIps: false });
    const pa = await open(a, serverA.origins[0]);
    const pb = await open(b, serverB.origins[0]);
    const { opened, offer } = await call(pa, pb, 10_000);
    // What A handed out: names only (the browser gave A's page raw addresses: fake camera UI).
    expect(offer.candidates.length).toBeGreaterThan(0);
    for (const c of offer.candidates) expect(c).toMatch(/ [0-9a-f-]{36}\.local \d+ typ host/);
    expect(opened).toBe(true);
    const pair = await api(pb).selectedPair();
    expect(pair).not.toBeNull();
    expect(pair!.local.type).toBe('host');
    // B's end of the pair is A's *host* candidate: B resolved A's name (through the helper). Had it not,
    // B could only have learned A's address from A's checks, as a peer-reflexive candidate (the
    // control below). Chromium shows no address for a remote candidate that came as a name.
    expect(pair!.remote.type).toBe('host');
    expect(pair!.remote.address ?? '').toBe('');
    await api(pa).selectedPair();
    expect(findAddresses(await api(pa).seen(), bed.lan.addresses)).toEqual([]);
    // The options page says the helper is connected, with its version.
    const options = await a.browser.newPage();
    await options.goto(`chrome-extension://${a.extensionId}/options.html`);
    await options.waitForFunction(() => /LAN helper \d/.test(document.getElementById('helper-status')?.textContent ?? ''), { timeout: 10_000 });
    expect(await options.$eval('#helper-status', (e) => e.textContent)).toBe('Connected (LAN helper 0.1.0).');
    expect(await options.$eval('#helper-install', (e) => (e as HTMLElement).hidden)).toBe(true);
  });
});

/** The `.local` names in candidate lines. */
const namesIn = (lines: string[]) => [...new Set(lines.flatMap((l) => / ([0-9a-f-]{36}\.local) /.exec(l)?.[1] ?? []))].sort();
/** How many of its names a document showed before its own registration was answered (relay test bridge). */
const earlyNames = (page: Page) => backgroundCall<{ state: { earlyNames: number } }>(page, { type: 'relay-state' }).then((r) => r.state.earlyNames);
/** How many of the document's candidates the relay held back (for a name's registration, or the mode). */
const heldCandidates = (page: Page) =>
  backgroundCall<{ state: { askLog: { kind: string; pending: boolean }[] } }>(page, { type: 'relay-state' }).then((r) => r.state.askLog.filter((x) => x.kind === 'candidate' && x.pending).length);

describe('chromium: a second document of a site, with the helper', () => {
  let a: RunningBrowser | undefined;
  let b: RunningBrowser | undefined;
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('shows the names the helper answers for already without waiting (registered ahead, or early), registers them for its tab too (closing the first tab says no goodbye), and B connects to it host to host', async () => {
    a = await launchWithHelper('chromium', { host: bed.lan }, scope);
    b = await launch('chromium', { host: hostB, extension: false, rawHostIps: false });
    const site = serverA.origins[0];
    const first = await open(a, site);
    const names = namesIn((await api(first).offer()).candidates);
    expect(names.length).toBeGreaterThan(0);
    expect(await earlyNames(first)).toBe(0);
    expect(await heldCandidates(first)).toBeGreaterThan(0); // the site's first document waited for its registration

    const second = await open(a, site);
    const pb = await open(b, serverB.origins[0]);
    const { opened, offer } = await call(second, pb, 10_000);
    expect(namesIn(offer.candidates)).toEqual(names); // one name per address and site
    // No candidate waited: the names were registered for this document when its page first used
    // WebRTC (SiteState.warm), before its first candidate; or shown early, as the helper answered for
    // them already (the first tab's registration), whichever came first.
    expect(await heldCandidates(second)).toBe(0);
    expect(opened).toBe(true);
    expect((await api(pb).selectedPair())?.remote.type).toBe('host');

    // The first tab goes; the second still shows the names, so they stay: no goodbye, and they resolve.
    const listening = names.flatMap((n) => [probe(hostB.ns, scope, n, 'ANY', 'listen', 2500, 4), probe(hostB.ns, scope, n, 'ANY', 'listen', 2500, 6)]);
    await Promise.all(listening.map((l) => l.started));
    await first.close();
    const heard = (await Promise.all(listening.map((l) => l.heard))).flat();
    expect(heard.filter((r) => r.ttl === 0)).toEqual([]);
    for (const n of names) {
      const answers = await probe(hostB.ns, scope, n, 'ANY', 'qm', 1500).heard;
      expect(answers.some((r) => r.section === 'answers' && r.ttl === 120 && (r.type === 'A' || r.type === 'AAAA'))).toBe(true);
    }
    expect(findAddresses(await api(second).seen(), bed.lan.addresses)).toEqual([]);
  });
});

describe('chromium: the same without the helper (control)', () => {
  let a: RunningBrowser | undefined;
  let b: RunningBrowser | undefined;
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('A\'s names resolve nowhere: B reaches A only as a peer-reflexive candidate learned from A\'s checks', async () => {
    a = await launch('chromium', { host: bed.lan });
    b = await launch('chromium', { host: hostB, extension: false, rawHostIps: false });
    const pa = await open(a, serverA.origins[0]);
    const pb = await open(b, serverB.origins[0]);
    const { opened } = await call(pa, pb, 10_000);
    const pair = opened ? await api(pb).selectedPair() : null;
    expect(pair?.remote.type ?? 'none').not.toBe('host');
  });
});

describe('chromium: two IceGuard browsers', () => {
  const browsers: RunningBrowser[] = [];
  afterAll(async () => {
    for (const b of browsers) await b.close();
  });

  it('without the helper they cannot reach each other (names resolve nowhere); with it on both sides they connect host to host', async () => {
    const plainA = await launch('chromium', { host: bed.lan });
    const plainB = await launch('chromium', { host: hostB });
    browsers.push(plainA, plainB);
    const without = await call(await open(plainA, serverA.origins[0]), await open(plainB, serverB.origins[0]), 6000);
    expect(without.opened).toBe(false);
    await plainA.close();
    await plainB.close();

    const helpedA = await launchWithHelper('chromium', { host: bed.lan }, scope);
    const helpedB = await launchWithHelper('chromium', { host: hostB }, scope);
    browsers.push(helpedA, helpedB);
    const pa = await open(helpedA, serverA.origins[0]);
    const pb = await open(helpedB, serverB.origins[0]);
    const withHelpers = await call(pa, pb, 10_000);
    expect(withHelpers.opened).toBe(true);
    const pair = await api(pb).selectedPair();
    expect(pair?.remote.type).toBe('host');
    // Neither page saw its own host's address. (The other host's may show as the remote end in stats:
    // the bed's documentation addresses count as public; a real LAN's private ones would be hidden.)
    expect(findAddresses(await api(pa).seen(), bed.lan.addresses)).toEqual([]);
    expect(findAddresses(await api(pb).seen(), hostB.addresses)).toEqual([]);
  });
});

describe('firefox: LAN names through the helper', () => {
  const browsers: RunningBrowser[] = [];
  afterAll(async () => {
    for (const b of browsers) await b.close();
  });

  it('Firefox with IceGuard and the helper in host A; an unmodified Chromium in B connects host to host', async () => {
    const a = await launchWithHelper('firefox', { host: bed.lan }, scope);
    const b = await launch('chromium', { host: hostB, extension: false, rawHostIps: false });
    browsers.push(a, b);
    const pa = await open(a, serverA.origins[0]);
    const pb = await open(b, serverB.origins[0]);
    const { opened, offer } = await call(pa, pb, 10_000);
    expect(offer.candidates.filter((c) => / typ host/.test(c)).length).toBeGreaterThan(0);
    for (const c of offer.candidates.filter((c) => / typ host/.test(c))) expect(c).toMatch(/ [0-9a-f-]{36}\.local \d+ typ host/);
    expect(opened).toBe(true);
    expect((await api(pb).selectedPair())?.remote.type).toBe('host');
    await api(pa).selectedPair();
    expect(findAddresses(await api(pa).seen(), bed.lan.addresses)).toEqual([]);
  });
});
