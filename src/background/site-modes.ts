// The mode of a site: resolved by the policy core from the user's settings and decisions
// (storage.local), the tab's "Allow once" grants (storage.session) and the built-in default.
// Enterprise policy adds its inputs here (issue #6).
import { BUILTIN_MODE, resolveSiteMode, siteKey, type ModeResolution } from '../policy';
import { getSettings } from './settings-store';
import { hasOnce } from './tabs';

/** The mode for a document of `origin`, in tab `tabId` when it has one. */
export async function modeFor(origin: string, tabId?: number): Promise<ModeResolution> {
  const site = siteKey(origin);
  const [settings, once] = await Promise.all([getSettings(), hasOnce(tabId, site)]);
  // A default equal to the built-in one reads as IceGuard's default (the popup names the source).
  const userDefault = settings.defaultMode === BUILTIN_MODE ? undefined : settings.defaultMode;
  return resolveSiteMode(site, { userSite: settings.sites[site], userDefault, userOnce: once });
}

/** A site without a decision: only these get a permission prompt. */
export function isUndecided(r: ModeResolution): boolean {
  return r.source === 'builtin' || r.source === 'user-default' || r.source === 'enterprise-default';
}
