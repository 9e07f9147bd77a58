// The mode of a site: resolved by the policy core from enterprise policy (managed.ts), the user's
// settings and decisions (storage.local), the tab's "Allow once" grants (storage.session) and the
// built-in default, through the settings in force (effective.ts).
import { BUILTIN_MODE, resolveSiteMode, siteKey, type ModeResolution } from '../policy';
import type { ManagedPolicy } from '../shared/managed-policy';
import { getEffective, modeInputs } from './effective';
import { hasOnce } from './tabs';

/** The mode for a document of `origin`, in tab `tabId` when it has one; under `policy` if given. */
export async function modeFor(origin: string, tabId?: number, policy?: ManagedPolicy): Promise<ModeResolution> {
  const site = siteKey(origin);
  const [e, once] = await Promise.all([getEffective(policy), hasOnce(tabId, site)]);
  return resolveSiteMode(site, modeInputs(e, site, once, BUILTIN_MODE));
}

/** A site without a decision: only these get a permission prompt. */
export function isUndecided(r: ModeResolution): boolean {
  return r.source === 'builtin' || r.source === 'user-default' || r.source === 'enterprise-default';
}
