// mDNS names for host addresses: one `<uuid-v4>.local` per (address, site, browser session). Kept in
// storage.session, so a restarted service worker keeps them and a browser restart forgets them.
import browser from 'webextension-polyfill';
import { addressKey, NameAllocator, OPAQUE_SITE, siteKey } from '../policy';
import { serialQueues } from './serial';
import { safeOrigin } from './tabs';

const PREFIX = 'names:';
/**
 * Whose names a document of `origin` gets, in a tab whose top-level document is at `topUrl`: its site's.
 * An opaque document (sandboxed, data:) has no site; its names are its top-level site's opaque scope,
 * so an address never has one name across sites (docs/design.md#leak-15).
 */
export function nameScope(origin: string, topUrl: string | undefined): string {
  return origin === 'null' ? `${OPAQUE_SITE} in ${siteKey(safeOrigin(topUrl ?? ''))}` : siteKey(origin);
}

/** A page cannot make us hold more than this many names per site. */
export const MAX_NAMES_PER_SITE = 256;
const random = (bytes: Uint8Array) => void crypto.getRandomValues(bytes);

// Requests for one site are applied one after another: two frames asking at once get one name.
const serial = serialQueues<string>();

async function load(site: string): Promise<NameAllocator> {
  const stored = (await browser.storage.session.get(PREFIX + site))[PREFIX + site];
  return new NameAllocator(random, typeof stored === 'object' && stored !== null ? (stored as Record<string, string>) : undefined);
}

/**
 * The names of a name scope (`nameScope`: a site, or an opaque document's scope), allocating names for
 * `addresses` that have none yet.
 */
export function namesFor(site: string, addresses: readonly string[]): Promise<Record<string, string>> {
  return serial(site, async () => {
    const names = await load(site);
    const known = new Set(Object.keys(names.entries()));
    let added = false;
    for (const a of addresses) {
      const key = addressKey(a);
      if (key === undefined || known.has(key)) continue; // not an IP address, or named already
      if (known.size >= MAX_NAMES_PER_SITE) break;
      names.nameFor(a);
      known.add(key);
      added = true;
    }
    // entries() has no prototype; storage and the relay get a plain object.
    const entries = { ...names.entries() };
    if (added) await browser.storage.session.set({ [PREFIX + site]: entries });
    return entries;
  });
}
