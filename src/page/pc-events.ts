// Runs in the page's world: no extension APIs.
// The events of a connection that carry addresses (icecandidate, icecandidateerror) and the gathering
// state they must stay consistent with: the browser's events are stopped by our capture listeners,
// their data sanitized by the relay (held while it cannot answer yet), and sanitized events
// dispatched in their place. on<event> attributes are called from listeners of ours.
import type { CandidateInit } from '../shared/page-protocol';
import { ask } from './channel';
import { addListener, apply, bare, construct, eventIsTrusted, stopImmediate } from './captured';
import { connectionState, GATHERED, isDirect, rememberAddedBack, states, type ConnectionState } from './connection';
import { retry } from './hold';
import type { RealmContext } from './realm-context';
import { callGetter, str, strOrNull, type AnyFn } from './realm-tools';
import { wrapAccessor } from './wrap';

/**
 * Patches the event surface of the realm's connections; returns what the constructor calls on each
 * new connection, before the page holds it.
 */
export function patchEvents(c: RealmContext): (pc: object) => void {
  const onCandidate = candidateHandler(c);
  const onError = errorHandler(c);
  const { iceState, gatheringState } = c;
  function onStateChange(this: object, e: Event): void {
    if (eventIsTrusted(e) && callGetter(iceState, this) === 'failed') ask({ t: 'failed', pc: connectionState(this).id });
  }
  /**
   * While candidates are held, the page still sees gathering in progress: the browser's change to
   * `complete` waits in the queue, in its place, and iceGatheringState reads `gathering` until then,
   * so an application that sends its description at `complete` sends every candidate (issue #20).
   */
  function onGatheringChange(this: object, e: Event): void {
    const s = states.get(this);
    if (!eventIsTrusted(e) || !s || (s.queue.length === 0 && s.follows.length === 0) || callGetter(gatheringState, this) !== 'complete') return;
    apply(stopImmediate, e, []);
    s.queue.add(GATHERED);
    s.gatheredHeld = true;
  }
  wrapAccessor(c.proto, 'iceGatheringState', (orig, self) => {
    const state = apply(orig, self, []);
    return state === 'complete' && states.get(self as object)?.gatheredHeld === true ? 'gathering' : state;
  });
  patchAttributes(c);
  // Capture listeners, added before the page holds the connection: at the target, capture listeners
  // run before the others (DOM "inner invoke", as Firefox and Chromium do), in the order added, so
  // ours run first whatever phase the page listens in and whenever it started to.
  return (pc) => {
    apply(addListener, pc, ['icecandidate', onCandidate, true]);
    apply(addListener, pc, ['icecandidateerror', onError, true]);
    apply(addListener, pc, ['iceconnectionstatechange', onStateChange, true]);
    apply(addListener, pc, ['icegatheringstatechange', onGatheringChange, true]);
  };
}

