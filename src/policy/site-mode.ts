// Which mode applies to a site, and where it came from (docs/design.md "Enterprise policy", precedence).
import { isMode, stricter, type Mode } from './mode';
import { OPAQUE_SITE } from './site-key';
import { matchesSite, type CompiledRule } from './site-pattern';

export type ModeSource = 'enterprise-rule' | 'user-once' | 'user-site' | 'enterprise-default' | 'user-default' | 'builtin';

/** A stored per-site user decision: the prompt's "Always" (direct) and "Block" (off), or a chosen mode. */
export type UserSiteDecision = 'always' | 'block' | Mode;

export interface ModeInputs {
  /** Enterprise site rules, in order (compileSiteRules). */
  readonly enterpriseRules?: readonly CompiledRule[];
  readonly enterpriseDefault?: Mode;
  /** Enterprise AllowUserDirect; false: every user `direct` (once, per site or default) is ignored. */
  readonly allowUserDirect?: boolean;
  /** This tab holds an "Allow once" grant (direct) for this site. */
  readonly userOnce?: boolean;
  readonly userSite?: UserSiteDecision;
  readonly userDefault?: Mode;
}

export interface ModeResolution {
  readonly mode: Mode;
  readonly source: ModeSource;
}

export const BUILTIN_MODE: Mode = 'srflx-only';

/**
 * enterprise rule > user decision (once, then per site) > enterprise default > user default > built-in.
 * Values that are not modes are skipped (fail towards the next source, never crash).
 * Opaque frames (OPAQUE_SITE) take no user decision, as a decision on "null" would hold for every
 * sandboxed frame everywhere: they get the strictest of the rule matching everything (`*`), the
 * enterprise default, the user default and the built-in default, so they never end up `direct` unless
 * every one of those says so, and a user's stricter default still counts.
 */
export function resolveSiteMode(site: string, inputs: ModeInputs): ModeResolution {
  const userMay = (m: unknown): m is Mode => isMode(m) && (m !== 'direct' || inputs.allowUserDirect !== false);
  let rule: CompiledRule | undefined;
  const rules = inputs.enterpriseRules ?? [];
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i] as CompiledRule;
    if (matchesSite(r.pattern, site) && isMode(r.mode)) {
      rule = r;
      break;
    }
  }
  if (site === OPAQUE_SITE) {
    // In precedence order; a later source wins only by being strictly stricter.
    let best: ModeResolution | undefined;
    const consider = (m: unknown, source: ModeSource, allowed: (m: unknown) => m is Mode): void => {
      if (allowed(m) && (!best || stricter(best.mode, m) !== best.mode)) best = { mode: m, source };
    };
    consider(rule?.mode, 'enterprise-rule', isMode);
    consider(inputs.enterpriseDefault, 'enterprise-default', isMode);
    consider(inputs.userDefault, 'user-default', userMay);
    consider(BUILTIN_MODE, 'builtin', isMode);
    return best as ModeResolution;
  }
  if (rule) return { mode: rule.mode, source: 'enterprise-rule' };
  if (inputs.userOnce === true && userMay('direct')) return { mode: 'direct', source: 'user-once' };
  const d = inputs.userSite;
  const decided = d === 'always' ? 'direct' : d === 'block' ? 'off' : d;
  if (userMay(decided)) return { mode: decided, source: 'user-site' };
  if (isMode(inputs.enterpriseDefault)) return { mode: inputs.enterpriseDefault, source: 'enterprise-default' };
  if (userMay(inputs.userDefault)) return { mode: inputs.userDefault, source: 'user-default' };
  return { mode: BUILTIN_MODE, source: 'builtin' };
}
