// Messages between the relay (content script) and the background, typed in one place and validated
// on receipt (STYLE.md). Content scripts are less trusted than the background: a compromised page
// can make its relay send anything, so the background checks every field.
import { isSiteMode, type SiteMode } from './modes';

export type RelayMessage =
  /** A document starts: its site's mode, LAN-names setting and the names known for the site. */
  | { type: 'hello'; origin: string }
  /** mDNS names for host addresses of this site (allocated when new). */
  | { type: 'names'; origin: string; addresses: string[] }
  /** What the document's connections did since the last report (badge, popup, prompt triggers). */
  | ({ type: 'activity'; origin: string } & ActivityReport)
  /** `direct` sites with the LAN helper: the browser's own `<uuid>.local` names, to addresses. */
  | { type: 'resolve'; origin: string; names: string[] };

export interface ActivityReport {
  /** Connections created since the last report. */
  connections: number;
  /** Candidates dropped or renamed since the last report. */
  candidatesHidden: number;
  /** Local addresses first hidden since the last report (canonical form). */
  addresses: string[];
  /**
   * Raw host addresses the browser first gave this document since the last report (canonical form):
   * this machine's addresses, which the site's other documents then treat as such (SiteInfo `hosts`).
   * Unlike `addresses`, never a relay candidate's related address (the mapped public address).
   */
  hosts?: string[];
  /** The browser handed this document a raw host address it did not show (the camera case). */
  rawHost: boolean;
  /** A connection failed while candidates were withheld. */
  failed: boolean;
}

/** The background asks every relay of a tab to fetch its mode again (a decision changed). */
export const REFRESH_MESSAGE = 'iceguard:refresh';
/** The background asks a tab's top-level relay whether it is there (src/background/site-access.ts); it answers true. */
export const PING_MESSAGE = 'iceguard:ping';

export interface SiteInfo {
  mode: SiteMode;
  lanNames: boolean;
  /** Canonical address -> `<uuid>.local` name, for this site in this browser session. */
  names: Record<string, string>;
  /**
   * The LAN helper is connected: a host candidate's name must be registered (a `names` request for
   * its address, answered after the helper took it) before the candidate is released.
   */
  register?: boolean;
  /**
   * Answered while the enterprise policy was not known yet (a first start): the mode under no policy,
   * never looser than srflx-only. Reflexive candidates and stats wait for the real answer.
   */
  provisional?: boolean;
  /**
   * A `direct` site with the LAN helper connected: host candidates that carry the browser's own
   * `.local` names are held until the helper resolved them (a `resolve` request), then shown with
   * their addresses (RFC 8828 mode 1, which the user allowed, even without camera permission).
   */
  resolve?: boolean;
  /**
   * With `register`: the addresses (keys of `names`) whose names the helper answers for already,
   * registered by another document of the site. Their candidates need not wait for a `names`
   * answer; the relay still sends one, so that this tab keeps the names alive too.
   */
  answered?: string[];
  /**
   * This machine's addresses as the background knows them (canonical form): raw host addresses other
   * documents of the site were given (their activity reports), and the LAN helper's interface
   * addresses. The relay treats each as a host address: no srflx/prflx candidate with one goes out.
   */
  hosts?: string[];
}

/** The background's answer to `resolve`: name -> address, or null when it did not resolve. */
export interface ResolveReply {
  resolved: Record<string, string | null>;
}

export const MAX_ADDRESSES_PER_REQUEST = 64;
/** Bound of each list of this machine's addresses: a site's remembered ones, the LAN helper's. */
export const MAX_HOST_ADDRESSES = 64;
export const MAX_NAMES_PER_RESOLVE = 16;

export function isResolveReply(v: unknown): v is ResolveReply {
  const r = (v as { resolved?: unknown } | null)?.resolved;
  return typeof r === 'object' && r !== null && Object.values(r).every((a) => a === null || typeof a === 'string');
}

export function isRelayMessage(v: unknown): v is RelayMessage {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as { type?: unknown; origin?: unknown; addresses?: unknown };
  if (typeof m.origin !== 'string' || m.origin.length > 2048) return false;
  if (m.type === 'hello') return true;
  if (m.type === 'activity') return isActivityReport(v);
  if (m.type === 'resolve') {
    const names = (v as { names?: unknown }).names;
    return isShortTexts(names, MAX_NAMES_PER_RESOLVE);
  }
  return m.type === 'names' && isShortTexts(m.addresses, MAX_ADDRESSES_PER_REQUEST);
}

/** A list of at most `max` strings of at most 64 characters (addresses, names). */
const isShortTexts = (v: unknown, max: number): v is string[] =>
  Array.isArray(v) && v.length <= max && v.every((a) => typeof a === 'string' && a.length <= 64);

function isActivityReport(v: unknown): v is ActivityReport {
  const r = v as Record<string, unknown>;
  const count = (x: unknown) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0 && x <= 10_000;
  return (
    count(r.connections) &&
    count(r.candidatesHidden) &&
    isShortTexts(r.addresses, MAX_ADDRESSES_PER_REQUEST) &&
    (r.hosts === undefined || isShortTexts(r.hosts, MAX_ADDRESSES_PER_REQUEST)) &&
    typeof r.rawHost === 'boolean' &&
    typeof r.failed === 'boolean'
  );
}

export function isSiteInfo(v: unknown): v is SiteInfo {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as { mode?: unknown; lanNames?: unknown; names?: unknown };
  const { register: r, resolve: q, provisional: p, answered: a, hosts: h } = v as { register?: unknown; resolve?: unknown; provisional?: unknown; answered?: unknown; hosts?: unknown };
  const flag = (x: unknown) => x === undefined || typeof x === 'boolean';
  const list = (x: unknown) => x === undefined || isShortTexts(x, 256);
  return isSiteMode(s.mode) && typeof s.lanNames === 'boolean' && typeof s.names === 'object' && s.names !== null && flag(r) && flag(q) && flag(p) && list(a) && list(h);
}
