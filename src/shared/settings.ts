// The user's settings and per-site decisions as kept in storage.local (docs/design.md "Consent",
// "Background"), and the pure code around them: validation, the ordered migrations, repair of a damaged
// store, and the export/import file. The background owns the store; the options page uses the same
// validation.
//
// Storage layout: one storage.local key per setting (so a damaged key never takes the others with
// it), plus `version`. A key that is missing gets its default silently (a fresh install); a key that
// is present but unusable is repaired to its default, and the repair is recorded as a notice (shown
// in the options page) with the old value kept in `repairedValues`, so nothing is lost without a word.
import { OPAQUE_SITE, siteKey } from '../policy';
import { isMode, MODES, type Mode } from '../policy/mode';
import { fail, ok, type Result } from '../policy/result';
import { boolean, custom, isRecord, oneOf, type Schema } from './schema';

export const SETTINGS_VERSION = 1;

/** privacy.network.webRTCIPHandlingPolicy as IceGuard may set it: left alone, mode 3, or mode 4. */
export const BROWSER_FLOORS = ['none', 'public-interface-only', 'disable-non-proxied-udp'] as const;
export type BrowserFloor = (typeof BROWSER_FLOORS)[number];

/** When the permission prompt opens on an undecided site (docs/design.md "Consent"). */
export interface PromptTriggers {
  /** The browser handed a raw host address to the page (the camera/microphone case). */
  rawHost: boolean;
  /** A connection failed while candidates were withheld. */
  failed: boolean;
  /** Any first use of WebRTC. */
  firstUse: boolean;
}
export type PromptTrigger = keyof PromptTriggers;
export const PROMPT_TRIGGERS: readonly PromptTrigger[] = ['rawHost', 'failed', 'firstUse'];

export interface Settings {
  /** The mode of sites without a decision. */
  defaultMode: Mode;
  /** Host candidates shown as mDNS names (off: dropped). */
  lanNames: boolean;
  prompts: PromptTriggers;
  floor: BrowserFloor;
  /** With a floor: relaxed only while a tab of a `direct` site is open. */
  floorStrict: boolean;
  /** Site key (siteKey()) -> the user's mode for it. */
  sites: Record<string, Mode>;
}

export type SettingKey = keyof Settings;
export const SETTING_KEYS: readonly SettingKey[] = ['defaultMode', 'lanNames', 'prompts', 'floor', 'floorStrict', 'sites'];

/** A user cannot make IceGuard hold more decisions than this (an import, a flood of prompts). */
export const MAX_SITES = 10_000;

export function defaultSettings(): Settings {
  return {
    defaultMode: 'srflx-only',
    lanNames: true,
    prompts: { rawHost: true, failed: true, firstUse: false },
    floor: 'none',
    floorStrict: false,
    sites: {},
  };
}

/** A message for the user about one key; `problem` is plain English, shown as it is. */
export interface SettingProblem {
  key: string;
  problem: string;
}

function checkPrompts(v: unknown): Result<PromptTriggers> {
  if (!isRecord(v)) return fail('is not an object of prompt triggers');
  const out = defaultSettings().prompts;
  for (const k of Object.keys(v)) {
    if (!(PROMPT_TRIGGERS as readonly string[]).includes(k)) return fail(`has an unknown trigger "${k}"`);
    if (typeof v[k] !== 'boolean') return fail(`trigger "${k}" is not true or false`);
    out[k as PromptTrigger] = v[k] as boolean;
  }
  return ok(out);
}

/**
 * Site decisions. `strict` (import): any bad entry rejects the whole. Otherwise (repairing the
 * store): bad entries are left out and listed, the good ones kept.
 */
function checkSites(v: unknown, strict: boolean): Result<Record<string, Mode>> & { dropped?: string[] } {
  if (!isRecord(v)) return fail('is not an object of site -> mode');
  const out: Record<string, Mode> = Object.create(null);
  const dropped: string[] = [];
  let count = 0;
  for (const [site, mode] of Object.entries(v)) {
    const key = siteKey(site);
    const why = key !== site || key === OPAQUE_SITE ? `"${short(site)}" is not a site (like https://example.com)` : !isMode(mode) ? `"${short(site)}" has an unknown mode` : count >= MAX_SITES ? `more than ${MAX_SITES} sites` : '';
    if (why) {
      if (strict) return fail(why);
      dropped.push(why);
      continue;
    }
    out[key] = mode as Mode;
    count++;
  }
  return { ok: true, value: { ...out }, dropped };
}

