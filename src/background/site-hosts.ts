// Raw host addresses the browser gave a site's documents in this browser session, per site in
// storage.session (like its names). Another document of the site gets them at start (SiteInfo
// `hosts`): where the browser shows it only `.local` names, a srflx/prflx candidate equal to one of
// them (no NAT, a global IPv6 address) would otherwise pass as a public address (docs/design.md#leak-22).
import browser from 'webextension-polyfill';
import { addressKey } from '../policy';
import { MAX_HOST_ADDRESSES } from '../shared/messages';
import { serialQueues } from './serial';

const PREFIX = 'hosts:';
const serial = serialQueues<string>();

async function load(site: string): Promise<string[]> {
  const stored: unknown = (await browser.storage.session.get(PREFIX + site))[PREFIX + site];
  return Array.isArray(stored) ? stored.filter((a): a is string => typeof a === 'string') : [];
}

/** The site's remembered host addresses (canonical form), at most MAX_HOST_ADDRESSES. */
export function siteHosts(site: string): Promise<string[]> {
  return serial(site, () => load(site));
}

/**
 * Adds a report's host addresses to the site's. Bounded: the newest MAX_HOST_ADDRESSES stay (a page
 * that reports made-up ones can only push out its own site's, and a real one comes back with the
 * next document that is given it).
 */
export function rememberSiteHosts(site: string, addresses: readonly string[]): Promise<void> {
  return serial(site, async () => {
    const known = await load(site);
    let changed = false;
    for (const a of addresses) {
      const key = addressKey(a);
      if (key === undefined || key === '0.0.0.0' || key === '::' || known.includes(key)) continue;
      known.push(key);
      changed = true;
    }
    if (changed) await browser.storage.session.set({ [PREFIX + site]: known.slice(-MAX_HOST_ADDRESSES) });
  });
}
