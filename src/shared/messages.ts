// Messages between the relay (content script) and the background, typed in one place and validated
// on receipt (STYLE.md). Content scripts are less trusted than the background: a compromised page
// can make its relay send anything, so the background checks every field.
import { isSiteMode, type SiteMode } from './modes';

export type RelayMessage =
  /** A document starts: its site's mode, LAN-names setting and the names known for the site. */
  | { type: 'hello'; origin: string }
  /** mDNS names for host addresses of this site (allocated when new). */
  | { type: 'names'; origin: string; addresses: string[] };

export interface SiteInfo {
  mode: SiteMode;
  lanNames: boolean;
  /** Canonical address -> `<uuid>.local` name, for this site in this browser session. */
  names: Record<string, string>;
}

export const MAX_ADDRESSES_PER_REQUEST = 64;

export function isRelayMessage(v: unknown): v is RelayMessage {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as { type?: unknown; origin?: unknown; addresses?: unknown };
  if (typeof m.origin !== 'string' || m.origin.length > 2048) return false;
  if (m.type === 'hello') return true;
  return (
    m.type === 'names' &&
    Array.isArray(m.addresses) &&
    m.addresses.length <= MAX_ADDRESSES_PER_REQUEST &&
    m.addresses.every((a) => typeof a === 'string' && a.length <= 64)
  );
}

export function isSiteInfo(v: unknown): v is SiteInfo {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as { mode?: unknown; lanNames?: unknown; names?: unknown };
  return isSiteMode(s.mode) && typeof s.lanNames === 'boolean' && typeof s.names === 'object' && s.names !== null;
}
