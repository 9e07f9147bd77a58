// The page shim's promise per mode, in both browsers, through the most common path (icecandidate
// events and the local description after gathering). The leak catalogue (leaks-*.test.ts) covers
// every other channel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBed } from './harness/hooks';
import { backgroundCall, BROWSER_KINDS, findAddresses, gather, launch, type Bed, type FixtureServer, type RunningBrowser } from './harness';
import type { Page } from 'puppeteer-core';

const MDNS_HOST = /^candidate:\S+ \d \S+ \d+ [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.local \d+ typ host/;

let bed: Bed;
let server: FixtureServer;

useBed((b, s) => {
  bed = b;
  server = s;
});
describe.each(BROWSER_KINDS)('%s', (kind) => {
  let b: RunningBrowser;
  let page: Page;
  beforeAll(async () => {
    b = await launch(kind, { host: bed.lan });
    page = await b.browser.newPage();
  });
  afterAll(async () => {
    await b?.close();
  });

  async function visit(mode: 'srflx-only' | 'relay-only' | 'direct' | 'off' | null, origin = server.origins[0]) {
    await page.goto(`${origin}/gather.html`);
    await backgroundCall(page, { type: 'set-site-mode', origin, mode });
    await page.goto(`${origin}/gather.html`);
  }

  it('srflx-only (the default): host candidates become mDNS names, srflx and relay stay, no local address anywhere', async () => {
    await visit(null);
    const seen = await gather(page, { iceServers: bed.iceServers });
    expect(seen.complete).toBe(true);
    expect(findAddresses(JSON.stringify(seen), bed.lan.addresses)).toEqual([]);
    expect(seen.types).toEqual(expect.arrayContaining(['host', 'srflx', 'relay']));
    const hosts = seen.candidates.filter((c) => c.includes(' typ host'));
    expect(hosts.length).toBeGreaterThan(0);
    for (const h of hosts) expect(h).toMatch(MDNS_HOST);
    for (const c of seen.candidates.filter((c) => / typ (srflx|relay)/.test(c))) expect(c).toMatch(/ raddr (0\.0\.0\.0|::) rport 9/);
    // One name per address: UDP and TCP host candidates of one address share it; IPv4 and IPv6 differ.
    const names = new Set(hosts.map((h) => h.split(' ')[4]));
    expect(names.size).toBe(2);
    // The SDP uses the same names as the events.
    for (const n of names) expect(seen.sdp).toContain(n);
  });

  it('names are stable within a site and differ across sites', async () => {
    await visit(null, server.origins[0]);
    const a1 = await gather(page, { iceServers: [] });
    await visit(null, server.origins[0]);
    const a2 = await gather(page, { iceServers: [] });
    await visit(null, server.origins[1]);
    const b1 = await gather(page, { iceServers: [] });
    const names = (g: typeof a1) => new Set(g.candidates.filter((c) => c.includes(' typ host')).map((c) => c.split(' ')[4]));
    expect([...names(a2)].sort()).toEqual([...names(a1)].sort());
    for (const n of names(b1)) expect(names(a1).has(n)).toBe(false);
  });

  it('keeps working after the page calls document.open(), which erases the window\'s listeners', async () => {
    await visit(null);
    await page.evaluate(() => {
      document.open();
      document.write('<!doctype html><title>rewritten</title><script src="/lib/fixture.js"></script>');
      document.close();
    });
    const seen = await gather(page, { iceServers: bed.iceServers });
    expect(seen.complete).toBe(true);
    expect(findAddresses(JSON.stringify(seen), bed.lan.addresses)).toEqual([]);
    expect(seen.types).toEqual(expect.arrayContaining(['host', 'srflx', 'relay']));
  });

  it('a sender\'s getStats saved before any connection existed reveals nothing (it reads as empty)', async () => {
    await visit(null);
    const seen = await page.evaluate(async (iceServers) => {
      const saved = RTCRtpSender.prototype.getStats; // taken before IceGuard patches senders
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const a = new RTCPeerConnection({ iceServers });
      const b = new RTCPeerConnection({ iceServers });
      a.onicecandidate = (e) => void (e.candidate && b.addIceCandidate(e.candidate));
      b.onicecandidate = (e) => void (e.candidate && a.addIceCandidate(e.candidate));
      const sender = a.addTrack(stream.getTracks()[0]!, stream);
      await a.setLocalDescription(await a.createOffer());
      await b.setRemoteDescription(a.localDescription!);
      await b.setLocalDescription(await b.createAnswer());
      await a.setRemoteDescription(b.localDescription!);
      const deadline = Date.now() + 8000;
      while (a.iceConnectionState !== 'connected' && a.iceConnectionState !== 'completed' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const viaSaved: unknown[] = [];
      (await saved.call(sender)).forEach((v) => viaSaved.push(v));
      const viaPatched: unknown[] = [];
      (await sender.getStats()).forEach((v) => viaPatched.push(v));
      a.close();
      b.close();
      stream.getTracks().forEach((t) => t.stop());
      return { state: a.iceConnectionState, viaSaved: JSON.stringify(viaSaved), patchedTypes: viaPatched.map((v) => (v as { type: string }).type) };
    }, bed.iceServers);
    expect(findAddresses(seen.viaSaved, bed.lan.addresses)).toEqual([]);
    expect(seen.viaSaved).toBe('[]');
    // Through the patched method the sender's report is there, sanitized.
    expect(seen.patchedTypes).toEqual(expect.arrayContaining(['outbound-rtp']));
  });

  it('relay-only: only relay candidates, their raddr scrubbed too', async () => {
    await visit('relay-only');
    const seen = await gather(page, { iceServers: bed.iceServers });
    expect(findAddresses(JSON.stringify(seen), [...bed.lan.addresses, bed.router.wanV4])).toEqual([]);
    expect(seen.types).toEqual(['relay']);
  });

  it('direct: the browser\'s own candidates, unchanged', async () => {
    await visit('direct');
    const seen = await gather(page, { iceServers: bed.iceServers });
    expect(findAddresses(seen.candidates.join('\n'), [bed.lan.v4])).toEqual([bed.lan.v4]);
    expect(seen.types).toEqual(expect.arrayContaining(['host', 'srflx', 'relay']));
  });

  it('off: the constructor throws NotAllowedError (once the mode has arrived), and nothing is gathered before', async () => {
    await visit('off');
    // The mode reaches the page asynchronously, a few milliseconds after document_start: until then
    // a connection can be made, but everything it gathers is held and then dropped.
    const early = await gather(page, { iceServers: bed.iceServers, timeoutMs: 2000 }).catch((e: Error) => e.message);
    if (typeof early !== 'string') expect(early.candidates).toEqual([]);
    else expect(early).toContain('WebRTC is turned off for this site by IceGuard');
    const error = await page.evaluate(() => {
      try {
        new RTCPeerConnection();
        return null;
      } catch (e) {
        return { name: (e as DOMException).name, isDOMException: e instanceof DOMException };
      }
    });
    expect(error).toEqual({ name: 'NotAllowedError', isDOMException: true });
    await visit(null);
  });
});
