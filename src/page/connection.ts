// Runs in the page's world: no extension APIs.
// What the shim keeps per connection and per document, shared by every surface of every realm it
// patched: one context per connection (its id names it to the relay, so a candidate has the same
// foundation and name on every surface), the site's mode, and which descriptions are whose.
import { ask } from './channel';
import { apply, create, SafeMap, SafeQueue, SafeWeakMap, SafeWeakSet, setProto, setTimeoutFn, topWindow } from './captured';
import type { CandidateInit, PageReply } from '../shared/page-protocol';

export interface ConnectionState {
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
  /**
   * `direct` with the LAN helper: candidates shown with the browser's own name whose address may
   * follow as a candidate of its own, in order; the end of gathering waits for them.
   */
  follows: SafeQueue<CandidateInit>;
  /** close() was called: the relay released the connection's context. */
  closed: boolean;
}

/** A queue entry for a held `complete` gathering state change. */
export const GATHERED: object = create(null);

export const states = new SafeWeakMap<object, ConnectionState>();
let nextId = 1;
/** RTCSessionDescription objects the page constructed (they hold its own SDP). Shared by all realms. */
export const pageMade = new SafeWeakSet<object>();
/** A browser-made description -> the connection it came from. */
export const descriptionOwner = new SafeWeakMap<object, object>();
/** Browser-made descriptions the page got as remote descriptions. */
export const remoteDescriptions = new SafeWeakSet<object>();

/** The connection's state (created on first sight: a connection made by another frame's shim). */
export function connectionState(pc: object): ConnectionState {
  let s = states.get(pc);
  if (!s) {
    s = { id: nextId++, queue: new SafeQueue(), waiting: false, handlers: new SafeMap(), sdpOriginals: new SafeMap(), gatheredHeld: false, follows: new SafeQueue(), closed: false };
    states.set(pc, s);
  }
  return s;
}

/**
 * The connection a read of a closed one is asked as: none (0). The relay released its context
 * (Foundations.release) at close(); asking as its id again would start one that nothing releases.
 */
export const askedAs = (s: ConnectionState): number => (s.closed ? 0 : s.id);

/**
 * Connections opened and closed, told to the relay together after the task they happened in: one
 * request for a page that opens or closes fifty at once, not one each.
 */
let openedUpTo = 0;
let closedIds: number[] | null = null;
function tellSoon(): void {
  if (closedIds !== null) return;
  closedIds = [];
  setProto(closedIds, null); // index writes must find no setter a page put on Array.prototype
  apply(setTimeoutFn, topWindow, [
    () => {
      const closed = closedIds!;
      closedIds = null;
      ask({ t: 'connections', opened: openedUpTo, closed });
    },
    0,
  ]);
}
export function countOpened(id: number): void {
  openedUpTo = id > openedUpTo ? id : openedUpTo;
  tellSoon();
}
export function tellClosed(id: number): void {
  tellSoon();
  closedIds![closedIds!.length] = id;
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

/**
 * The relay's answers kept until its next notify (what it told may no longer hold after one), by key,
 * at most `max` (then started afresh): a page that makes fifty connections asks once.
 */
function untilNotified<V>(max: number) {
  let kept = new SafeMap<string, V>();
  return {
    get: (key: string): V | undefined => kept.get(key),
    set(key: string, value: V): void {
      if (kept.size >= max) kept = new SafeMap();
      kept.set(key, value);
    },
    forget(): void {
      if (kept.size) kept = new SafeMap();
    },
  };
}

/**
 * Candidate lines shown to the page -> what the browser gets when the page adds one back as a remote
 * candidate (the relay's `back`: one of the site's names resolved). Two connections of one page then
 * need no `remote` request per candidate (issue #15).
 */
const addedBack = untilNotified<string>(512);
export const rememberAddedBack = addedBack.set;
export const addedBackOf = addedBack.get;

/**
 * The relay's answers to ICE server lists, by the request's text (issue #15). The answer depends on
 * the list and the mode alone.
 */
const serversChecked = untilNotified<PageReply>(64);
export const rememberServers = serversChecked.set;
export const checkedServers = serversChecked.get;

/** The relay learnt something (mode, names): what it told before may no longer hold. */
export function forgetMode(): void {
  knownMode = null;
  addedBack.forget();
  serversChecked.forget();
}

/**
 * `direct` passes the browser's own values through untouched: nothing to sanitize, nothing to pay.
 * Not so while the LAN helper may turn the browser's own `.local` names into addresses (`resolve`):
 * then candidates, descriptions and stats go through the relay, which changes only those names.
 */
export const isDirect = (): boolean => isDirectMode() && !knownResolve;

/** `direct`, with or without the LAN helper: ICE servers, remote input and remote views need nothing (the names are local ones). */
export const isDirectMode = (): boolean => currentMode() === 'direct';
