// Runs in the page's world: no extension APIs.
// What the shim keeps per connection and per document, shared by every surface of every realm it
// patched: one context per connection (its id names it to the relay, so a candidate has the same
// foundation and name on every surface), the site's mode, and which descriptions are whose.
import { ask } from './channel';
import { apply, create, SafeMap, SafeQueue, SafeWeakMap, SafeWeakSet, setTimeoutFn, topWindow } from './captured';
import type { CandidateInit } from '../shared/page-protocol';

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

let openedUpTo = 0;
let openedScheduled = false;
export function countOpened(id: number): void {
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
export const isDirect = (): boolean => isDirectMode() && !knownResolve;

/** `direct`, with or without the LAN helper: ICE servers, remote input and remote views need nothing (the names are local ones). */
export const isDirectMode = (): boolean => currentMode() === 'direct';