/** icecandidate: hold, sanitize in the relay, re-dispatch. */
function candidateHandler(c: RealmContext): (this: object, e: Event) => void {
  const { IceEvent, EventCtor, dispatchNative, cands, evCandidate } = c;
  const deliver = (pc: object, item: CandidateInit | null) => {
    const ev = construct(IceEvent, ['icecandidate', bare({ candidate: item === null ? null : cands.make(item) })]);
    apply(dispatchNative, pc, [ev]);
  };
  /** Releases what the relay can answer now; true when nothing is left waiting. */
  const pump = (pc: object): boolean => {
    const s = connectionState(pc);
    for (;;) {
      followUp(pc, s);
      if (!s.queue.length) return s.follows.length === 0;
      const item = s.queue.peek()!;
      // The end of gathering comes after every address that may still follow a name.
      if ((item === GATHERED || item === null) && s.follows.length) return false;
      if (item === GATHERED) {
        s.queue.drop();
        s.gatheredHeld = false;
        apply(dispatchNative, pc, [construct(EventCtor, ['icegatheringstatechange'])]);
      } else if (item !== null) {
        const r = ask({ t: 'candidate', pc: s.id, item: item as CandidateInit });
        if (!r || r.t !== 'candidate' || r.pending) return false; // no relay or no mode yet: hold
        s.queue.drop();
        if (r.item && typeof r.back === 'string') rememberAddedBack(r.item.candidate, r.back);
        if (r.item) deliver(pc, r.item);
        // (The page's listener may have closed the connection: then nothing follows.)
        if (r.item && r.follow === true && !s.closed) s.follows.add(r.item);
      } else {
        s.queue.drop();
        deliver(pc, null);
      }
    }
  };
  /** `direct` with the LAN helper: the addresses resolved so far, each as a candidate after its name. */
  const followUp = (pc: object, s: ConnectionState): void => {
    while (s.follows.length) {
      const r = ask({ t: 'own-address', pc: s.id, item: s.follows.peek()! });
      if (!r || r.t !== 'candidate' || r.pending) return;
      s.follows.drop();
      if (r.item) deliver(pc, r.item);
    }
  };
  const release = (pc: object) => {
    const s = connectionState(pc);
    if (s.waiting) return;
    s.waiting = true;
    retry(
      () => {
        const done = pump(pc);
        if (done) s.waiting = false;
        return done;
      },
      () => {
        // Fail closed: what could not be sanitized in time is never shown; the state change is.
        const held = s.gatheredHeld;
        s.queue.clear();
        s.follows.clear();
        s.gatheredHeld = false;
        s.waiting = false;
        if (held) apply(dispatchNative, pc, [construct(EventCtor, ['icegatheringstatechange'])]);
      },
    );
  };
  return function onNativeCandidate(this: object, e: Event): void {
    if (!eventIsTrusted(e)) return; // ours (sanitized) or the page's own: let it through
    // direct, with nothing held before it: the browser's event goes on as it is.
    if (connectionState(this).queue.length === 0 && isDirect()) return;
    apply(stopImmediate, e, []);
    const cand = callGetter(evCandidate, e);
    const s = connectionState(this);
    const item = cand ? cands.read(cand) : null;
    s.queue.add(item);
    // A candidate behind others is shown to the relay now, so that its name is fetched (or, in
    // direct with the LAN helper, looked up) while the ones before it wait, not after them.
    if (item !== null && s.queue.length > 1) ask({ t: 'prefetch', pc: s.id, item });
    release(this);
  };
}

/** icecandidateerror: the same event, its address scrubbed by the relay. */
function errorHandler(c: RealmContext): (this: object, e: Event) => void {
  const { ErrorEvent, dispatchNative, err } = c;
  return function onNativeError(this: object, e: Event): void {
    if (!eventIsTrusted(e)) return;
    apply(stopImmediate, e, []);
    if (!ErrorEvent) return; // no way to build a sanitized one: drop it
    const r = ask({ t: 'error-address', pc: connectionState(this).id, address: strOrNull(callGetter(err.address, e)) });
    const address = r && r.t === 'error-address' ? r.address : null;
    const init = bare({
      address,
      port: address === null ? null : callGetter(err.port, e),
      url: str(callGetter(err.url, e)),
      errorCode: callGetter(err.code, e),
      errorText: str(callGetter(err.text, e)),
    });
    apply(dispatchNative, this, [construct(ErrorEvent, ['icecandidateerror', init])]);
  };
}

/**
 * on<event> attributes: the page's handler is kept here and called from a listener added where the
 * browser would have added it. (Firefox does not run attribute handlers for synthetic events.)
 */
function patchAttributes(c: RealmContext): void {
  const { proto, addNative } = c;
  const attributes = ['icecandidate', 'icecandidateerror', 'icegatheringstatechange'];
  for (let a = 0; a < attributes.length; a++) {
    const type = attributes[a]!;
    wrapAccessor(
      proto,
      'on' + type,
      (get, self) => {
        apply(get, self, []); // the brand check: TypeError on anything but a connection, as the browser
        return states.get(self as object)?.handlers.get(type) ?? null;
      },
      (set, self, value) => {
        apply(set, self, [null]); // the brand check (the browser's own handler stays null: ours calls it)
        const s = connectionState(self as object);
        const first = !s.handlers.has(type);
        s.handlers.set(type, typeof value === 'function' || (typeof value === 'object' && value !== null) ? value : null);
        if (first) apply(addNative, self, [type, (ev: Event) => callHandler(s.handlers.get(type), self, ev)]);
      },
    );
  }
}

function callHandler(h: unknown, self: unknown, ev: Event): void {
  if (typeof h === 'function') apply(h as AnyFn, self, [ev]);
  else if (h && typeof (h as { handleEvent?: unknown }).handleEvent === 'function') apply((h as { handleEvent: AnyFn }).handleEvent, h, [ev]);
}
