// Runs in the page's world: no extension APIs.
// Small helpers shared by the per-realm patches.
import type { CandidateInit } from '../shared/page-protocol';
import { apply, bare, construct, create, dataDesc, defineProp, getDesc, hasOwn } from './captured';
import { redefine } from './wrap';

export type Realm = typeof globalThis;
export type AnyFn = (...args: unknown[]) => unknown;

/** A realm's own getter for `name` on `proto`, captured when the realm is patched. */
export function getterOf(proto: object | undefined, name: string): AnyFn | undefined {
  return proto ? (getDesc(proto, name)?.get as AnyFn | undefined) : undefined;
}

export function callGetter(fn: AnyFn | undefined, self: unknown): unknown {
  return fn ? apply(fn, self, []) : undefined;
}

export const str = (v: unknown): string => (typeof v === 'string' ? v : '');
export const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);
export const numOrNull = (v: unknown): number | null => (typeof v === 'number' ? v : null);

/** Reads and builds RTCIceCandidate objects of one realm. */
export function candidateTools(realm: Realm) {
  const Ctor = realm.RTCIceCandidate;
  const p = Ctor?.prototype;
  const g = { candidate: getterOf(p, 'candidate'), sdpMid: getterOf(p, 'sdpMid'), index: getterOf(p, 'sdpMLineIndex'), ufrag: getterOf(p, 'usernameFragment') };
  return {
    read(c: unknown): CandidateInit {
      return bare({
        candidate: str(callGetter(g.candidate, c)),
        sdpMid: strOrNull(callGetter(g.sdpMid, c)),
        sdpMLineIndex: numOrNull(callGetter(g.index, c)),
        usernameFragment: strOrNull(callGetter(g.ufrag, c)),
      });
    },
    make(init: CandidateInit): RTCIceCandidate {
      // The browser requires sdpMid or sdpMLineIndex; candidates read from the browser have one.
      const mid = init.sdpMid === null && init.sdpMLineIndex === null ? '0' : init.sdpMid;
      return construct(Ctor, [bare({ candidate: init.candidate, sdpMid: mid, sdpMLineIndex: init.sdpMLineIndex, usernameFragment: init.usernameFragment })]) as RTCIceCandidate;
    },
  };
}

/** Defines an own data property the way an object literal would, without consulting any setter. */
export function put(o: object, key: PropertyKey, value: unknown): void {
  defineProp(o, key, dataDesc(value));
}

/** Replaces a data property's value `from` by `to`, keeping its attributes; nothing if it is not `from`. */
export function replaceValue(target: object, key: string, from: unknown, to: unknown): void {
  const d = getDesc(target, key);
  if (!d || !hasOwn(d, 'value') || d.value !== from) return;
  d.value = to;
  redefine(target, key, d);
}

/** A copy of `args` with its first element replaced, built without Array.prototype. */
export function withFirst(args: unknown[], first: unknown): unknown[] {
  const out = create(null) as unknown[];
  const n = args.length > 0 ? args.length : 1;
  put(out, 'length', n);
  put(out, 0, first);
  for (let i = 1; i < n; i++) put(out, i, args[i]);
  return out;
}
