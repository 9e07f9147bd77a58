// Runs in the page's world: no extension APIs.
// Which connection an RTCRtpSender, RTCRtpReceiver or RTCIceTransport belongs to, so their stats and
// candidates are asked for as that connection: one context per connection on every surface, and a
// candidate gets the foundation its connection shows everywhere else (docs/architecture.md "The parts
// in detail"). Nothing links such an object to its connection in the API, so the first time one is
// read the live connections are walked with the browser's own methods and getters (taken per realm),
// and every object found is remembered. Nothing is paid per connection until then but a weak reference.
import { apply, deref, SafeMap, SafeWeakMap, weakRef } from './captured';
import { askedAs, connectionState, type ConnectionState } from './connection';
import type { RealmContext } from './realm-context';
import { callGetter, getterOf, type AnyFn } from './realm-tools';

interface Live {
  pc: WeakRef<object>;
  realm: RealmContext;
}

/** Open connections of this document, by id (closed ones leave; collected ones go at the next walk). */
const live = new SafeMap<number, Live>();
/** Sender, receiver, transport -> its connection's state. Shared by all realms. */
const owners = new SafeWeakMap<object, ConnectionState>();
/** Size of `live` after its last sweep: a page that never closes its connections still keeps it small. */
let swept = 64;

/** A connection constructed in `realm` (pc-config.ts). */
export function connectionOpened(pc: object, realm: RealmContext): void {
  live.set(connectionState(pc).id, { pc: weakRef(pc), realm });
  if (live.size < 2 * swept) return;
  live.forEach((entry, id) => {
    if (!deref(entry.pc)) live.delete(id);
  });
  swept = live.size > 64 ? live.size : 64;
}

/** close() (peer-connection.ts): its objects are asked for as no connection from now on (askedAs). */
export function connectionClosed(s: ConnectionState): void {
  s.closed = true;
  live.delete(s.id);
}

/**
 * The transports' getters of `realm`, taken at its first connection: those interfaces cost Blink
 * time at first touch, too much for every document (stats.ts defers its own patch the same way). A
 * page that replaced them before its first connection can only make an object be asked for as
 * another connection: what is shown is sanitized the same.
 */
export function takeTransportGetters(c: RealmContext): void {
  const r = c.realm as unknown as Record<string, { prototype: object } | undefined>;
  const dtls = r.RTCDtlsTransport?.prototype;
  c.transports = {
    ofSender: getterOf(r.RTCRtpSender?.prototype, 'transport'),
    ofReceiver: getterOf(r.RTCRtpReceiver?.prototype, 'transport'),
    ofSctp: getterOf(r.RTCSctpTransport?.prototype, 'transport'),
    ice: getterOf(dtls, 'iceTransport'),
  };
}

const isObject = (v: unknown): v is object => (typeof v === 'object' || typeof v === 'function') && v !== null;

/** Remembers what connection `s` holds now: senders, receivers, and the ICE transports under them. */
function remember(pc: object, s: ConnectionState, c: RealmContext): void {
  const t = c.transports;
  const note = (o: unknown) => void (isObject(o) && owners.set(o, s));
  const noteIceOf = (dtls: unknown) => void (isObject(dtls) && t && note(callGetter(t.ice, dtls)));
  const noteAll = (list: unknown, transportOf: AnyFn | undefined) => {
    const n = isObject(list) && typeof (list as { length?: unknown }).length === 'number' ? (list as unknown[]).length : 0;
    for (let i = 0; i < n; i++) {
      const item = (list as unknown[])[i];
      note(item);
      if (isObject(item)) noteIceOf(callGetter(transportOf, item));
    }
  };
  noteAll(c.getSenders ? apply(c.getSenders, pc, []) : null, t?.ofSender);
  noteAll(c.getReceivers ? apply(c.getReceivers, pc, []) : null, t?.ofReceiver);
  const sctp = callGetter(c.sctp, pc);
  if (isObject(sctp) && t) noteIceOf(callGetter(t.ofSctp, sctp));
}

/** Walks the live connections until one holds `o` (each walked one remembered whole). */
function find(o: object): ConnectionState | undefined {
  let found = owners.get(o);
  if (found) return found;
  live.forEach((entry, id) => {
    if (found) return;
    const pc = deref(entry.pc);
    if (!pc) return live.delete(id);
    try {
      remember(pc, connectionState(pc), entry.realm);
    } catch {
      return; // a connection the browser will not describe now: it owns nothing we can see
    }
    found = owners.get(o);
  });
  return found;
}

/**
 * The connection id to ask the relay as for a sender, receiver or ICE transport: its connection's,
 * or 0 (no connection) when none holds it, or its connection is closed.
 */
export function ownerOf(o: unknown): number {
  if (!isObject(o)) return 0;
  const s = find(o);
  return s ? askedAs(s) : 0;
}
