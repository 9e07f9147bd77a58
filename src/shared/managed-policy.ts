// Enterprise policy (docs/design.md "Enterprise policy", issue #6): what storage.managed holds, read key by
// key. Chrome delivers it from the `3rdparty.extensions.<id>` policy (and checks it against
// managed_schema.json itself, dropping what does not fit); Firefox from policies.json
// `3rdparty.Extensions.<id>` or a managed-storage manifest, unchecked. So every key is validated here: a bad
// key is ignored whole and listed as a policy error, and never stops the other keys from applying.
import { compileSiteRules, isMode, MODES, type CompiledRule, type Mode } from '../policy';
import { fail, ok, type Result } from '../policy/result';
import { isRecord } from './schema';
import { BROWSER_FLOORS, type BrowserFloor, type PromptTriggers, type SettingKey } from './settings';

export const LAN_HELPER_POLICIES = ['off', 'optional', 'required'] as const;
export type LanHelperPolicy = (typeof LAN_HELPER_POLICIES)[number];

/** The policy keys, as administrators write them (Chrome's own policy names where they overlap). */
export const POLICY_KEYS = [
  'DefaultMode',
  'LanNames',
  'SiteModes',
  'DirectAllowedUrls',
  'AllowUserDirect',
  'PromptTriggers',
  'BrowserFloor',
  'LanHelper',
  'Locked',
] as const;
export type PolicyKey = (typeof POLICY_KEYS)[number];

/** One site rule as the UI shows it: where it came from, in the order it is tried. */
export interface PolicyRuleView {
  url: string;
  mode: Mode;
  from: 'SiteModes' | 'DirectAllowedUrls';
}

export interface ManagedPolicy {
  /** Whether any policy was delivered at all (an empty object counts as none). */
  present: boolean;
  defaultMode?: Mode;
  lanNames?: boolean;
  /** SiteModes in order, then DirectAllowedUrls as `direct` rules: the first match wins. */
  rules: CompiledRule[];
  ruleViews: PolicyRuleView[];
  allowUserDirect?: boolean;
  prompts?: PromptTriggers;
  floor?: BrowserFloor;
  floorStrict?: boolean;
  lanHelper?: LanHelperPolicy;
  locked: boolean;
  /** Keys that were ignored, with why (shown in the options page as "policy errors"). */
  errors: { key: string; problem: string }[];
}

export const NO_POLICY: ManagedPolicy = Object.freeze({ present: false, rules: [], ruleViews: [], locked: false, errors: [] }) as ManagedPolicy;

const MAX_RULES = 1000;
const TRIGGER_NAMES: Record<string, keyof PromptTriggers> = { RawHost: 'rawHost', Failed: 'failed', FirstUse: 'firstUse' };

const show = (v: unknown) => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
};

function readSiteModes(value: unknown): Result<{ url: string; mode: Mode }[]> {
  if (!Array.isArray(value) || value.length > MAX_RULES) return fail(`is not a list of at most ${MAX_RULES} { "url": pattern, "mode": mode } entries`);
  const list = value.map((r) => (isRecord(r) ? { pattern: r.url, mode: r.mode } : { pattern: undefined, mode: undefined }));
  const compiled = compileSiteRules(list as { pattern: string; mode: Mode }[]);
  if (!compiled.ok) return fail(`${compiled.error}; the whole list is ignored`);
  return ok(list.map((r) => ({ url: r.pattern as string, mode: r.mode as Mode })));
}

function readDirectUrls(value: unknown): Result<string[]> {
  if (!Array.isArray(value) || value.length > MAX_RULES || !value.every((u) => typeof u === 'string')) return fail(`is not a list of at most ${MAX_RULES} patterns`);
  const compiled = compileSiteRules(value.map((u: string) => ({ pattern: u, mode: 'direct' as const })));
  if (!compiled.ok) return fail(`${compiled.error.replace(/^rule/, 'entry')}; the whole list is ignored`);
  return ok(value as string[]);
}

function readPromptTriggers(value: unknown): Result<PromptTriggers> {
  if (!isRecord(value)) return fail('is not an object of RawHost, Failed, FirstUse');
  const bad = Object.entries(value).find(([k, v]) => !(k in TRIGGER_NAMES) || typeof v !== 'boolean');
  if (bad) return fail(`${bad[0] in TRIGGER_NAMES ? `${bad[0]} is not true or false` : `has an unknown trigger "${bad[0]}"`}; ignored`);
  // Triggers the policy leaves out keep IceGuard's defaults.
  const prompts: PromptTriggers = { rawHost: true, failed: true, firstUse: false };
  for (const [k, v] of Object.entries(value)) prompts[TRIGGER_NAMES[k]!] = v as boolean;
  return ok(prompts);
}

