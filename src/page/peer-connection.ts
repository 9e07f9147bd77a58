// Runs in the page's world: no extension APIs.
// The RTCPeerConnection surface of one realm: constructor, icecandidate and icecandidateerror events,
// local descriptions, offers and answers, remote candidates and configuration (docs/design.md
// "Leak catalogue"). Raw values are read with the realm's captured getters and handed to the relay at
// once; what the page receives is built from the relay's sanitized answer as genuine browser objects,
// so that even another realm's pristine getters read sanitized values.
import type { CandidateInit } from '../shared/page-protocol';
import { ask } from './channel';
import {
  addListener,
  apply,
  bare,
  browserList,
  construct,
  create,
  eventIsTrusted,
  getDesc,
  getProto,
  hasOwn,
  isArray,
  ownKeys,
  SafeMap,
  SafeQueue,
  SafeWeakMap,
  SafeWeakSet,
  setTimeoutFn,
  stopImmediate,
  topWindow,
} from './captured';
import { retry } from './hold';
import { callGetter, candidateTools, getterOf, put, str, strOrNull, type AnyFn, type Realm } from './realm-tools';
import { disguise, redefine, wrapAccessor, wrapMethod } from './wrap';

interface ConnectionState {
  id: number;
  /**
   * Native candidates waiting for the relay, in order; null = end of gathering; GATHERED = the
   * browser's icegatheringstatechange to `complete`, held back in its place (issue #20).
   */
  queue: SafeQueue<CandidateInit | null | object>;
  waiting: boolean;
  /** Handlers the page assigned through on<event> attributes, called by our trampolines. */
  handlers: SafeMap<string, unknown>;
  /** sanitized SDP -> the browser's original, so the page can hand our offer back to the browser. */
  sdpOriginals: SafeMap<string, string>;
  /** The browser's `complete` waits in the queue (GATHERED). */
  gatheredHeld: boolean;
}

/** A queue entry for a held `complete` gathering state change. */
const GATHERED: object = create(null);

const states = new SafeWeakMap<object, ConnectionState>();
let nextId = 1;
/** RTCSessionDescription objects the page constructed (they hold its own SDP). Shared by all realms. */
const pageMade = new SafeWeakSet<object>();
/** A browser-made description -> the connection it came from. */
const descriptionOwner = new SafeWeakMap<object, object>();
/** Browser-made descriptions the page got as remote descriptions. */
const remoteDescriptions = new SafeWeakSet<object>();

