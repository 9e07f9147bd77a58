// Drives test/fixtures/pages/peer.html (lib/peer.js): one side of a data-channel call between two
// browsers, whose signalling the test carries.
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll } from 'vitest';
import { createBed, type Bed, type Host } from './bed';
import type { RunningBrowser } from './browsers';
import { serveFixtures, type FixtureServer } from './fixture-server';
import { Scope } from './sys';

export interface Side {
  sdp: string;
  candidates: string[];
  /** An offer's: candidates that came after the end of gathering, and iceGatheringState when it ended. */
  late?: string[];
  state?: string;
}
export interface Pair {
  local: { type: string; address: string | null };
  remote: { type: string; address: string | null };
}

type PeerApi = { offer(): Promise<Side>; answer(s: Side): Promise<Side>; accept(s: Side): Promise<void>; waitOpen(ms: number): Promise<boolean>; selectedPair(): Promise<Pair | null>; seen(): string };

/** Opens `origin/peer.html` in a new tab of `b`. */
export async function openPeer(b: RunningBrowser, origin: string): Promise<Page> {
  const page = await b.browser.newPage();
  await page.goto(`${origin}/peer.html`);
  await page.waitForFunction(() => 'peer' in window, { timeout: 10_000 });
  return page;
}

export const peerApi = (page: Page) => ({
  offer: () => page.evaluate(() => (window as unknown as { peer: PeerApi }).peer.offer()),
  answer: (s: Side) => page.evaluate((s) => (window as unknown as { peer: PeerApi }).peer.answer(s), s),
  accept: (s: Side) => page.evaluate((s) => (window as unknown as { peer: PeerApi }).peer.accept(s), s),
  waitOpen: (ms: number) => page.evaluate((ms) => (window as unknown as { peer: PeerApi }).peer.waitOpen(ms), ms),
  selectedPair: () => page.evaluate(() => (window as unknown as { peer: PeerApi }).peer.selectedPair()),
  /** Everything the page saw (candidates, descriptions, stats), as one text. */
  seen: () => page.evaluate(() => (window as unknown as { peer: PeerApi }).peer.seen()),
});

/** A offers, B answers; returns whether both sides opened the data channel in time. */
export async function peerCall(a: Page, b: Page, timeoutMs: number): Promise<{ opened: boolean; offer: Side; answer: Side }> {
  const offer = await peerApi(a).offer();
  const answer = await peerApi(b).answer(offer);
  await peerApi(a).accept(answer);
  const [oa, ob] = await Promise.all([peerApi(a).waitOpen(timeoutMs), peerApi(b).waitOpen(timeoutMs)]);
  return { opened: oa && ob, offer, answer };
}

export interface TwoHosts {
  bed: Bed;
  /** A second host on the bed's LAN (the bed's own LAN host is A). */
  hostB: Host;
  serverA: FixtureServer;
  serverB: FixtureServer;
  /** Closed after the file, with everything launched in it (helpers' temp profiles). */
  scope: Scope;
}

/** A file's setup for calls between two LAN hosts: the bed (no STUN/TURN), host B, a fixture server in each. */
export function useTwoHosts(take: (t: TwoHosts) => void): void {
  const scope = new Scope();
  let made: Partial<TwoHosts> = {};
  beforeAll(async () => {
    const bed = await createBed();
    made = { bed, scope };
    const hostB = bed.addHost(20);
    made.serverA = await serveFixtures(bed.lan.ns);
    made.serverB = await serveFixtures(hostB.ns);
    take({ bed, hostB, serverA: made.serverA, serverB: made.serverB, scope });
  });
  afterAll(() => {
    made.serverA?.close();
    made.serverB?.close();
    scope.close();
    made.bed?.close();
  });
}
