// ISOLATED-world relay: the only path between the page shim and the extension
// (docs/design.md "Relay and channel"). It runs the policy for the shim, because the page cannot
// reach this world's built-ins, and it fetches the site's mode and names from the background.
// Protocol: src/shared/page-protocol.ts.
import type { HintGlobals } from '../shared/hint-protocol';
import { runtime } from './runtime';
import { PING_MESSAGE, REFRESH_MESSAGE, type RelayMessage } from '../shared/messages';
import { CHANNEL, HANDSHAKE, HANDSHAKE_EVENT } from '../shared/page-protocol';
import { Activity, PageRequests } from './page-requests';
import { SiteState } from './site-state';
import { installTestBridge } from './test-bridge';

function fire(target: EventTarget, type: string, detail: string): void {
  target.dispatchEvent(new CustomEvent(type, { detail }));
}

/**
 * Activity goes to the background in batches; the first connection, a raw host address and a failure
 * go at once, since they may open the permission prompt. Not in `direct`: no prompt is asked there,
 * and the background's work (badge, storage) would compete with the page's first connection for the CPU.
 */
function activityReporter(site: SiteState): Activity {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const send = () => {
    timer = null;
    const report = activity.take();
    if (!report) return;
    const message: RelayMessage = { type: 'activity', origin: location.origin, ...report };
    runtime.sendMessage(message).catch(() => undefined);
  };
  const activity = new Activity((urgent) => {
    if (urgent && site.mode !== 'direct') {
      if (timer !== null) clearTimeout(timer);
      queueMicrotask(send);
    } else if (timer === null) timer = setTimeout(send, 500);
  });
  return activity;
}

/** Mode hints: registered ISOLATED scripts that ran before this one left theirs here; later ones call in. */
function takeHints(site: SiteState): void {
  const g = globalThis as HintGlobals;
  const where = { origin: self.origin, port: location.port, firefox: __BROWSER__ === 'firefox' };
  const early = g.__iceguardHints;
  g.__iceguardHint = (kind: unknown, mode: unknown) => site.hint(kind, mode, where);
  // Checked all the same: the isolated world is ours, but site.hint takes nothing on trust.
  if (Array.isArray(early)) for (const h of early as unknown[]) if (Array.isArray(h)) site.hint(h[0], h[1], where);
  delete g.__iceguardHints;
}

/**
 * The first shim announcement gets the channel, once. The shim announces at document_start, before
 * any page script; a later announcement (a page script's) gets nothing. Listened for on the document,
 * never the window (src/shared/page-protocol.ts). `answer` turns a query's text into the reply.
 */
function listenForShim(connected: (channel: EventTarget) => void, answer: (detail: unknown) => unknown): void {
  let channel: EventTarget | null = null;
  const onHandshake = (e: Event) => {
    const target = e.target;
    if ((e as CustomEvent).detail !== HANDSHAKE.shim || channel !== null || !(target instanceof Element)) return;
    const text = target.firstChild;
    if (!(text instanceof Text) || text.nextSibling !== null) return;
    document.removeEventListener(HANDSHAKE_EVENT, onHandshake, true);
    e.stopImmediatePropagation();
    // Detached before anything more is said on it: an event at an attached element passes the
    // window in its capture phase, where a same-origin parent may listen on a reused window.
    target.remove();
    channel = target;
    connected(target);
    // A query: the request is in the text node; the answer replaces it there, within the dispatch,
    // as an array holding the reply (the shim tells an answer from its own request by the `[`).
    target.addEventListener(CHANNEL.query, () => {
      let reply;
      try {
        reply = answer(text.data);
      } catch {
        reply = { t: 'error', error: 'bad request' };
      }
      text.data = JSON.stringify([reply]);
    });
    fire(target, CHANNEL.accept, '');
  };
  document.addEventListener(HANDSHAKE_EVENT, onHandshake, true);
  // If the shim ran first, this makes it announce itself again.
  fire(document, HANDSHAKE_EVENT, HANDSHAKE.relay);
}

/** A request's JSON read (it throws for what is not JSON: the query's listener answers with an error). */
const parseRequest = (detail: unknown): unknown => (typeof detail === 'string' && detail.length < 4_000_000 ? JSON.parse(detail) : null);

/** Test builds: the shim's requests by kind, the relay's time answering them (ms), and the first 300 as they came. */
const askStats = { asks: {} as Record<string, number>, askMs: {} as Record<string, number>, askLog: [] as unknown[] };
function counted(handle: (request: unknown) => ReturnType<PageRequests['handle']>, detail: unknown): ReturnType<PageRequests['handle']> {
  const t0 = performance.now();
  const request = parseRequest(detail) as { t?: unknown; item?: { candidate?: unknown } } | null;
  const reply = handle(request);
  const kind = String(request?.t);
  askStats.askMs[kind] = (askStats.askMs[kind] ?? 0) + performance.now() - t0;
  askStats.asks[kind] = (askStats.asks[kind] ?? 0) + 1;
  const type = / typ (\w+)/.exec(String(request?.item?.candidate ?? ''))?.[1] ?? '';
  if (askStats.askLog.length < 300) askStats.askLog.push({ at: Math.round(performance.timeOrigin + t0), kind, c: type, pending: (reply as { pending?: boolean }).pending === true });
  return reply;
}

function connect(): void {
  const relayStartedMs = performance.now();
  let channel: EventTarget | null = null;
  let modeArrivedMs: number | null = null;
  let first: { mode: string | null; from: string | null } | null = null;
  let answerArrivedMs: number | null = null;
  // Whether the shim asked anything since it was last notified: all it keeps (the mode, answers,
  // held work) comes from requests, so with none there is nothing to retry or forget. A mode hint at
  // document_start then costs no event between the worlds before the page's first script.
  let asked = false;
  const site = new SiteState(location.origin, () => {
    if (modeArrivedMs === null) modeArrivedMs = performance.now();
    if (__TEST__ && answerArrivedMs === null && site.modeFrom === 'background') answerArrivedMs = performance.now();
    if (__TEST__ && first === null) first = { mode: site.mode, from: site.modeFrom };
    if (channel && asked) {
      asked = false;
      fire(channel, CHANNEL.notify, '');
    }
  });
  // The first word to the background (the mode, names) costs the page's first moments ~0.5 ms: sent
  // in a task of its own, after the parser's first run, or at once when the shim asks something.
  let said = false;
  const hello = () => {
    if (said) return;
    said = true;
    void site.start();
  };
  const requests = new PageRequests(site, activityReporter(site));
  takeHints(site);
  // A decision changed in the background: fetch the mode again, for gatherings that start from now on.
  // Asked whether it runs here (the background asks the top-level frame only: the badge is about the page).
  runtime.onMessage.addListener((message, _sender, sendResponse) => {
    const type = typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
    if (type === REFRESH_MESSAGE) void site.start();
    if (type === PING_MESSAGE) sendResponse(true);
  });
  // Test builds: when the mode arrived, in ms since the document's time origin.
  if (__TEST__) installTestBridge(() => ({ mode: site.mode, modeFrom: site.modeFrom, first, modeArrivedMs, answerArrivedMs, relayStartedMs, connected: channel !== null, earlyNames: site.early.size, held: requests.sizes(), ...askStats }));
  listenForShim(
    (c) => void (channel = c),
    (detail) => {
      hello();
      asked = true;
      return __TEST__ ? counted((request) => requests.handle(request), detail) : requests.handle(parseRequest(detail));
    },
  );
  setTimeout(hello, 0);
}

connect();
