// Runs in the page's world: no extension APIs.
// Descriptions: the browser's own RTCSessionDescription objects are handed to the page as they are
// (identity holds: `pc.localDescription === pc.pendingLocalDescription` where the browser says so),
// and the realm's `sdp` getter and `toJSON` sanitize them. So raw SDP is never readable from a
// description, even by a page hook that sees one before we do: a `then` getter on Object.prototype
// consulted while the browser settles createOffer's promise with it, or a getter taken from this
// realm's prototype. Descriptions the page constructed itself hold the page's own SDP and read as
// they are. Descriptions the page passes in are read once, and remote ones checked like remote
// candidates.
import { ask } from './channel';
import { apply, construct, create, SafeMap } from './captured';
import { connectionState, descriptionOwner, isDirect, isDirectMode, pageMade, remoteDescriptions, states } from './connection';
import type { RealmContext } from './realm-context';
import { callGetter, put, replaceValue, str, withFirst, type AnyFn } from './realm-tools';
import { disguise, wrapAccessor, wrapMethod } from './wrap';

export function patchDescriptions(c: RealmContext): void {
  patchDescriptionObjects(c);
  patchOffers(c);
  patchSetDescriptions(c);
}

const sanitizeSdp = (pcId: number, sdp: string): string => {
  const r = ask({ t: 'sdp', pc: pcId, sdp });
  return r && r.t === 'sdp' ? r.sdp : '';
};

/** Remembers what we handed out, so that the page can give our offer back to the browser. */
function remember(pc: object, clean: string, sdp: string): void {
  if (clean === sdp) return;
  const s = connectionState(pc);
  // Only recent descriptions are ever handed back; a page reading in a loop must not grow this.
  if (s.sdpOriginals.size >= 16) s.sdpOriginals = new SafeMap();
  s.sdpOriginals.set(clean, sdp);
}

/** A browser-made description's raw SDP, or undefined for anything else (the brand check throws). */
function rawSdpOf(c: RealmContext, d: unknown): string | undefined {
  if (typeof d !== 'object' || d === null || pageMade.has(d)) return undefined;
  try {
    return str(callGetter(c.dSdp, d));
  } catch {
    return undefined;
  }
}

/** A description the page reads as the browser gives it: its own, any in `direct` but the local ones the LAN helper resolves. */
function passes(d: object): boolean {
  return isDirect() || pageMade.has(d) || (isDirectMode() && remoteDescriptions.has(d));
}

/** The sanitized SDP of a browser-made description. */
function cleanSdpOf(d: object, raw: string): string {
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
}

/** RTCSessionDescription's members and constructor; the connection's description getters. */
function patchDescriptionObjects(c: RealmContext): void {
  const { Description, realm, proto, dSdp } = c;
  const dProto = Description?.prototype;
  if (Description && dProto) {
    wrapAccessor(dProto, 'sdp', (orig, self) => {
      const sdp = apply(orig, self, []); // the brand check: throws as the browser does
      if (passes(self as object)) return sdp;
      return cleanSdpOf(self as object, str(sdp));
    });
    wrapMethod(dProto, 'toJSON', (orig, self, args) => {
      const json = apply(orig, self, args);
      if (passes(self as object) || typeof json !== 'object' || json === null) return json;
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
}

/**
 * createOffer and createAnswer. The browser is always asked in the legacy callback form (success,
 * failure, options), which hands the description to our callback alone. The promise form settles a
 * promise with it (Chromium: with a plain RTCSessionDescriptionInit whose sdp is an own data
 * property), and settling looks up `then` on the value, where a page getter on Object.prototype would
 * read the raw SDP first.
 */
function patchOffers(c: RealmContext): void {
  const { RealmPromise, ObjectProto } = c;
  /** The result: the browser's description (getters sanitize) or a plain copy. */
  const sanitizeResult = (self: object, desc: unknown): unknown => {
    if (typeof desc !== 'object' || desc === null || isDirect()) return desc;
    if (rawSdpOf(c, desc) !== undefined) {
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
  const offerNames = ['createOffer', 'createAnswer'];
  for (let i = 0; i < offerNames.length; i++) {
    wrapMethod(c.proto, offerNames[i]!, (orig, self, args) => {
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
}

/** `type` and `sdp` as the browser would read them (Get; DOMString: ToString), once. */
function readPlain(desc: object): { type: unknown; sdp: string } {
  const type = (desc as { type?: unknown }).type;
  const sdpValue = (desc as { sdp?: unknown }).sdp;
  return { type, sdp: sdpValue === undefined ? '' : '' + (sdpValue as string) };
}

function withDescription(args: unknown[], d: { type: unknown; sdp: string }): unknown[] {
  const init = create(null) as Record<string, unknown>;
  if (d.type !== undefined) init.type = d.type;
  init.sdp = d.sdp;
  return withFirst(args, init);
}

/**
 * setLocalDescription and setRemoteDescription. A description the page passes in is read once into
 * primitives (a getter cannot show us one SDP and the browser another). The browser's own
 * description gives its raw SDP; our sanitized SDP handed back gives the original it came from.
 */
function patchSetDescriptions(c: RealmContext): void {
  const readDescription = (pc: object, desc: unknown): { type: unknown; sdp: string; raw: boolean } | null => {
    if (typeof desc !== 'object' || desc === null) return null;
    const raw = rawSdpOf(c, desc);
    if (raw !== undefined) return { type: callGetter(c.dType, desc), sdp: raw, raw: true };
    const d = readPlain(desc);
    const original = states.get(pc)?.sdpOriginals.get(d.sdp);
    return { type: d.type, sdp: original ?? d.sdp, raw: original !== undefined };
  };
  wrapMethod(c.proto, 'setLocalDescription', (orig, self, args) => {
    const d = readDescription(self as object, args[0]);
    return apply(orig, self, d && d.raw ? withDescription(args, d) : args);
  });
  // A remote description's candidates are remote candidates: the same rules as addIceCandidate.
  wrapMethod(c.proto, 'setRemoteDescription', (orig, self, args) => {
    if (isDirectMode()) return apply(orig, self, args);
    const desc = args[0];
    if (typeof desc !== 'object' || desc === null) return apply(orig, self, args);
    // Read once, as the browser would (a description another connection made reads as the page sees
    // it: with names, which the relay resolves where they are the site's own).
    const d = readPlain(desc);
    const r = ask({ t: 'remote-sdp', pc: connectionState(self as object).id, sdp: d.sdp });
    const sdp = r && r.t === 'remote-sdp' ? r.sdp : '';
    return apply(orig, self, withDescription(args, { type: d.type, sdp }));
  });
}
