// Runs in the page's world: no extension APIs.
// The RTCPeerConnection surface of one realm: constructor, icecandidate and icecandidateerror events,
// local descriptions, offers and answers, remote candidates and configuration (DESIGN.md §6). Raw
// values are read with the realm's captured getters and handed to the relay at once; what the page
// receives is built from the relay's sanitized answer as genuine browser objects, so that even
// another realm's pristine getters read sanitized values.
import type { CandidateInit } from '../shared/page-protocol';
import { ask } from './channel';
import { addListener, apply, bare, construct, eventIsTrusted, isArray, getDesc, getProto, ownKeys, promiseThen, SafeMap, SafeQueue, SafeWeakMap, setTimeoutFn, stopImmediate, topWindow } from './captured';
import { retry } from './hold';
import { callGetter, candidateTools, getterOf, put, str, strOrNull, type AnyFn, type Realm } from './realm-tools';
import { disguise, redefine, wrapAccessor, wrapMethod } from './wrap';

interface ConnectionState {
  id: number;
  /** Native candidates waiting for the relay, in order; null = end of gathering. */
  queue: SafeQueue<CandidateInit | null>;
  waiting: boolean;
  /** Handlers the page assigned through on<event> attributes, called by our trampolines. */
  handlers: SafeMap<string, unknown>;
  /** sanitized SDP -> the browser's original, so the page can hand our offer back to the browser. */
  sdpOriginals: SafeMap<string, string>;
}

const states = new SafeWeakMap<object, ConnectionState>();
let nextId = 1;

/** The connection's state (created on first sight: a connection made by another frame's shim). */
export function connectionState(pc: object): ConnectionState {
  let s = states.get(pc);
  if (!s) {
    s = { id: nextId++, queue: new SafeQueue(), waiting: false, handlers: new SafeMap(), sdpOriginals: new SafeMap() };
    states.set(pc, s);
  }
  return s;
}

let openedUpTo = 0;
let openedScheduled = false;
function countOpened(id: number): void {
  openedUpTo = id > openedUpTo ? id : openedUpTo;
  if (openedScheduled) return;
  openedScheduled = true;
  apply(setTimeoutFn, topWindow, [
    () => {
      openedScheduled = false;
      ask({ t: 'opened', pc: openedUpTo });
    },
    0,
  ]);
}

let knownMode: string | null = null;
let knownResolve = false;

/** The site's mode, or null until the relay has it. Cached until the relay notifies a change. */
export function currentMode(): string | null {
  if (knownMode !== null) return knownMode;
  const r = ask({ t: 'mode' });
  knownMode = r && r.t === 'mode' ? r.mode : null;
  knownResolve = r !== null && r.t === 'mode' && r.resolve === true;
  return knownMode;
}

export function forgetMode(): void {
  knownMode = null;
}

/**
 * `direct` passes the browser's own values through untouched: nothing to sanitize, nothing to pay.
 * Not so while the LAN helper may turn the browser's own `.local` names into addresses (`resolve`):
 * then candidates, descriptions and stats go through the relay, which changes only those names.
 */
export const isDirect = (): boolean => currentMode() === 'direct' && !knownResolve;