/** The floor's level and Strict (false when left out). */
function readFloor(value: unknown): Result<{ floor: BrowserFloor; floorStrict: boolean }> {
  const level = isRecord(value) ? value.Level : undefined;
  const strict = isRecord(value) ? (value.Strict ?? false) : undefined;
  const extra = isRecord(value) ? Object.keys(value).filter((k) => k !== 'Level' && k !== 'Strict') : [];
  if (!isRecord(value) || typeof level !== 'string' || !(BROWSER_FLOORS as readonly string[]).includes(level) || typeof strict !== 'boolean' || extra.length) {
    return fail(`is not { "Level": ${BROWSER_FLOORS.join(' | ')}, "Strict": true | false }`);
  }
  return ok({ floor: level as BrowserFloor, floorStrict: strict });
}

/** Reads what storage.managed.get(null) returned. Never throws. */
export function parsePolicy(raw: unknown): ManagedPolicy {
  const out: ManagedPolicy = { present: false, rules: [], ruleViews: [], locked: false, errors: [] };
  if (!isRecord(raw)) return out;
  const err = (key: string, problem: string) => void out.errors.push({ key, problem });
  /** A key read whole: applied, or listed as an error and ignored. */
  const take = <T>(key: string, r: Result<T>, apply: (value: T) => void) => (r.ok ? apply(r.value) : err(key, r.error));
  let siteModes: { url: string; mode: Mode }[] = [];
  let direct: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined || value === null) continue;
    out.present = true;
    switch (key as PolicyKey) {
      case 'DefaultMode':
        if (isMode(value)) out.defaultMode = value;
        else err(key, `${show(value)} is not one of ${MODES.join(', ')}`);
        break;
      case 'LanNames':
      case 'AllowUserDirect':
      case 'Locked':
        if (typeof value !== 'boolean') err(key, `${show(value)} is not true or false`);
        else if (key === 'LanNames') out.lanNames = value;
        else if (key === 'AllowUserDirect') out.allowUserDirect = value;
        else out.locked = value;
        break;
      case 'SiteModes':
        take(key, readSiteModes(value), (v) => (siteModes = v));
        break;
      case 'DirectAllowedUrls':
        take(key, readDirectUrls(value), (v) => (direct = v));
        break;
      case 'PromptTriggers':
        take(key, readPromptTriggers(value), (v) => (out.prompts = v));
        break;
      case 'BrowserFloor':
        take(key, readFloor(value), (v) => Object.assign(out, v));
        break;
      case 'LanHelper':
        if (typeof value === 'string' && (LAN_HELPER_POLICIES as readonly string[]).includes(value)) out.lanHelper = value as LanHelperPolicy;
        else err(key, `${show(value)} is not one of ${LAN_HELPER_POLICIES.join(', ')}`);
        break;
      default:
        err(key, 'is not an IceGuard policy (ignored)');
    }
  }
  for (const r of siteModes) out.ruleViews.push({ url: r.url, mode: r.mode, from: 'SiteModes' });
  for (const u of direct) out.ruleViews.push({ url: u, mode: 'direct', from: 'DirectAllowedUrls' });
  const compiled = compileSiteRules(out.ruleViews.map((r) => ({ pattern: r.url, mode: r.mode })));
  if (compiled.ok) out.rules = compiled.value;
  return out;
}

/** Settings the policy decides for the user: always for DefaultMode (it outranks the user's default), the rest when Locked. */
export function lockedSettings(p: ManagedPolicy): SettingKey[] {
  const keys: SettingKey[] = [];
  if (p.defaultMode !== undefined) keys.push('defaultMode');
  if (p.locked) {
    if (p.lanNames !== undefined) keys.push('lanNames');
    if (p.prompts !== undefined) keys.push('prompts');
    if (p.floor !== undefined) keys.push('floor', 'floorStrict');
  }
  return keys;
}

/** Strict, for the sample files in docs/policies/: any error at all is a failure. */
export function policyErrors(raw: unknown): string[] {
  const p = parsePolicy(raw);
  return p.errors.map((e) => `${e.key}: ${e.problem}`);
}

/** The trigger names as policies write them. */
export const PROMPT_TRIGGER_POLICY_NAMES = Object.keys(TRIGGER_NAMES);
