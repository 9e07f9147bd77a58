// The mode of a site: the user's decisions (storage.local) over the built-in default, resolved by the
// policy core. Enterprise policy and the consent UI add their inputs here (issues #5 and #6).
import browser from 'webextension-polyfill';
import { resolveSiteMode, siteKey, type ModeResolution } from '../policy';
import { isSiteMode, type SiteMode } from '../shared/modes';

const KEY = 'userSiteModes';

async function userSiteModes(): Promise<Record<string, SiteMode>> {
  const stored = (await browser.storage.local.get(KEY))[KEY];
  const out: Record<string, SiteMode> = {};
  if (typeof stored === 'object' && stored !== null) {
    for (const [site, mode] of Object.entries(stored)) if (isSiteMode(mode)) out[site] = mode;
  }
  return out;
}

export async function modeFor(origin: string): Promise<ModeResolution> {
  const site = siteKey(origin);
  const decisions = await userSiteModes();
  return resolveSiteMode(site, { userSite: decisions[site] });
}

/** Sets (or with null removes) the user's decision for the site of `origin`. */
export async function setUserSiteMode(origin: string, mode: SiteMode | null): Promise<void> {
  const site = siteKey(origin);
  const decisions = await userSiteModes();
  if (mode === null) delete decisions[site];
  else decisions[site] = mode;
  await browser.storage.local.set({ [KEY]: decisions });
}
