// The channel between the page shim (MAIN world) and the relay (ISOLATED world),
// docs/design.md "Relay and channel".
//
// Handshake (details in src/page/channel.ts): the shim announces itself with an event of type
// `load` that bubbles from an element it attaches for a moment; the relay, listening on the document,
// takes that element from the first announcement and accepts on it. An event named `load` never
// reaches the Window (DOM "get the parent" of a Document), so nothing a page registered on a window
// before this document existed (a same-origin parent holding a frame's reused initial window) sees
// it, and at document_start no page script has had the new document. Afterwards both talk only
// through events on the detached element, which no page script can reach or listen to, and which
// document.open() leaves alone. Everything the relay receives is still treated as untrusted: a page
// can forge any message the shim could send.
//
// Requests are synchronous: the shim puts a request's JSON (an object) into the element's only child,
// a text node, and dispatches CHANNEL.query; the relay answers within that dispatch by putting the
// reply's JSON there instead, wrapped in an array (so the shim tells an answer from its own request).
// DOM event dispatch runs listeners of every world synchronously, so the shim reads the answer as soon
// as dispatchEvent returns. One reused event and a text node cost far less than an event with a
// detail each way (measured: the answer's event alone was ~15% of the channel's time). The policy itself
// runs in the relay, whose built-ins the page cannot reach (a page that hooks String.prototype methods
// must never see a raw candidate pass through them). CHANNEL.notify tells the shim that the mode or
// names arrived, so that it can release held candidates.

import type { Mode } from '../policy/mode';
import { anything, arrayOf, channel, nullable, number, object, string, type MessageOf, type ObjectOf } from './schema';

/** The rendezvous event's type: see above for why it must be `load`. */
export const HANDSHAKE_EVENT = 'load';
export const HANDSHAKE = { shim: 'iceguard:shim', relay: 'iceguard:relay' } as const;
export const CHANNEL = { accept: 'iceguard:accept', query: 'iceguard:q', notify: 'iceguard:n' } as const;

// The requests, declared once: the relay reads every request with `pageRequests` (a page can forge
// any of them), and the shim's type is derived from the same table. The tables are marked pure, so
// the page shim, which imports this file for its constants and types only, carries none of them.
// Strings are bounded by the channel's own bound (the relay refuses a larger request outright).
const MAX_TEXT = 4_000_000;
const text = /* @__PURE__ */ string(MAX_TEXT);
/** A connection's number in its document (0: a surface with no connection, ICE transport). */
const pc = /* @__PURE__ */ number({ integer: true, min: 0 });

/** One candidate as an RTCIceCandidateInit. */
const CANDIDATE_INIT = /* @__PURE__ */ (() => ({
  candidate: text,
  sdpMid: nullable(text),
  sdpMLineIndex: nullable(number({ integer: true, min: 0, max: 65535 })),
  usernameFragment: nullable(text),
}))();
export type CandidateInit = ObjectOf<typeof CANDIDATE_INIT>;

/** A stats dictionary: own enumerable data properties with primitive values only. */
export type StatsEntry = Record<string, unknown>;

const PAGE_REQUESTS = /* @__PURE__ */ (() => {
  const item = object(CANDIDATE_INIT);
  return {
    /** The site's mode, or null while the background has not answered yet. */
    mode: {},
    /** Sanitizes a local candidate of connection `pc` (null = drop it); `pending` while mode or names are missing. */
    candidate: { pc, item },
    /** A candidate queued behind others: start fetching what it will need (its name); answered `ok`. */
    prefetch: { pc, item },
    /**
     * `direct` with the LAN helper: the address behind the browser's own name in a candidate already
     * shown with that name (a `follow` reply), as a candidate of its own; `pending` until the helper
     * answered, null when it has none.
     */
    'own-address': { pc, item },
    /** Sanitizes a local description's SDP (never pending: the strictest rewrite while unsure). */
    sdp: { pc, sdp: text },
    /**
     * Sanitizes a stats report (`pending` like candidates): `entries` is the JSON text of an object,
     * id -> entry, each entry checked on its own. Dropped entries are left out of the answer.
     */
    stats: { pc, entries: text },
    /** Checks a remote candidate the page adds. */
    remote: { pc, candidate: text },
    /**
     * A remote description the page sets (setRemoteDescription): the same remote-candidate rules as
     * `remote`, applied to each of its `a=candidate` lines (refused lines are removed).
     */
    'remote-sdp': { pc, sdp: text },
    /** A remote description the browser holds, as the page may see it (this machine's addresses as names). */
    'remote-view-sdp': { sdp: text },
    /** A remote candidate the browser reports (ICE transport): as the page may see it, or null. */
    'remote-view': { candidate: text },
    /** Filters an RTCConfiguration's iceServers; `refused` names the first URL that was refused. Checked by the ICE-server rules. */
    servers: { servers: anything },
    /** Scrubs an icecandidateerror's address. */
    'error-address': { pc, address: nullable(text) },
    /**
     * Connections made up to `opened` (counted in every mode, `direct` too: the badge shows WebRTC in
     * use) and those `closed` since the last word (their contexts can be released), told together.
     */
    connections: { opened: pc, closed: arrayOf(pc, 10_000) },
    /** A connection's ICE failed (a prompt trigger when candidates were withheld). */
    failed: { pc },
  };
})();
export type PageRequest = MessageOf<'t', typeof PAGE_REQUESTS>;
export const pageRequests = /* @__PURE__ */ channel('t', PAGE_REQUESTS, { noun: 'request' });

export type PageReply =
  /** `resolve`: direct with the LAN helper, so the browser's own `.local` names go through the relay too. */
  | { t: 'mode'; mode: Mode | null; resolve: boolean }
  | { t: 'candidate'; pending: true }
  /**
   * `follow`: the candidate has one of the browser's own names; ask `own-address` for its address.
   * `back`: what a `remote` request for this very line would give the browser (one of the site's names
   * resolved), valid until the next notify.
   */
  | { t: 'candidate'; pending: false; item: CandidateInit | null; follow?: boolean; back?: string }
  | { t: 'sdp'; sdp: string }
  | { t: 'stats'; pending: true }
  /**
   * Each entry as JSON text: the shim parses it in the realm that reads it, a new object for every
   * read as the browser makes one (far cheaper than defining its members one by one, issue #15).
   */
  | { t: 'stats'; pending: false; entries: Record<string, string> }
  /** `candidate`: what the browser gets instead (one of this site's own names resolved, issue #14). */
  | { t: 'remote'; allow: boolean; candidate?: string; malformed?: boolean }
  | { t: 'remote-sdp'; sdp: string }
  | { t: 'remote-view-sdp'; sdp: string }
  | { t: 'remote-view'; candidate: string | null }
  | { t: 'servers'; refused: string | null; syntax: boolean; why?: string }
  | { t: 'error-address'; address: string | null }
  | { t: 'ok' }
  | { t: 'error'; error: string };
