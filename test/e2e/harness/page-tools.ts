// What tests do inside a fixture page: gather candidates the way a site does, and talk to the
// extension's background through the test bridge (test builds only).
import type { Page } from 'puppeteer-core';
import type { IceServerConfig } from './bed';

export interface Gathered {
  /** Every `candidate` string the page received from icecandidate events ('' = end of gathering). */
  candidates: string[];
  /** The local description's SDP after gathering completed. */
  sdp: string;
  /** Candidate types seen (host, srflx, prflx, relay). */
  types: string[];
  /** Whether gathering finished (null candidate) before the page's time limit. */
  complete: boolean;
}

export interface GatherOptions {
  iceServers?: IceServerConfig[];
  /** Call getUserMedia first, as a call site does (and as makes browsers reveal host addresses). */
  getUserMedia?: boolean;
  timeoutMs?: number;
}

/** Runs `fixture.gather` of `test/fixtures/pages/lib/fixture.js` in the page. */
export async function gather(page: Page, opts: GatherOptions = {}): Promise<Gathered> {
  await page.waitForFunction(() => 'fixture' in window, { timeout: 10_000 });
  return page.evaluate((o) => (window as unknown as { fixture: { gather(o: unknown): Promise<Gathered> } }).fixture.gather(o), {
    iceServers: opts.iceServers ?? [],
    getUserMedia: opts.getUserMedia ?? false,
    timeoutMs: opts.timeoutMs ?? 10_000,
  });
}

/**
 * Sends a request to the background through the test bridge in the page's relay. The reply crosses
 * back as JSON text: WebDriver BiDi loses an object that appears twice in one value (measured in Firefox).
 */
export async function backgroundCall<T = unknown>(page: Page, body: unknown, timeoutMs = 10_000): Promise<T> {
  const text = await page.evaluate(
    (body, timeoutMs) =>
      new Promise<string>((resolve, reject) => {
        const tag = 'iceguard-test-bridge';
        const id = Math.floor(Math.random() * 2 ** 31);
        const timer = setTimeout(() => reject(new Error('no reply from the test bridge')), timeoutMs);
        window.addEventListener('message', function onReply(e: MessageEvent) {
          const d = e.data as { tag?: string; direction?: string; id?: number; body?: unknown };
          if (e.source !== window || d?.tag !== tag || d.direction !== 'reply' || d.id !== id) return;
          window.removeEventListener('message', onReply);
          clearTimeout(timer);
          resolve(JSON.stringify(d.body ?? null));
        });
        window.postMessage({ tag, direction: 'request', id, body }, '*');
      }),
    body,
    timeoutMs,
  );
  return JSON.parse(text) as T;
}

/**
 * Chromium only (CDP): after a full garbage collection, the page's RTCPeerConnection objects still
 * alive and the JS heap in use (of the page's renderer, all its worlds).
 */
export async function liveConnections(page: Page): Promise<{ live: number; heapKB: number }> {
  const cdp = await page.createCDPSession();
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    const proto = await cdp.send('Runtime.evaluate', { expression: 'RTCPeerConnection.prototype' });
    const found = await cdp.send('Runtime.queryObjects', { prototypeObjectId: proto.result.objectId! });
    const n = await cdp.send('Runtime.callFunctionOn', { objectId: found.objects.objectId!, functionDeclaration: 'function () { return this.length; }', returnByValue: true });
    return { live: n.result.value as number, heapKB: Math.round(heap.usedSize / 1024) };
  } finally {
    await cdp.detach();
  }
}
