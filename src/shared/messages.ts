// Messages between the relay (content script) and the background, declared once: the tables below
// give both the TypeScript types and the readers (src/shared/schema.ts). Content scripts are less
// trusted than the background: a compromised page can make its relay send anything, so the
// background reads every message with `relayMessages`; the relay reads the background's answers
// (`siteInfo`, `resolveReply`) the same way.
import { MODES } from '../policy/mode';
import { arrayOf, boolean, channel, nullable, number, object, oneOf, optional, record, string, type MessageOf, type ObjectOf } from './schema';

export const MAX_ADDRESSES_PER_REQUEST = 64;
/** Bound of each list of this machine's addresses: a site's remembered ones, the LAN helper's. */
export const MAX_HOST_ADDRESSES = 64;
export const MAX_NAMES_PER_RESOLVE = 16;

const origin = /* @__PURE__ */ string(2048);
/** A list of at most `max` strings of at most 64 characters (addresses, names). */
const texts = (max: number) => arrayOf(string(64), max);
const count = /* @__PURE__ */ number({ integer: true, min: 0, max: 10_000 });

/** What a document's connections did since the last report (badge, popup, prompt triggers). */
const ACTIVITY = /* @__PURE__ */ (() => ({
  /** Connections created since the last report. */
  connections: count,
  /** Candidates dropped or renamed since the last report. */
  candidatesHidden: count,
  /** Local addresses first hidden since the last report (canonical form). */
  addresses: texts(MAX_ADDRESSES_PER_REQUEST),
  /**
   * Raw host addresses the browser first gave this document since the last report (canonical form):
   * this machine's addresses, which the site's other documents then treat as such (SiteInfo `hosts`).
   * Unlike `addresses`, never a relay candidate's related address (the mapped public address).
   */
  hosts: optional(texts(MAX_ADDRESSES_PER_REQUEST)),
  /** The browser handed this document a raw host address it did not show (the camera case). */
  rawHost: boolean,
  /** A connection failed while candidates were withheld. */
  failed: boolean,
}))();
export type ActivityReport = ObjectOf<typeof ACTIVITY>;

/** Relay -> background, by `type`. */
const RELAY_MESSAGES = /* @__PURE__ */ (() => ({
  /** A document starts: its site's mode, LAN-names setting and the names known for the site. */
  hello: { origin },
  /** mDNS names for host addresses of this site (allocated when new). */
  names: { origin, addresses: texts(MAX_ADDRESSES_PER_REQUEST) },
  activity: { origin, ...ACTIVITY },
  /** `direct` sites with the LAN helper: the browser's own `<uuid>.local` names, to addresses. */
  resolve: { origin, names: texts(MAX_NAMES_PER_RESOLVE) },
}))();
export type RelayMessage = MessageOf<'type', typeof RELAY_MESSAGES>;
export const relayMessages = /* @__PURE__ */ channel('type', RELAY_MESSAGES, { noun: 'relay message' });

/** The background asks every relay of a tab to fetch its mode again (a decision changed). */
export const REFRESH_MESSAGE = 'iceguard:refresh';
/** The background asks a tab's top-level relay whether it is there (src/background/site-access.ts); it answers true. */
export const PING_MESSAGE = 'iceguard:ping';

/** The background's answer to hello, names and activity: the site's mode and what goes with it. */
const SITE_INFO = /* @__PURE__ */ (() => ({
  mode: oneOf(MODES),
  lanNames: boolean,
  /** Canonical address -> `<uuid>.local` name, for this site in this browser session. */
  names: record(string(64), 100_000),
  /**
   * The LAN helper is connected: a host candidate's name must be registered (a `names` request for
   * its address, answered after the helper took it) before the candidate is released.
   */
  register: optional(boolean),
  /**
   * Answered while the enterprise policy was not known yet (a first start): the mode under no policy,
   * never looser than srflx-only. Reflexive candidates and stats wait for the real answer.
   */
  provisional: optional(boolean),
  /**
   * A `direct` site with the LAN helper connected: host candidates that carry the browser's own
   * `.local` names are held until the helper resolved them (a `resolve` request), then shown with
   * their addresses (RFC 8828 mode 1, which the user allowed, even without camera permission).
   */
  resolve: optional(boolean),
  /**
   * With `register`: the addresses (keys of `names`) whose names the helper answers for already,
   * registered by another document of the site. Their candidates need not wait for a `names`
   * answer; the relay still sends one, so that this tab keeps the names alive too.
   */
  answered: optional(texts(256)),
  /**
   * This machine's addresses as the background knows them (canonical form): raw host addresses other
   * documents of the site were given (their activity reports), and the LAN helper's interface
   * addresses. The relay treats each as a host address: no srflx/prflx candidate with one goes out.
   */
  hosts: optional(texts(256)),
}))();
export type SiteInfo = ObjectOf<typeof SITE_INFO>;
/** Unknown fields are left out: a background of a newer version may add some. */
const siteInfo = /* @__PURE__ */ object(SITE_INFO, 'ignore');
/** The background's answer as a SiteInfo holding only the declared fields, or null. */
export function readSiteInfo(v: unknown): SiteInfo | null {
  const r = siteInfo.read(v, '');
  return r.ok ? r.value : null;
}

/** The background's answer to `resolve`: name -> address, or null when it did not resolve. */
const RESOLVE_REPLY = /* @__PURE__ */ (() => ({ resolved: record(nullable(string(64)), MAX_NAMES_PER_RESOLVE * 4) }))();
export type ResolveReply = ObjectOf<typeof RESOLVE_REPLY>;
const resolveReply = /* @__PURE__ */ object(RESOLVE_REPLY, 'ignore');
export function readResolveReply(v: unknown): ResolveReply | null {
  const r = resolveReply.read(v, '');
  return r.ok ? r.value : null;
}
