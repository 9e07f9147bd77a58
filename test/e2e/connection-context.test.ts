// One connection context per connection on every surface (issue #18): the relay keeps what it shows
// for a connection (its foundations) under that connection, and lets it go when the connection
// closes. Stats of a sender or receiver and the candidates of an ICE transport are asked for as the
// connection that holds them (src/page/owners.ts), so reading them opens no context of their own;
// and a closed connection, read again, starts none that nothing would ever release.
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { useBed, useQuietPage } from './harness/hooks';
import { backgroundCall, BROWSER_KINDS, type Bed, type FixtureServer } from './harness';

let bed: Bed;
let server: FixtureServer;
useBed((b, s) => {
  bed = b;
  server = s;
});

const PAIRS = 3;

/** How many connection contexts the page's relay holds now. */
const contexts = async (page: Page) => (await backgroundCall<{ state: { held: { connections: number } } }>(page, { type: 'relay-state' })).state.held.connections;

/** PAIRS in-page pairs with an audio transceiver and a data channel, connected (no ICE server: host to host). */
function connectPairs(page: Page): Promise<boolean> {
  return page.evaluate(async (n) => {
    const all: RTCPeerConnection[] = [];
    const connected = (pc: RTCPeerConnection) =>
      new Promise<boolean>((resolve) => {
        const done = () => pc.connectionState === 'connected' && resolve(true);
        pc.addEventListener('connectionstatechange', done);
        setTimeout(() => resolve(false), 15_000);
        done();
      });
    const pairs = [];
    for (let i = 0; i < n; i++) {
      const [a, b] = [new RTCPeerConnection(), new RTCPeerConnection()];
      a.addTransceiver('audio');
      a.createDataChannel('c');
      a.onicecandidate = (e) => void (e.candidate && b.addIceCandidate(e.candidate));
      b.onicecandidate = (e) => void (e.candidate && a.addIceCandidate(e.candidate));
      await a.setLocalDescription();
      await b.setRemoteDescription(a.localDescription!);
      await b.setLocalDescription();
      await a.setRemoteDescription(b.localDescription!);
      all.push(a, b);
      pairs.push(Promise.all([connected(a), connected(b)]));
    }
    (window as unknown as { pcs: RTCPeerConnection[] }).pcs = all;
    return (await Promise.all(pairs)).every((p) => p.every(Boolean));
  }, PAIRS);
}

/** Reads every sender's and receiver's stats and every ICE transport's candidates; how many reports came back. */
function readSurfaces(page: Page): Promise<number> {
  return page.evaluate(async () => {
    let reports = 0;
    for (const pc of (window as unknown as { pcs: RTCPeerConnection[] }).pcs) {
      for (const x of [...pc.getSenders(), ...pc.getReceivers()]) {
        const r = await x.getStats().catch(() => null);
        if (r) reports++;
        const ice = x.transport?.iceTransport as (RTCIceTransport & { getLocalCandidates?: () => unknown[] }) | undefined;
        ice?.getSelectedCandidatePair?.();
        ice?.getLocalCandidates?.();
      }
      const sctpIce = pc.sctp?.transport.iceTransport as (RTCIceTransport & { getLocalCandidates?: () => unknown[] }) | undefined;
      sctpIce?.getLocalCandidates?.();
    }
    return reports;
  });
}

describe.each(BROWSER_KINDS)('%s', (kind) => {
  let page: Page;
  useQuietPage(
    kind,
    () => bed,
    () => `${server.origins[0]}/leaks/blank.html`,
    (p) => (page = p),
  );

  it('sender, receiver and ICE-transport reads are their connection\'s: no context besides the connections\' own', async () => {
    expect(await connectPairs(page)).toBe(true);
    await page.evaluate(async () => {
      for (const pc of (window as unknown as { pcs: RTCPeerConnection[] }).pcs) await pc.getStats(); // each connection's own context, for sure
    });
    const own = await contexts(page);
    expect(own).toBe(2 * PAIRS);
    // Every connection has a sender and a receiver (the audio transceiver): 2 reports each.
    expect(await readSurfaces(page)).toBe(2 * 2 * PAIRS);
    expect(await contexts(page)).toBe(own);
  });

  it('closed connections read again start no context each (the relay released theirs at close)', async () => {
    await page.evaluate(() => {
      for (const pc of (window as unknown as { pcs: RTCPeerConnection[] }).pcs) pc.close();
    });
    expect(await contexts(page)).toBe(0);
    await page.evaluate(async () => {
      for (const pc of (window as unknown as { pcs: RTCPeerConnection[] }).pcs) await pc.getStats().catch(() => null);
    });
    await readSurfaces(page);
    // At most the one context of no connection (0), never one per closed connection.
    expect(await contexts(page)).toBeLessThanOrEqual(1);
  });

  it('an ICE server list is checked once per document however many connections use it (issue #15); a refused list stays refused', async () => {
    await page.goto(`${server.origins[0]}/leaks/blank.html`);
    const asked = async () => (await backgroundCall<{ state: { asks: Record<string, number> } }>(page, { type: 'relay-state' })).state.asks.servers ?? 0;
    const seen = await page.evaluate(
      (allowed, local) => {
        const configured: number[] = [];
        for (let i = 0; i < 10; i++) {
          const pc = new RTCPeerConnection({ iceServers: [{ urls: allowed }] });
          configured.push(pc.getConfiguration().iceServers?.length ?? 0);
          pc.close();
        }
        const refused: string[] = [];
        const attempt = (f: () => void) => {
          try {
            f();
            refused.push('accepted');
          } catch (e) {
            refused.push((e as Error).name);
          }
        };
        for (let i = 0; i < 2; i++) attempt(() => new RTCPeerConnection({ iceServers: [{ urls: local }] }).close());
        const pc = new RTCPeerConnection();
        attempt(() => pc.setConfiguration({ iceServers: [{ urls: local }] }));
        pc.close();
        return { configured, refused };
      },
      'stun:203.0.113.2:3478', // the bed's STUN server's address (nothing is sent: no offer is made)
      'stun:127.0.0.1:3478',
    );
    expect(seen).toEqual({ configured: Array(10).fill(1), refused: ['NotAllowedError', 'NotAllowedError', 'NotAllowedError'] });
    // One request for the allowed list, one for the refused one (the constructor's and setConfiguration's alike).
    expect(await asked()).toBe(2);
  });
});