/** The connection's state (created on first sight: a connection made by another frame's shim). */
export function connectionState(pc: object): ConnectionState {
  let s = states.get(pc);
  if (!s) {
    s = { id: nextId++, queue: new SafeQueue(), waiting: false, handlers: new SafeMap(), sdpOriginals: new SafeMap(), gatheredHeld: false };
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
  const rejected = realm.Promise.reject;
  const RealmPromise = realm.Promise;
  const ObjectProto = realm.Object.prototype;
  const CandidateProto = realm.RTCIceCandidate?.prototype;
  const cands = candidateTools(realm);
  const evCandidate = getterOf(IceEvent?.prototype, 'candidate');
  const iceState = getterOf(proto, 'iceConnectionState');
  const gatheringState = getterOf(proto, 'iceGatheringState');
  const EventCtor = realm.Event;
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
      if (item === GATHERED) {
        s.queue.drop();
        s.gatheredHeld = false;
        apply(dispatchNative, pc, [construct(EventCtor, ['icegatheringstatechange'])]);
      } else if (item !== null) {
        const r = ask({ t: 'candidate', pc: s.id, item: item as CandidateInit });
        if (!r || r.t !== 'candidate' || r.pending) return false; // no relay or no mode yet: hold
        s.queue.drop();
        if (r.item) deliver(pc, r.item);
      } else {
        s.queue.drop();
        deliver(pc, null);
      }
    }
    return true;
  };
  /** Whether the connection's `complete` is still held behind candidates. */
  const gatheringHeld = (pc: object): boolean => states.get(pc)?.gatheredHeld === true;
  const candidatesHeld = (pc: object): boolean => {
    const s = states.get(pc);
    return s !== undefined && s.queue.length > 0;
  };
  /**
   * While candidates are held, the page still sees gathering in progress: the browser's change to
   * `complete` waits in the queue, in its place, and iceGatheringState reads `gathering` until then,
   * so an application that sends its description at `complete` sends every candidate (issue #20).
   */
  function onGatheringChange(this: object, e: Event): void {
    if (!eventIsTrusted(e) || !candidatesHeld(this) || callGetter(gatheringState, this) !== 'complete') return;
    apply(stopImmediate, e, []);
    const s = connectionState(this);
    s.queue.add(GATHERED);
    s.gatheredHeld = true;
  }
  wrapAccessor(proto, 'iceGatheringState', (orig, self) => {
    const state = apply(orig, self, []);
    return state === 'complete' && gatheringHeld(self as object) ? 'gathering' : state;
  });
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
        s.gatheredHeld = false;
        s.waiting = false;
        if (held) apply(dispatchNative, pc, [construct(EventCtor, ['icegatheringstatechange'])]);
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
    s.queue.add(item);
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
  const checkedConfig = (config: unknown): { ok: true; config: unknown } | { ok: false; refused: string; syntax: boolean; why: string } => {
    if (typeof config !== 'object' || config === null) return { ok: true, config };
    // No prototype: the browser reads members it lacks through the chain, where a page getter could
    // hand it what we never checked.
    const copy = create(null) as Record<string, unknown>;
    const keys = ownKeys(config);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (typeof k === 'string') put(copy, k, (config as Record<string, unknown>)[k]);
    }
    // Members the page's object inherits are what the browser would read too: read them once here.
    const inherited = ['iceServers', 'iceTransportPolicy'];
    for (let i = 0; i < inherited.length; i++) {
      const k = inherited[i]!;
      if (!hasOwn(copy, k)) {
        const v = (config as Record<string, unknown>)[k];
        if (v !== undefined) put(copy, k, v);
      }
    }
    // relay-only is mode 4 of RFC 8828: the browser itself gathers and checks through relays only, so no
    // connectivity check ever leaves a host socket (getConfiguration() then reports 'relay').
    // A value the browser would reject is left for it to reject, in its own words.
    if (currentMode() === 'relay-only' && (copy.iceTransportPolicy === undefined || copy.iceTransportPolicy === 'all')) put(copy, 'iceTransportPolicy', 'relay');
    if (copy.iceServers === undefined || currentMode() === 'direct') return { ok: true, config: copy };
    const servers = plainCopy(copy.iceServers, 0);
    put(copy, 'iceServers', servers);
    const r = ask({ t: 'servers', servers });
    if (!r || r.t !== 'servers') return { ok: false, refused: 'list', syntax: false, why: 'IceGuard could not check it (its page script is not connected)' };
    return r.refused === null ? { ok: true, config: copy } : { ok: false, refused: r.refused, syntax: r.syntax, why: r.why ?? 'it points at a local address' };
  };
  const refusal = (r: { refused: string; syntax: boolean; why: string }) =>
    r.syntax
      ? construct(DOMExc, [`Invalid ICE server URL: ${r.refused}`, 'SyntaxError'])
      : construct(DOMExc, [`IceGuard refused the ICE server ${r.refused} on this site: ${r.why}.`, 'NotAllowedError']);
  /**
   * A URL the policy cannot read: the browser's own error first if it rejects the configuration too
   * (a WebIDL conversion TypeError for `[null]` or `[{}]`, its own SyntaxError). The trial connection
   * neither gathers nor sends before setLocalDescription, so it is silent.
   */
  const browserErrorFirst = (config: unknown, newTarget?: unknown, setConfiguration?: AnyFn) => {
    if (!nativeClose) return;
    const trial = construct(PC, setConfiguration ? [] : [config], (newTarget ?? PC) as AnyFn) as object;
    try {
      if (setConfiguration) apply(setConfiguration, trial, [config]);
    } finally {
      apply(nativeClose, trial, []);
    }
  };
  const nativeClose = (proto as { close?: AnyFn }).close;
  let constructed = false;
  const Wrapped = disguise<AnyFn>(PC, {
    construct(target, args: unknown[], newTarget) {
      if (currentMode() === 'off') throw construct(DOMExc, ['WebRTC is turned off for this site by IceGuard.', 'NotAllowedError']);
      const checked = checkedConfig(args.length > 0 ? args[0] : create(null));
      if (!checked.ok) {
        if (checked.syntax) browserErrorFirst(args.length > 0 ? args[0] : undefined, newTarget);
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
      // Capture listeners, added before the page holds the connection: at the target, capture
      // listeners run before the others (DOM "inner invoke", as Firefox and Chromium do), in the order
      // added, so ours run first whatever phase the page listens in and whenever it started to.
      apply(addListener, pc, ['icecandidate', onNativeCandidate, true]);
      apply(addListener, pc, ['icecandidateerror', onNativeError, true]);
      apply(addListener, pc, ['iceconnectionstatechange', onStateChange, true]);
      apply(addListener, pc, ['icegatheringstatechange', onGatheringChange, true]);
      return pc;
    },
  });
  const aliases = ['RTCPeerConnection', 'webkitRTCPeerConnection'];
  for (let i = 0; i < aliases.length; i++) replaceValue(realm, aliases[i]!, PC, Wrapped);
  replaceValue(proto, 'constructor', PC, Wrapped);
  wrapMethod(proto, 'setConfiguration', (orig, self, args) => {
    if (!args.length) return apply(orig, self, args);
    const checked = checkedConfig(args[0]);
    if (!checked.ok) {
      if (checked.syntax) browserErrorFirst(args[0], undefined, orig);
      throw refusal(checked);
    }
    return apply(orig, self, withFirst(args, checked.config));
  });

  // --- descriptions ---------------------------------------------------------------------------------------
  // The browser's own RTCSessionDescription objects are handed to the page as they are (identity holds:
  // `pc.localDescription === pc.pendingLocalDescription` where the browser says so), and the realm's
  // `sdp` getter and `toJSON` sanitize them. So raw SDP is never readable from a description, even by a
  // page hook that sees one before we do: a `then` getter on Object.prototype consulted while the
  // browser settles createOffer's promise with it, or a getter taken from this realm's prototype.
  // Descriptions the page constructed itself hold the page's own SDP and read as they are.
  const sanitizeSdp = (pcId: number, sdp: string): string => {
    const r = ask({ t: 'sdp', pc: pcId, sdp });
    return r && r.t === 'sdp' ? r.sdp : '';
  };
  /** Remembers what we handed out, so that the page can give our offer back to the browser. */
  const remember = (pc: object, clean: string, sdp: string) => {
    if (clean === sdp) return;
    const s = connectionState(pc);
    // Only recent descriptions are ever handed back; a page reading in a loop must not grow this.
    if (s.sdpOriginals.size >= 16) s.sdpOriginals = new SafeMap();
    s.sdpOriginals.set(clean, sdp);
  };
  /** A browser-made description's raw SDP, or undefined for anything else (the brand check throws). */
  const rawSdpOf = (d: unknown): string | undefined => {
    if (typeof d !== 'object' || d === null || pageMade.has(d)) return undefined;
    try {
      return str(callGetter(dSdp, d));
    } catch {
      return undefined;
    }
  };
  /** The sanitized SDP of a browser-made description (cached once the mode is known). */
  const cleanSdpOf = (d: object, raw: string): string => {
    if (remoteDescriptions.has(d)) {
      // A remote description: the page's own input, but this machine's addresses (a name of the
      // site resolved for the browser, issue #14) show as their names.
      const r = ask({ t: 'remote-view-sdp', sdp: raw });
      return r && r.t === 'remote-view-sdp' ? r.sdp : '';
    }
    const pc = descriptionOwner.get(d);
    const clean = sanitizeSdp(pc ? connectionState(pc).id : 0, raw);
    if (pc) remember(pc, clean, raw);
    // Not cached: names arrive while candidates are held, and a description read meanwhile lacks them.
    return clean;
  };
  const dProto = Description?.prototype;
  if (dProto) {
    wrapAccessor(dProto, 'sdp', (orig, self) => {
      const sdp = apply(orig, self, []); // the brand check: throws as the browser does
      if (isDirect() || pageMade.has(self as object)) return sdp;
      return cleanSdpOf(self as object, str(sdp));
    });
    wrapMethod(dProto, 'toJSON', (orig, self, args) => {
      const json = apply(orig, self, args);
      if (isDirect() || pageMade.has(self as object) || typeof json !== 'object' || json === null) return json;
      put(json, 'sdp', cleanSdpOf(self as object, str(callGetter(dSdp, self))));
      return json;
    });
    const DescWrapped = disguise<AnyFn>(Description as unknown as AnyFn, {
      construct(target, args: unknown[], newTarget) {
        const d = construct(target, args, newTarget) as object;
        pageMade.add(d);
        return d;
      },
    });
    replaceValue(realm, 'RTCSessionDescription', Description, DescWrapped);
    replaceValue(dProto, 'constructor', Description, DescWrapped);
  }
  const describedNames = ['localDescription', 'currentLocalDescription', 'pendingLocalDescription'];
  for (let i = 0; i < describedNames.length; i++) {
    wrapAccessor(proto, describedNames[i]!, (orig, self) => {
      const desc = apply(orig, self, []) as object | null;
      if (desc && !descriptionOwner.has(desc)) descriptionOwner.set(desc, self as object);
      return desc;
    });
  }
  const remoteNames = ['remoteDescription', 'currentRemoteDescription', 'pendingRemoteDescription'];
  for (let i = 0; i < remoteNames.length; i++) {
    wrapAccessor(proto, remoteNames[i]!, (orig, self) => {
      const desc = apply(orig, self, []) as object | null;
      if (desc) remoteDescriptions.add(desc);
      return desc;
    });
  }
  /** createOffer/createAnswer's result: the browser's description (getters sanitize) or a plain copy. */
  const sanitizeResult = (self: object, desc: unknown): unknown => {
    if (typeof desc !== 'object' || desc === null || isDirect()) return desc;
    if (rawSdpOf(desc) !== undefined) {
      descriptionOwner.set(desc, self);
      return desc;
    }
    // Firefox settles with a plain dictionary: a new one with the sanitized SDP.
    const sdp = str((desc as { sdp?: unknown }).sdp);
    const clean = sanitizeSdp(connectionState(self).id, sdp);
    remember(self, clean, sdp);
    const out = create(ObjectProto);
    put(out, 'type', (desc as { type?: unknown }).type);
    put(out, 'sdp', clean);
    return out;
  };
  // The browser is always asked in the legacy callback form (success, failure, options), which hands
  // the description to our callback alone. The promise form settles a promise with it (Chromium:
  // with a plain RTCSessionDescriptionInit whose sdp is an own data property), and settling looks up
  // `then` on the value, where a page getter on Object.prototype would read the raw SDP first.
  const offerNames = ['createOffer', 'createAnswer'];
  for (let i = 0; i < offerNames.length; i++) {
    wrapMethod(proto, offerNames[i]!, (orig, self, args) => {
      if (isDirect()) return apply(orig, self, args);
      if (typeof args[0] === 'function') {
        const success = args[0] as AnyFn;
        const failure = args[1];
        return apply(orig, self, [
          (d: unknown) => void apply(success, undefined, [sanitizeResult(self as object, d)]),
          (e: unknown) => void (typeof failure === 'function' && apply(failure as AnyFn, undefined, [e])),
          args[2],
        ]);
      }
      return construct(RealmPromise, [
        (resolve: AnyFn, reject: AnyFn) => {
          apply(orig, self, [(d: unknown) => void resolve(sanitizeResult(self as object, d)), (e: unknown) => void reject(e), args[0]]);
        },
      ]);
    });
  }
  /**
   * A description the page passes in, read once into primitives (a getter cannot show us one SDP and
   * the browser another). The browser's own description gives its raw SDP; our sanitized SDP handed
   * back gives the original it came from.
   */
  /** `type` and `sdp` as the browser would read them (Get; DOMString: ToString), once. */
  const readPlain = (desc: object): { type: unknown; sdp: string } => {
    const type = (desc as { type?: unknown }).type;
    const sdpValue = (desc as { sdp?: unknown }).sdp;
    return { type, sdp: sdpValue === undefined ? '' : '' + (sdpValue as string) };
  };
  const readDescription = (pc: object, desc: unknown): { type: unknown; sdp: string; raw: boolean } | null => {
    if (typeof desc !== 'object' || desc === null) return null;
    const raw = rawSdpOf(desc);
    if (raw !== undefined) return { type: callGetter(dType, desc), sdp: raw, raw: true };
    const d = readPlain(desc);
    const original = states.get(pc)?.sdpOriginals.get(d.sdp);
    return { type: d.type, sdp: original ?? d.sdp, raw: original !== undefined };
  };
  const withDescription = (args: unknown[], d: { type: unknown; sdp: string }) => {
    const init = create(null) as Record<string, unknown>;
    if (d.type !== undefined) init.type = d.type;
    init.sdp = d.sdp;
    return withFirst(args, init);
  };
  wrapMethod(proto, 'setLocalDescription', (orig, self, args) => {
    const d = readDescription(self as object, args[0]);
    return apply(orig, self, d && d.raw ? withDescription(args, d) : args);
  });
  // A remote description's candidates are remote candidates: the same rules as addIceCandidate.
  wrapMethod(proto, 'setRemoteDescription', (orig, self, args) => {
    if (currentMode() === 'direct') return apply(orig, self, args);
    const desc = args[0];
    if (typeof desc !== 'object' || desc === null) return apply(orig, self, args);
    // Read once, as the browser would (a description another connection made reads as the page sees
    // it: with names, which the relay resolves where they are the site's own).
    const d = readPlain(desc);
    const r = ask({ t: 'remote-sdp', pc: connectionState(self as object).id, sdp: d.sdp });
    const sdp = r && r.t === 'remote-sdp' ? r.sdp : '';
    return apply(orig, self, withDescription(args, { type: d.type, sdp }));
  });

  // A closed connection's context (foundations) can go; its names stay with the site.
  wrapMethod(proto, 'close', (orig, self, args) => {
    const s = states.get(self as object);
    if (s) ask({ t: 'closed', pc: s.id });
    return apply(orig, self, args);
  });

  // --- remote candidates: the guess oracle -----------------------------------------------------------------
  wrapMethod(proto, 'addIceCandidate', (orig, self, args) => {
    if (isDirect()) return apply(orig, self, args);
    const init = readCandidateInit(args[0]);
    if (init === null) return apply(orig, self, args); // end of candidates (null, undefined)
    const line = init.candidate as string;
    // Both null: the browser rejects with its TypeError before it reads the candidate (webrtc-pc
    // addIceCandidate step 4), so it may have it.
    const unplaced = (init.sdpMid === undefined || init.sdpMid === null) && (init.sdpMLineIndex === undefined || init.sdpMLineIndex === null);
    if (line !== '' && !unplaced) {
      const r = ask({ t: 'remote', pc: connectionState(self as object).id, candidate: line });
      // What the browser cannot parse either: its own answer (nothing to learn). Measured: Chromium
      // rejects with OperationError; Firefox ESR resolves (as the quiet refusal below does).
      if (r && r.t === 'remote' && r.malformed === true && __BROWSER__ !== 'firefox') {
        const error = construct(DOMExc, ['Error processing ICE candidate', 'OperationError']);
        if (typeof args[2] === 'function') {
          apply(args[2] as AnyFn, undefined, [error]);
          return apply(resolved, RealmPromise, [undefined]);
        }
        return apply(rejected, RealmPromise, [error]);
      }
      if (!r || r.t !== 'remote' || !r.allow) {
        // Refused quietly, as if the address were unreachable: the page learns nothing either way.
        if (typeof args[1] === 'function') apply(args[1] as AnyFn, undefined, []);
        return apply(resolved, RealmPromise, [undefined]);
      }
      // One of the site's own names: the browser gets the address behind it (issue #14).
      if (typeof r.candidate === 'string') init.candidate = r.candidate;
    }
    // The browser gets exactly the values checked: primitives, in an object with no prototype.
    return apply(orig, self, withFirst(args, init));
  });

  /**
   * An RTCIceCandidateInit (or RTCIceCandidate) read once, each member converted to a primitive as
   * WebIDL would (DOMString: ToString; unsigned short: ToNumber), or null for no candidate at all.
   */
  function readCandidateInit(c: unknown): Record<string, unknown> | null {
    if (c === undefined || c === null) return null;
    const init = create(null) as Record<string, unknown>;
    if (typeof c !== 'object' && typeof c !== 'function') {
      init.candidate = '' + (c as string); // what the browser's dictionary conversion would refuse it still refuses
      return init;
    }
    // The browser's own candidate: its captured getters (already primitives).
    if (CandidateProto !== undefined && getProtoSafe(c) === CandidateProto) return cands.read(c) as unknown as Record<string, unknown>;
    const read = (k: 'candidate' | 'sdpMid' | 'sdpMLineIndex' | 'usernameFragment') => (c as Record<string, unknown>)[k];
    const candidate = read('candidate');
    init.candidate = candidate === undefined ? '' : '' + (candidate as string);
    const index = read('sdpMLineIndex');
    if (index !== undefined) init.sdpMLineIndex = index === null ? null : +(index as number);
    const mid = read('sdpMid');
    if (mid !== undefined) init.sdpMid = mid === null ? null : '' + (mid as string);
    const ufrag = read('usernameFragment');
    if (ufrag !== undefined) init.usernameFragment = ufrag === null ? null : '' + (ufrag as string);
    return init;
  }
}

