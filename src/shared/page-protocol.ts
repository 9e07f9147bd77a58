// The channel between the page shim (MAIN world) and the relay (ISOLATED world), DESIGN.md §4.3.
//
// Handshake: both scripts run at document_start, before any page script, in an order the browsers do
// not promise. Each listens for HANDSHAKE_EVENT, then announces itself on it. The relay answers every
// shim announcement with a fresh secret (128 random bits); the shim takes the first secret it hears
// and both stop listening. After that they talk only through events named with the secret, which no
// page script can know. Everything the relay receives is still treated as untrusted: a page can
// forge any message the shim could send.
//
// Requests are synchronous: the shim dispatches `<secret>:q` with a JSON string, the relay answers
// within that dispatch by dispatching `<secret>:a`. DOM event dispatch runs listeners of every world
// synchronously, so the shim reads the answer as soon as dispatchEvent returns. The policy itself
// runs in the relay, whose built-ins the page cannot reach (a page that hooks String.prototype methods
// must never see a raw candidate pass through them). `<secret>:n` notifies the shim (mode or names
// arrived) so that it can release held candidates.

import type { SiteMode } from './modes';

export const HANDSHAKE_EVENT = 'iceguard:handshake';

/** One candidate as an RTCIceCandidateInit. */
export interface CandidateInit {
  candidate: string;
  sdpMid: string | null;
  sdpMLineIndex: number | null;
  usernameFragment: string | null;
}

/** A stats dictionary: own enumerable data properties with primitive values only. */
export type StatsEntry = Record<string, unknown>;

export type PageRequest =
  /** The site's mode, or null while the background has not answered yet. */
  | { t: 'mode' }
  /** Sanitizes a local candidate of connection `pc` (null = drop it); `pending` while mode or names are missing. */
  | { t: 'candidate'; pc: number; item: CandidateInit }
  /** Sanitizes a local description's SDP (never pending: the strictest rewrite while unsure). */
  | { t: 'sdp'; pc: number; sdp: string }
  /** Sanitizes a stats report, id -> entry (`pending` like candidates); dropped entries are left out. */
  | { t: 'stats'; pc: number; entries: Record<string, StatsEntry> }
  /** Checks a remote candidate the page adds. */
  | { t: 'remote'; pc: number; candidate: string }
  /** A remote candidate the browser reports (ICE transport): as the page may see it, or null. */
  | { t: 'remote-view'; candidate: string }
  /** Filters an RTCConfiguration's iceServers; `refused` names the first URL that was refused. */
  | { t: 'servers'; servers: unknown }
  /** Scrubs an icecandidateerror's address. */
  | { t: 'error-address'; pc: number; address: string | null }
  /** A connection closed or went away: its context can be released. */
  | { t: 'closed'; pc: number };

export type PageReply =
  | { t: 'mode'; mode: SiteMode | null }
  | { t: 'candidate'; pending: true }
  | { t: 'candidate'; pending: false; item: CandidateInit | null }
  | { t: 'sdp'; sdp: string }
  | { t: 'stats'; pending: true }
  | { t: 'stats'; pending: false; entries: Record<string, StatsEntry> }
  | { t: 'remote'; allow: boolean }
  | { t: 'remote-view'; candidate: string | null }
  | { t: 'servers'; refused: string | null }
  | { t: 'error-address'; address: string | null }
  | { t: 'ok' }
  | { t: 'error'; error: string };