/** `atFirstConnection` runs once, when the realm's first connection is constructed. */
export function patchPeerConnection(realm: Realm, atFirstConnection: () => void): void {
  const PC = realm.RTCPeerConnection as unknown as (AnyFn & { prototype: object }) | undefined;
  if (typeof PC !== 'function') return;
  const proto = PC.prototype;
  const IceEvent = realm.RTCPeerConnectionIceEvent;
  const Description = realm.RTCSessionDescription;
  const ErrorEvent = (realm as { RTCPeerConnectionIceErrorEvent?: typeof RTCPeerConnectionIceErrorEvent }).RTCPeerConnectionIceErrorEvent;
  const DOMExc = realm.DOMException;
  const dispatchNative = realm.EventTarget.prototype.dispatchEvent;
  const addNative = realm.EventTarget.prototype.addEventListener;
  const resolved = realm.Promise.resolve;
  const RealmPromise = realm.Promise;
  const cands = candidateTools(realm);
  const evCandidate = getterOf(IceEvent?.prototype, 'candidate');
  const iceState = getterOf(proto, 'iceConnectionState');
  const dSdp = getterOf(Description?.prototype, 'sdp');
  const dType = getterOf(Description?.prototype, 'type');
  const err = {
    address: getterOf(ErrorEvent?.prototype, 'address'),
    port: getterOf(ErrorEvent?.prototype, 'port'),
    url: getterOf(ErrorEvent?.prototype, 'url'),
    code: getterOf(ErrorEvent?.prototype, 'errorCode'),
    text: getterOf(ErrorEvent?.prototype, 'errorText'),
  };

  // --- icecandidate: hold, sanitize in the relay, re-dispatch ----------------------------------------
  const deliver = (pc: object, item: CandidateInit | null) => {
    const ev = construct(IceEvent, ['icecandidate', bare({ candidate: item === null ? null : cands.make(item) })]);
    apply(dispatchNative, pc, [ev]);
  };
  /** Releases what the relay can answer now; true when nothing is left waiting. */
  const pump = (pc: object): boolean => {
    const s = connectionState(pc);
    while (s.queue.length) {
      const item = s.queue.peek()!;
      if (item !== null) {
        const r = ask({ t: 'candidate', pc: s.id, item });
        if (!r || r.t !== 'candidate' || r.pending) return false; // no relay or no mode yet: hold
        s.queue.shift();
        if (r.item) deliver(pc, r.item);
      } else {
        s.queue.shift();
        deliver(pc, null);
      }
    }
    return true;
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
        s.queue.clear(); // fail closed: what could not be sanitized in time is never shown
        s.waiting = false;
      },
    );
  };
  function onNativeCandidate(this: object, e: Event): void {
    if (!eventIsTrusted(e)) return; // ours (sanitized) or the page's own: let it through
    // direct, with nothing held before it: the browser's event goes on as it is.
    if (connectionState(this).queue.length === 0 && isDirect()) return;
    apply(stopImmediate, e, []);
    const c = callGetter(evCandidate, e);
    const s = connectionState(this);
    const item = c ? cands.read(c) : null;
    s.queue.push(item);
    // A candidate behind others is shown to the relay now, so that its name is fetched (or, in
    // direct with the LAN helper, looked up) while the ones before it wait, not after them.
    if (item !== null && s.queue.length > 1) ask({ t: 'prefetch', pc: s.id, item });
    release(this);
  }
  function onStateChange(this: object, e: Event): void {
    if (eventIsTrusted(e) && callGetter(iceState, this) === 'failed') ask({ t: 'failed', pc: connectionState(this).id });
  }
  function onNativeError(this: object, e: Event): void {
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
  }

  // on<event> attributes: the page's handler is kept here and called from a listener added where the
  // browser would have added it. (Firefox does not run attribute handlers for synthetic events.)
  for (const type of ['icecandidate', 'icecandidateerror']) {
    wrapAccessor(
      proto,
      'on' + type,
      (_get, self) => states.get(self as object)?.handlers.get(type) ?? null,
      (_set, self, value) => {
        const s = connectionState(self as object);
        const first = !s.handlers.has(type);
        s.handlers.set(type, typeof value === 'function' || (typeof value === 'object' && value !== null) ? value : null);
        if (first) {
          apply(addNative, self, [
            type,
            (ev: Event) => {
              const h = s.handlers.get(type);
              if (typeof h === 'function') apply(h as AnyFn, self, [ev]);
              else if (h && typeof (h as { handleEvent?: unknown }).handleEvent === 'function') apply((h as { handleEvent: AnyFn }).handleEvent, h, [ev]);
            },
          ]);
        }
      },
    );
  }

  // --- constructor and configuration --------------------------------------------------------------------
  /**
   * The configuration the browser will use: a copy, read once, whose iceServers the relay checked. The
   * browser never reads the page's object again, so a getter cannot show us one list and it another.
   */
  const checkedConfig = (config: unknown): { config: unknown } | { refused: string; syntax: boolean } => {
    if (typeof config !== 'object' || config === null) return { config };
    const copy = new realm.Object() as Record<string, unknown>;
    const keys = ownKeys(config);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (typeof k === 'string') put(copy, k, (config as Record<string, unknown>)[k]);
    }
    // relay-only is mode 4 of RFC 8828: the browser itself gathers and checks through relays only, so no
    // connectivity check ever leaves a host socket (getConfiguration() then reports 'relay').
    // A value the browser would reject is left for it to reject, in its own words.
    if (currentMode() === 'relay-only' && (copy.iceTransportPolicy === undefined || copy.iceTransportPolicy === 'all')) put(copy, 'iceTransportPolicy', 'relay');
    if (copy.iceServers === undefined || currentMode() === 'direct') return { config: copy };
    const servers = plainCopy(copy.iceServers, 0);
    put(copy, 'iceServers', servers);
    const r = ask({ t: 'servers', servers });
    if (!r || r.t !== 'servers') return { refused: 'every server (IceGuard is not connected)', syntax: false };
    return r.refused === null ? { config: copy } : { refused: r.refused, syntax: r.syntax };
  };
  const refusal = (r: { refused: string; syntax: boolean }) =>
    r.syntax
      ? construct(DOMExc, [`Invalid ICE server URL: ${r.refused}`, 'SyntaxError'])
      : construct(DOMExc, [`IceGuard refused the ICE server ${r.refused} on this site: it points at a local address.`, 'NotAllowedError']);
  const nativeClose = (proto as { close?: AnyFn }).close;
  let constructed = false;
  const Wrapped = disguise<AnyFn>(PC, {
    construct(target, args: unknown[], newTarget) {
      if (currentMode() === 'off') throw construct(DOMExc, ['WebRTC is turned off for this site by IceGuard.', 'NotAllowedError']);
      const checked = checkedConfig(args.length > 0 ? args[0] : new realm.Object());
      if ('refused' in checked) {
        if (checked.syntax && nativeClose) {
          // A URL the policy cannot read: the browser's own words if it rejects it too (it does not
          // gather, let alone send, before setLocalDescription, so the trial is silent).
          const trial = construct(target, args, newTarget) as object;
          apply(nativeClose, trial, []);
        }
        throw refusal(checked);
      }
      args = withFirst(args, checked.config);
      if (!constructed) {
        constructed = true;
        atFirstConnection();
      }
      // newTarget is forwarded, so `class X extends RTCPeerConnection` gets X instances.
      const pc = construct(target, args, newTarget) as object;
      // Counted whatever the mode (a `direct` connection never asks the relay anything else), in one
      // request per task however many connections the page makes at once.
      countOpened(connectionState(pc).id);
      apply(addListener, pc, ['icecandidate', onNativeCandidate]);
      apply(addListener, pc, ['icecandidateerror', onNativeError]);
      apply(addListener, pc, ['iceconnectionstatechange', onStateChange]);
      return pc;
    },
  });
  for (const name of ['RTCPeerConnection', 'webkitRTCPeerConnection']) {
    const d = getDesc(realm, name);
    if (d && d.value === PC) redefine(realm, name, { ...d, value: Wrapped });
  }
  const cd = getDesc(proto, 'constructor');
  if (cd && cd.value === PC) redefine(proto, 'constructor', { ...cd, value: Wrapped });
  wrapMethod(proto, 'setConfiguration', (orig, self, args) => {
    if (!args.length) return apply(orig, self, args);
    const checked = checkedConfig(args[0]);
    if ('refused' in checked) throw refusal(checked);
    return apply(orig, self, withFirst(args, checked.config));
  });

  // --- descriptions ---------------------------------------------------------------------------------------
  const sanitizeSdp = (pc: object, sdp: string): string => {
    const s = connectionState(pc);
    const r = ask({ t: 'sdp', pc: s.id, sdp });
    const out = r && r.t === 'sdp' ? r.sdp : '';
    if (out !== sdp) {
      // Only recent descriptions are ever handed back; a page reading in a loop must not grow this.
      if (s.sdpOriginals.size >= 16) s.sdpOriginals = new SafeMap();
      s.sdpOriginals.set(out, sdp);
    }
    return out;
  };
  const isNativeDescription = (d: object) => getProto(d) === Description.prototype;
  for (const name of ['localDescription', 'currentLocalDescription', 'pendingLocalDescription']) {
    wrapAccessor(proto, name, (orig, self) => {
      const desc = apply(orig, self, []) as object | null;
      if (!desc || isDirect()) return desc;
      const clean = sanitizeSdp(self as object, str(callGetter(dSdp, desc)));
      return construct(Description, [bare({ type: callGetter(dType, desc), sdp: clean })]);
    });
  }
  const sanitizeResult = (self: object, desc: unknown): unknown => {
    if (typeof desc !== 'object' || desc === null || isDirect()) return desc;
    const native = isNativeDescription(desc);
    const sdp = str(native ? callGetter(dSdp, desc) : (desc as { sdp?: unknown }).sdp);
    const type = native ? callGetter(dType, desc) : (desc as { type?: unknown }).type;
    const clean = sanitizeSdp(self, sdp);
    if (native) return construct(Description, [bare({ type, sdp: clean })]);
    const out = new realm.Object();
    put(out, 'type', type);
    put(out, 'sdp', clean);
    return out;
  };
  for (const name of ['createOffer', 'createAnswer']) {
    wrapMethod(proto, name, (orig, self, args) => {
      if (typeof args[0] === 'function') {
        // Legacy callback form (success, failure, options).
        const success = args[0] as AnyFn;
        const failure = args[1];
        const p = apply(orig, self, [args[2]]) as Promise<unknown>;
        return apply(promiseThen, p, [
          (d: unknown) => void apply(success, undefined, [sanitizeResult(self as object, d)]),
          (e: unknown) => void (typeof failure === 'function' && apply(failure as AnyFn, undefined, [e])),
        ]);
      }
      return apply(promiseThen, apply(orig, self, args) as Promise<unknown>, [(d: unknown) => sanitizeResult(self as object, d)]);
    });
  }
  // A page that hands our sanitized SDP back gets the browser's original applied.
  wrapMethod(proto, 'setLocalDescription', (orig, self, args) => {
    const desc = args[0];
    const s = states.get(self as object);
    if (s && typeof desc === 'object' && desc !== null) {
      const native = isNativeDescription(desc);
      const sdp = native ? callGetter(dSdp, desc) : (desc as { sdp?: unknown }).sdp;
      const original = typeof sdp === 'string' ? s.sdpOriginals.get(sdp) : undefined;
      if (original !== undefined) {
        const type = native ? callGetter(dType, desc) : (desc as { type?: unknown }).type;
        return apply(orig, self, [bare({ type, sdp: original })]);
      }
    }
    return apply(orig, self, args);
  });

  // A closed connection's context (foundations) can go; its names stay with the site.
  wrapMethod(proto, 'close', (orig, self, args) => {
    const s = states.get(self as object);
    if (s) ask({ t: 'closed', pc: s.id });
    return apply(orig, self, args);
  });

  // --- remote candidates: the guess oracle -----------------------------------------------------------------
  wrapMethod(proto, 'addIceCandidate', (orig, self, args) => {
    const c = args[0];
    let line: unknown;
    if (typeof c === 'object' && c !== null) {
      line = getProto(c) === realm.RTCIceCandidate.prototype ? cands.read(c).candidate : (c as { candidate?: unknown }).candidate;
    }
    if (typeof line === 'string' && line !== '' && !isDirect()) {
      const r = ask({ t: 'remote', pc: connectionState(self as object).id, candidate: line });
      if (!r || r.t !== 'remote' || !r.allow) {
        // Refused quietly, as if the address were unreachable: the page learns nothing either way.
        if (typeof args[1] === 'function') apply(args[1] as AnyFn, undefined, []);
        return apply(resolved, RealmPromise, [undefined]);
      }
    }
    return apply(orig, self, args);
  });
}

/**
 * A copy of page data as plain arrays, objects and primitives, each value read once (the page's own
 * objects: running its getters is harmless, but what we check must be what the browser gets).
 */
function plainCopy(v: unknown, depth: number): unknown {
  if (typeof v === 'function' || depth > 4) return null;
  if (typeof v !== 'object' || v === null) return v;
  const out = (isArray(v) ? [] : {}) as Record<string, unknown>;
  const keys = ownKeys(v);
  for (let i = 0; i < keys.length && i < 256; i++) {
    const k = keys[i]!;
    if (typeof k === 'string' && !(isArray(v) && k === 'length')) put(out, k, plainCopy((v as Record<string, unknown>)[k], depth + 1));
  }
  return out;
}

/** A copy of `args` with its first element replaced, built without Array.prototype. */
function withFirst(args: unknown[], first: unknown): unknown[] {
  const out: unknown[] = [];
  put(out, 0, first);
  for (let i = 1; i < args.length; i++) put(out, i, args[i]);
  return out;
}
