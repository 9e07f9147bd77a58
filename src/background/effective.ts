// The settings in force: the user's, with enterprise policy applied (issue #6,
// docs/design.md "Enterprise policy").
//   - Mode precedence is the policy core's: enterprise rule > user decision (once, site) >
//     enterprise default > user default > built-in (resolveSiteMode, with the inputs made here).
//   - LanNames, PromptTriggers and BrowserFloor from a policy are defaults a user may change, unless
//     the policy is Locked: then they are the policy's, and the pages show them as locked.
//   - AllowUserDirect false: every user `direct` is ignored, and IceGuard does not prompt (the prompt
//     offers direct connections the user may not grant).
import { type ModeInputs } from '../policy';
import { lockedSettings, type ManagedPolicy } from '../shared/managed-policy';
import type { SettingKey, Settings } from '../shared/settings';
import { getPolicy } from './managed';
import { getSettings, userSetKeys } from './settings-store';

export interface Effective {
  settings: Settings;
  policy: ManagedPolicy;
  /** Settings the user cannot change now (set by policy). */
  locked: SettingKey[];
}

/** The settings in force; with `given`, under that policy instead of the one in force (a provisional answer). */
export async function getEffective(given?: ManagedPolicy): Promise<Effective> {
  const [user, userSet, policy] = await Promise.all([getSettings(), userSetKeys(), given ?? getPolicy()]);
  const s: Settings = { ...user };
  const fromPolicy = (key: SettingKey) => policy.locked || !userSet.has(key);
  if (policy.lanNames !== undefined && fromPolicy('lanNames')) s.lanNames = policy.lanNames;
  if (policy.prompts !== undefined && fromPolicy('prompts')) s.prompts = { ...policy.prompts };
  if (policy.floor !== undefined && fromPolicy('floor')) {
    s.floor = policy.floor;
    s.floorStrict = policy.floorStrict ?? false;
  }
  if (policy.allowUserDirect === false) s.prompts = { rawHost: false, failed: false, firstUse: false };
  return { settings: s, policy, locked: lockedSettings(policy) };
}

/** What resolveSiteMode needs for one site (the user's default is left out when it is the built-in one). */
export function modeInputs(e: Effective, site: string, once: boolean, builtin: string): ModeInputs {
  return {
    enterpriseRules: e.policy.rules,
    enterpriseDefault: e.policy.defaultMode,
    allowUserDirect: e.policy.allowUserDirect,
    userOnce: once,
    userSite: e.settings.sites[site],
    userDefault: e.settings.defaultMode === builtin ? undefined : e.settings.defaultMode,
  };
}