const short = (s: string) => (s.length > 80 ? s.slice(0, 77) + '...' : s);

/** A checker's problem, named as schema readers name theirs ("sites is not ..."). */
const named = <T>(at: string, r: Result<T>): Result<T> => (r.ok || !at ? r : fail(`${at} ${r.error}`));

/**
 * Each setting's value as IceGuard accepts it, from the user, an import or the UI channel (whose
 * set-setting message is read with these: src/shared/ui-protocol.ts). Strict: a bad site decision
 * refuses the whole value; repairing the store (loadSettings) keeps the good ones instead.
 */
export const SETTING_SCHEMAS: { readonly [K in SettingKey]: Schema<Settings[K]> } = {
  defaultMode: oneOf(MODES),
  lanNames: boolean,
  prompts: custom((v, at) => named(at, checkPrompts(v))),
  floor: oneOf(BROWSER_FLOORS),
  floorStrict: boolean,
  sites: custom((v, at) => {
    const r = checkSites(v, true);
    return named(at, r.ok ? ok(r.value) : r);
  }),
};

/** Validates one setting's value (the options page and the background's setters). */
export function checkSetting<K extends SettingKey>(key: K, value: unknown): Result<Settings[K]> {
  return SETTING_SCHEMAS[key].read(value, '');
}

/** As checkSetting, but site decisions are repaired (bad entries dropped and listed), not refused. */
function repairSetting(key: SettingKey, value: unknown): Result<unknown> & { dropped?: string[] } {
  return key === 'sites' ? checkSites(value, false) : checkSetting(key, value);
}

// ---- Migrations ---------------------------------------------------------------------------------

/** storage.local as a plain record, before and after a migration. */
export type StoreImage = Record<string, unknown>;

/**
 * Ordered: MIGRATIONS[n] turns a version-n store into version n+1. Each takes the whole image and
 * returns the keys to set and the keys to remove; it must not throw on odd data (repair comes after).
 */
export const MIGRATIONS: ReadonlyArray<(store: StoreImage) => { set: StoreImage; remove: string[] }> = [
  // 0 -> 1: the shim-era `userSiteModes` map becomes `sites`; a `sites` already present wins.
  (store) => {
    const legacy = store.userSiteModes;
    const set: StoreImage = {};
    if (isRecord(legacy) && store.sites === undefined) set.sites = legacy;
    return { set, remove: 'userSiteModes' in store ? ['userSiteModes'] : [] };
  },
];

export interface LoadResult {
  settings: Settings;
  /** Keys to write back (migrated or repaired values, and `version`). Empty: the store is fine. */
  set: StoreImage;
  remove: string[];
  /** What was repaired, for the options page. */
  problems: SettingProblem[];
}

/**
 * Reads a storage.local image: runs the migrations from its version on, then validates key by key.
 * A store of unknown shape (a version from the future, a non-number version) is read as well as it
 * can be; every key that does not validate falls back to its default and is reported, and keys this
 * code does not know are left where they are.
 */
