// The LAN helper's protocol: the extension (src/background/lan-helper.ts) and the helper (helper/host.ts)
// exchange these messages over native messaging (helper/framing.ts). Both sides import this file, so the
// kinds, their fields and the constants they share are declared once. The helper is a Node program:
// nothing here may use a browser or extension API.
import { anything, arrayOf, channel, either, number, optional, object, someOf, string, type KindTable, type MessageOf } from './schema';

/** The native-messaging host's name (its manifest file is `<HOST_NAME>.json`). */
export const HOST_NAME = 'iceguard.lan_helper';
/**
 * The browser permission runtime.connectNative needs: optional (manifest.json `optional_permissions`),
 * asked on the options page when the user turns the helper on (issue #17).
 */
export const NATIVE_PERMISSION = { permissions: ['nativeMessaging' as const] };
/** IceGuard's Firefox id (the manifest's gecko id, build.mjs), which the helper's manifest allows by name. */
export const GECKO_ID = 'iceguard@iceguard';
/** Bumped when a kind or field changes meaning; `hello` carries it both ways. */
export const PROTOCOL_VERSION = 1;
/** Names in one `register` (the extension sends larger batches in parts). */
export const MAX_NAMES_PER_REQUEST = 64;
/** Interface addresses in one `interfaces` reply (the extension bounds its list alike). */
export const MAX_INTERFACES = 64;
/** A registration lasts this long unless renewed (the extension renews names it still uses). */
export const NAME_LIFETIME_MS = 10 * 60 * 1000;
/** How long the helper asks the LAN for one of the browser's own names. Measured: Chromium answers for a new name of its own 1-2 s after creating it (its IPv6 one last). */
export const RESOLVE_MS = 3000;

/** The most names any reply lists (the registry's cap on all the names it holds). */
const MAX_LISTED = 20_000;
/** A `.local` name as either side passes it on (a UUIDv4 name is 42 characters). */
const name = string(253);
const address = string(64);
/** Echoed in the reply, so that the extension can match answers that come out of order (lookups). */
const id = optional(either(number(), string(64), 'a number or a string'));
const tab = number({ integer: true });
const site = string(2048);

const REQUESTS = {
  hello: { id, version: optional(number()) },
  /**
   * Names for a tab's site. Each item is `{ name, address }`, checked by the registry one by one, so that
   * one bad name is refused with its reason and does not sink the others (helper/registry.ts).
   */
  register: { id, tab, site, names: arrayOf(anything, MAX_NAMES_PER_REQUEST) },
  unregister: { id, names: arrayOf(name, MAX_LISTED) },
  /** A tab closed, or a site's pages went: its names go (needs one of the two). */
  forget: { id, tab: optional(tab), site: optional(site) },
  /** One of the browser's own `<uuid>.local` names, to this machine's addresses. */
  resolve: { id, name },
  interfaces: { id },
  status: { id },
} satisfies KindTable;

/** Lists in replies are read with someOf(): an item the extension cannot use is left out, not the reply. */
const REPLIES = {
  hello: { id, version: optional(number()), helper: string(64) },
  registered: { id, accepted: someOf(name, MAX_NAMES_PER_REQUEST), refused: someOf(object({ name, reason: string(64) }, 'ignore'), MAX_NAMES_PER_REQUEST) },
  removed: { id, names: someOf(name, MAX_LISTED) },
  resolved: { id, name, addresses: someOf(address, MAX_LISTED) },
  interfaces: { id, addresses: someOf(address, MAX_INTERFACES) },
  status: { id, names: number(), answered: number(), version: string(64) },
  error: { id, error: string(1024) },
} satisfies KindTable;

export type HelperRequest = MessageOf<'type', typeof REQUESTS>;
export type HelperReply = MessageOf<'type', typeof REPLIES>;

/**
 * Unknown keys are left out of what is read rather than refused, both ways: the helper is installed apart
 * from the extension, so either side may be the newer one, and a field it adds must not silence the
 * other (PROTOCOL_VERSION says when a change is more than an added field). `__proto__` is still refused.
 */
export const HELPER_REQUESTS = channel('type', REQUESTS, { extra: 'ignore', noun: 'request type' });
export const HELPER_REPLIES = channel('type', REPLIES, { extra: 'ignore', noun: 'reply type' });
