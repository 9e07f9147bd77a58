// Runs in the page's world: no extension APIs.
// getStats (RTCPeerConnection, RTCRtpSender, RTCRtpReceiver) and every way to read an RTCStatsReport.
// The browser's report object is handed back (so `instanceof` and brand checks hold), but each of
// its methods on the realm's RTCStatsReport.prototype reads from entries the relay sanitized.
// Chromium builds a fresh object on every get(), so sanitizing in place would not work anyway.
import type { StatsEntry } from '../shared/page-protocol';
import { ask } from './channel';
import { apply, construct, create, getDesc, iteratorSymbol, jsonStringify, ownKeys, SafeMap, SafeWeakMap, SafeWeakSet, thenSafe } from './captured';
import { retry } from './hold';
import { askedAs, connectionState, isDirect } from './connection';
import { ownerOf } from './owners';
import type { AnyFn, Realm } from './realm-tools';
import { disguise, redefine, wrapAccessor, wrapMethod } from './wrap';

/** native report -> sanitized entries (id -> the entry's JSON text), in the browser's order. Shared by all realms. */
const reports = new SafeWeakMap<object, SafeMap<string, string>>();
const EMPTY = new SafeMap<string, string>();
/** Reports of `direct` sites: read through the browser's own methods. */
const raw = new SafeWeakSet<object>();

/**
 * Patches the realm's stats readers and getStats on RTCPeerConnection now, and returns the patch for
 * RTCRtpSender and RTCRtpReceiver, to run at the realm's first connection: a sender exists only once
 * a connection does, and touching those interfaces at document_start costs Blink about 50 µs each. A
 * report from a getStats saved before that reads as empty (fail closed).
 */
export function patchStats(realm: Realm): () => void {
  const Report = (realm as { RTCStatsReport?: { prototype: object } }).RTCStatsReport;
  const rp = Report?.prototype;
  const nativeForEach = rp ? (getDesc(rp, 'forEach')?.value as AnyFn | undefined) : undefined;
  if (!rp || !nativeForEach) return () => {};
  const sanitize = sanitizer(realm, nativeForEach);
  // The realm's own then, taken now: a page may replace it later.
  const realmThen = realm.Promise.prototype.then as AnyFn;
  const wrapGetStats = (target: object | undefined, pcId: (self: unknown) => number) => {
    if (!target) return;
    wrapMethod(target, 'getStats', (orig, self, args) => thenSafe(realmThen, apply(orig, self, args) as object, (report: object) => sanitize(pcId(self), report)));
  };
  wrapGetStats(realm.RTCPeerConnection?.prototype, (self) => askedAs(connectionState(self as object)));
  patchReaders(realm, rp);
  // Sender and receiver reports hold the transport's candidates too: asked for as their connection.
  return () => {
    wrapGetStats((realm as { RTCRtpSender?: { prototype: object } }).RTCRtpSender?.prototype, ownerOf);
    wrapGetStats((realm as { RTCRtpReceiver?: { prototype: object } }).RTCRtpReceiver?.prototype, ownerOf);
  };
}

/**
 * Own data properties with primitive values, copied into null-prototype objects, as JSON text (no
 * object in it has a prototype whose toJSON a page could define).
 */
function collect(nativeForEach: AnyFn, report: object): string {
  const entries = create(null) as Record<string, StatsEntry>;
  apply(nativeForEach, report, [
    (value: object, key: string) => {
      const e = create(null) as StatsEntry;
      const keys = ownKeys(value);
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        const v = typeof k === 'string' ? (value as Record<string, unknown>)[k] : undefined;
        if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') e[k as string] = v;
      }
      entries[key] = e;
    },
  ]);
  return jsonStringify(entries);
}

/**
 * A native report -> the same report, once the relay sanitized its entries (a promise of the realm
 * while it waits); in `direct` the report as it is, read through the browser's own methods.
 */
function sanitizer(realm: Realm, nativeForEach: AnyFn): (pcId: number, report: object) => Promise<object> | object {
  const RealmPromise = realm.Promise;
  return (pcId, report) => {
    if (isDirect()) {
      raw.add(report);
      return report;
    }
    return construct(RealmPromise, [(resolve: (v: object) => void) => {
      const entries = collect(nativeForEach, report);
      retry(
        () => {
          const r = ask({ t: 'stats', pc: pcId, entries });
          if (!r || r.t !== 'stats' || r.pending) return false;
          const m = new SafeMap<string, string>();
          const keys = ownKeys(r.entries);
          for (let i = 0; i < keys.length; i++) {
            const json = r.entries[keys[i] as string];
            if (typeof json === 'string') m.set(keys[i] as string, json);
          }
          reports.set(report, m);
          resolve(report);
          return true;
        },
        () => {
          reports.set(report, EMPTY); // fail closed: an empty report
          resolve(report);
        },
      );
    }]) as Promise<object>;
  };
}

