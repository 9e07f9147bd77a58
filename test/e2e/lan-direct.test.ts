// Consented `direct` without camera permission (issue #7): Chromium hides host addresses behind its
// own `<uuid>.local` names until a page gets the camera. For a site the user allowed `direct`, the
// LAN helper asks the LAN for those names (Chromium's own mDNS responder answers), and the page gets
// real host candidates, in events and in descriptions. Controls: another site in the same browser
// (default mode) gets IceGuard's names; the same `direct` site without the helper gets the browser's
// names. Firefox ESR does not answer mDNS questions for its own names (measured: neither from its
// host nor from another), so IceGuard does not ask there: its names stay names, at once.
import type { Page } from 'puppeteer-core';
import { afterAll, describe, expect, it } from 'vitest';
import { backgroundCall, findAddresses, launch, type RunningBrowser } from './harness';
import { launchWithHelper } from './harness/lan-helper';
import { openPeer, peerApi, peerCall, useTwoHosts, type TwoHosts } from './harness/peer-page';

let lan: TwoHosts;
useTwoHosts((t) => (lan = t));

const NAME = /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.local/i;
const hostLines = (lines: string[]) => lines.filter((c) => / typ host/.test(c));

/** The user's decision for `origin`, made through the test bridge; pages opened afterwards get it. */
async function allowDirect(b: RunningBrowser, origin: string): Promise<void> {
  const page = await b.browser.newPage();
  await page.goto(`${origin}/peer.html`);
  await backgroundCall(page, { type: 'set-site-mode', origin, mode: 'direct' });
  await page.close();
}

/** Browsers of this file, closed after it. */
const running: RunningBrowser[] = [];
const keep = (b: RunningBrowser) => (running.push(b), b);
afterAll(async () => {
  for (const r of running) await r.close();
});

describe('chromium, no camera permission, LAN helper installed', () => {
  it('a direct site gets its real host addresses (events and SDP) after the browser\'s names and connects host to host; another site gets IceGuard\'s names', async () => {
    const a = keep(await launchWithHelper('chromium', { host: lan.bed.lan, rawHostIps: false }, lan.scope));
    const b = keep(await launch('chromium', { host: lan.hostB, extension: false, rawHostIps: false }));
    const direct = lan.serverA.origins[0]!;
    await allowDirect(a, direct);
    const pa: Page = await openPeer(a, direct);
    const pb = await openPeer(b, lan.serverB.origins[0]!);
    const started = Date.now();
    const { opened, offer, answer } = await peerCall(pa, pb, 10_000);
    const ms = Date.now() - started;
    const hosts = hostLines(offer.candidates);
    console.log(`direct + helper: ${hosts.length} host candidates, call set up in ${ms} ms:\n  ${hosts.join('\n  ')}`);
    // Each host candidate comes as the browser gives it, with its name, at once (a pair inside this
    // browser connects as fast as without IceGuard, issue #21); the address behind the name follows
    // as a candidate of its own, the same candidate but for the address (issue #7).
    const named = hosts.filter((c) => NAME.test(c));
    const addressed = hosts.filter((c) => !NAME.test(c));
    expect(named.length).toBeGreaterThan(0);
    expect(addressed.length).toBe(named.length);
    for (const c of addressed) {
      const original = named.find((n) => n.replace(NAME, 'ADDRESS') === c.replace(/^(candidate:\S+ \d+ \S+ \d+ )\S+/, '$1ADDRESS'));
      expect(original, c).toBeDefined();
      expect(hosts.indexOf(original!)).toBeLessThan(hosts.indexOf(c));
    }
    // The addresses are the host's own, in the trickled candidates and in the description; the end of
    // gathering came after all of them.
    expect(findAddresses(addressed.join('\n'), lan.bed.lan.addresses).sort()).toEqual([...lan.bed.lan.addresses].sort());
    expect(offer.late).toEqual([]);
    expect(offer.state).toBe('complete');
    const sdpHosts = offer.sdp.split(/\r?\n/).filter((l) => l.startsWith('a=candidate:') && / typ host/.test(l));
    // (Events carry the ufrag, descriptions give it once for all: the browser's own formats.)
    const bare = (c: string) => c.replace(/ ufrag \S+/, '');
    expect(sdpHosts.map((l) => bare(l.slice(2))).sort()).toEqual(hosts.map(bare).sort());
    expect(opened).toBe(true);
    const pair = await peerApi(pa).selectedPair();
    expect(pair?.local.type).toBe('host');

    // A page can make its relay ask for any name (forged request): B's names are not this machine's,
    // so even the direct site learns nothing about B through the helper; a default site gets nothing.
    const bName = answer.candidates.map((c) => NAME.exec(c)?.[0]).find(Boolean)!;
    expect(bName).toBeDefined();
    const forge = (page: Page) => backgroundCall<{ reply: unknown }>(page, { type: 'forge', message: { type: 'resolve', origin: 'x', names: [bName] } });
    expect((await forge(pa)).reply).toEqual({ resolved: { [bName.toLowerCase()]: null } });

    // The same browser, a site left at the default: IceGuard's names, no address.
    const other = await openPeer(a, lan.serverA.origins[1]!);
    const side = await peerApi(other).offer();
    expect(hostLines(side.candidates).length).toBeGreaterThan(0);
    for (const c of hostLines(side.candidates)) expect(c).toMatch(NAME);
    expect(findAddresses(JSON.stringify(side) + (await peerApi(other).seen()), lan.bed.lan.addresses)).toEqual([]);
    expect((await forge(other)).reply).toEqual({ resolved: { [bName.toLowerCase()]: null } });
  });
});

describe('controls', () => {
  it('chromium without the helper: the direct site gets the browser\'s own names, as the browser gives them', async () => {
    const a = keep(await launch('chromium', { host: lan.bed.lan, rawHostIps: false }));
    await allowDirect(a, lan.serverA.origins[0]!);
    const side = await peerApi(await openPeer(a, lan.serverA.origins[0]!)).offer();
    expect(hostLines(side.candidates).length).toBeGreaterThan(0);
    for (const c of hostLines(side.candidates)) expect(c).toMatch(NAME);
    expect(findAddresses(JSON.stringify(side), lan.bed.lan.addresses)).toEqual([]);
  });

  it('firefox with the helper: its names stay names (Firefox does not answer for them, so IceGuard does not ask), without delay', async () => {
    const a = keep(await launchWithHelper('firefox', { host: lan.bed.lan, rawHostIps: false }, lan.scope));
    await allowDirect(a, lan.serverA.origins[0]!);
    const started = Date.now();
    const side = await peerApi(await openPeer(a, lan.serverA.origins[0]!)).offer();
    const ms = Date.now() - started;
    console.log(`firefox direct + helper: offer with ${hostLines(side.candidates).length} host candidates in ${ms} ms`);
    expect(hostLines(side.candidates).length).toBeGreaterThan(0);
    // Nothing waited for a lookup that cannot succeed (the helper would give up after 3 s per name).
    expect(ms).toBeLessThan(3000);
    for (const c of hostLines(side.candidates)) expect(c).toMatch(NAME);
  });
});