/** Replaces a data property's value `from` by `to`, keeping its attributes; nothing if it is not `from`. */
function replaceValue(target: object, key: string, from: unknown, to: unknown): void {
  const d = getDesc(target, key);
  if (!d || !hasOwn(d, 'value') || d.value !== from) return;
  d.value = to;
  redefine(target, key, d);
}

function getProtoSafe(o: object): unknown {
  try {
    return getProto(o);
  } catch {
    return null;
  }
}

/**
 * A copy of page data as arrays, objects and primitives, each value read once (the page's own
 * objects: running its getters is harmless, but what we check must be what the browser gets). Objects
 * have no prototype and arrays iterate on their own (browserList), so the browser reads the copy
 * without consulting anything a page can hook.
 */
function plainCopy(v: unknown, depth: number): unknown {
  if (typeof v === 'function' || depth > 4) return null;
  if (typeof v !== 'object' || v === null) return v;
  const keys = ownKeys(v);
  if (isArray(v)) {
    const n = (v as unknown[]).length;
    const items = create(null) as { length: number; [i: number]: unknown };
    items.length = 0;
    for (let i = 0; i < n && i < 256; i++) items[items.length++] = plainCopy((v as unknown[])[i], depth + 1);
    return browserList(items);
  }
  const out = create(null) as Record<string, unknown>;
  for (let i = 0; i < keys.length && i < 256; i++) {
    const k = keys[i]!;
    if (typeof k === 'string') put(out, k, plainCopy((v as Record<string, unknown>)[k], depth + 1));
  }
  return out;
}

/** A copy of `args` with its first element replaced, built without Array.prototype. */
function withFirst(args: unknown[], first: unknown): unknown[] {
  const out = create(null) as unknown[];
  const n = args.length > 0 ? args.length : 1;
  put(out, 'length', n);
  put(out, 0, first);
  for (let i = 1; i < n; i++) put(out, i, args[i]);
  return out;
}