/** Every reader of RTCStatsReport.prototype reads the sanitized entries (as copies in the realm). */
function patchReaders(realm: Realm, rp: object): void {
  const RealmMap = realm.Map;
  const RealmTypeError = realm.TypeError;
  // The realm's own JSON.parse, taken now: its objects have the realm's Object.prototype, and it
  // defines their members as an object literal would (no setter a page put there runs).
  const realmJson = realm.JSON;
  const realmParse = realmJson.parse as AnyFn;
  // A report we never sanitized (none should exist) reads as empty.
  const entriesOf = (self: unknown) => reports.get(self as object) ?? EMPTY;
  const copy = (json: string | undefined): StatsEntry | undefined => (json === undefined ? undefined : (apply(realmParse, realmJson, [json]) as StatsEntry));
  const mapProto = realm.Map.prototype;
  const mapSet = mapProto.set;
  const snapshot = (self: unknown): Map<string, unknown> => {
    const m = construct(RealmMap, []) as Map<string, unknown>;
    entriesOf(self).forEach((e, k) => void apply(mapSet, m, [k, copy(e)]));
    return m;
  };
  const nativeSize = getDesc(rp, 'size')?.get as AnyFn | undefined;
  /** Raw (direct) report; anything that is no report at all throws the browser's brand-check TypeError. */
  const passRaw = (self: unknown) => {
    if (nativeSize) apply(nativeSize, self, []);
    return typeof self === 'object' && self !== null && raw.has(self);
  };
  wrapMethod(rp, 'get', (o, self, args) => (passRaw(self) ? apply(o, self, args) : copy(entriesOf(self).get(`${args[0] as string}`))));
  wrapMethod(rp, 'has', (o, self, args) => (passRaw(self) ? apply(o, self, args) : entriesOf(self).has(`${args[0] as string}`)));
  wrapMethod(rp, 'forEach', (o, self, args) => {
    if (passRaw(self)) return apply(o, self, args);
    const cb = args[0];
    if (typeof cb !== 'function') throw construct(RealmTypeError, ['RTCStatsReport.forEach: Argument 1 is not callable.']);
    entriesOf(self).forEach((e, k) => void apply(cb as AnyFn, args[1], [copy(e), k, self]));
  });
  const nativeEntries: unknown = getDesc(rp, 'entries')?.value;
  const readers = ['keys', 'values', 'entries'] as const;
  for (let i = 0; i < readers.length; i++) {
    const method = mapProto[readers[i]!] as AnyFn;
    wrapMethod(rp, readers[i]!, (o, self, args) => (passRaw(self) ? apply(o, self, args) : apply(method, snapshot(self), [])));
  }
  patchIterator(rp, nativeEntries, mapProto.entries as AnyFn, passRaw, snapshot);
  wrapAccessor(rp, 'size', (g, self) => (passRaw(self) ? apply(g, self, []) : entriesOf(self).size));
}

/** maplike: @@iterator is the very function `entries` is (WebIDL "maplike declarations"); kept so. */
function patchIterator(rp: object, nativeEntries: unknown, mapEntries: AnyFn, passRaw: (self: unknown) => boolean, snapshot: (self: unknown) => Map<string, unknown>): void {
  const nativeIterator = getDesc(rp, iteratorSymbol);
  if (!nativeIterator || typeof nativeIterator.value !== 'function') return;
  // `entries` is already ours (patchReaders): the identity holds again when @@iterator is it too.
  if (nativeEntries === nativeIterator.value) nativeIterator.value = getDesc(rp, 'entries')!.value;
  else {
    const own = nativeIterator.value as AnyFn;
    nativeIterator.value = disguise(own, { apply: (_t, self, args: unknown[]) => (passRaw(self) ? apply(own, self, args) : apply(mapEntries, snapshot(self), [])) });
  }
  redefine(rp, iteratorSymbol, nativeIterator);
}