export function loadSettings(image: StoreImage): LoadResult {
  const store: StoreImage = { ...image };
  const set: StoreImage = {};
  const remove = new Set<string>();
  const problems: SettingProblem[] = [];
  let version = store.version;
  const fresh = !SETTING_KEYS.some((k) => k in store) && !('userSiteModes' in store);
  if (version === undefined) version = 0;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    problems.push({ key: 'version', problem: `the stored version ${short(JSON.stringify(version) ?? '')} is not a version number; read as version ${SETTINGS_VERSION}` });
    version = SETTINGS_VERSION;
  } else if (version > SETTINGS_VERSION) {
    problems.push({ key: 'version', problem: `the settings were written by a newer IceGuard (version ${version}); unknown values were reset` });
  }
  for (let v = version as number; v < SETTINGS_VERSION; v++) {
    const step = (MIGRATIONS[v] as (s: StoreImage) => { set: StoreImage; remove: string[] })(store);
    Object.assign(store, step.set);
    Object.assign(set, step.set);
    for (const k of step.remove) {
      delete store[k];
      delete set[k];
      remove.add(k);
    }
  }
  if (store.version !== SETTINGS_VERSION && !(typeof version === 'number' && version > SETTINGS_VERSION)) set.version = SETTINGS_VERSION;
  const defaults = defaultSettings();
  const settings = defaultSettings();
  const repaired: StoreImage = {};
  for (const key of SETTING_KEYS) {
    if (!(key in store) || store[key] === undefined) continue;
    const r = repairSetting(key, store[key]);
    if (r.ok) {
      (settings as unknown as Record<string, unknown>)[key] = r.value;
      if (r.dropped?.length) {
        set[key] = r.value;
        repaired[key] = store[key];
        problems.push({ key, problem: `left out ${r.dropped.length} unusable entr${r.dropped.length === 1 ? 'y' : 'ies'}: ${r.dropped.slice(0, 3).join('; ')}` });
      }
    } else {
      (settings as unknown as Record<string, unknown>)[key] = defaults[key];
      set[key] = defaults[key];
      repaired[key] = store[key];
      problems.push({ key, problem: `the stored value ${r.error}; reset to the default` });
    }
  }
  if (Object.keys(repaired).length) {
    const old = isRecord(store.repairedValues) ? store.repairedValues : {};
    set.repairedValues = { ...old, ...repaired };
  }
  // A fresh store only needs its version; one that already has it needs nothing (no write, so no
  // storage.onChanged that would make every listener load again).
  if (fresh && !problems.length) return { settings, set: store.version === SETTINGS_VERSION ? {} : { version: SETTINGS_VERSION }, remove: [], problems };
  return { settings, set, remove: [...remove], problems };
}

// ---- Export and import --------------------------------------------------------------------------

export const EXPORT_FORMAT = 'iceguard-settings';

export interface SettingsFile extends Settings {
  format: typeof EXPORT_FORMAT;
  version: number;
}

export function exportSettings(settings: Settings): SettingsFile {
  return { format: EXPORT_FORMAT, version: SETTINGS_VERSION, ...structuredClone(settings) };
}

/** Largest settings file accepted (10 000 sites fit in well under this). */
export const MAX_IMPORT_BYTES = 2_000_000;

/**
 * Parses an exported settings file. Strict: any unknown key or bad value rejects the whole file with
 * every problem listed, so an import never half-applies. Keys missing from the file keep their
 * current values (a file with only `sites` imports only the decisions).
 */
export function parseSettingsFile(text: string): Result<Partial<Settings>, SettingProblem[]> {
  if (typeof text !== 'string' || text.length > MAX_IMPORT_BYTES) return fail([{ key: 'file', problem: `is larger than ${MAX_IMPORT_BYTES / 1e6} MB` }]);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return fail([{ key: 'file', problem: 'is not JSON' }]);
  }
  if (!isRecord(data) || data.format !== EXPORT_FORMAT) return fail([{ key: 'file', problem: `is not an IceGuard settings file (no "format": "${EXPORT_FORMAT}")` }]);
  const problems: SettingProblem[] = [];
  if (typeof data.version !== 'number' || !Number.isInteger(data.version) || data.version < 1 || data.version > SETTINGS_VERSION) {
    problems.push({ key: 'version', problem: `must be a settings version this IceGuard reads (1 to ${SETTINGS_VERSION})` });
  }
  const settings: Partial<Settings> = {};
  for (const [key, value] of Object.entries(data)) {
    if (key === 'format' || key === 'version') continue;
    if (!(SETTING_KEYS as readonly string[]).includes(key)) {
      problems.push({ key, problem: 'is not an IceGuard setting' });
      continue;
    }
    const r = checkSetting(key as SettingKey, value);
    if (r.ok) (settings as Record<string, unknown>)[key] = r.value;
    else problems.push({ key, problem: r.error });
  }
  return problems.length ? fail(problems) : ok(settings);
}
