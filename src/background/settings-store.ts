// The settings store: storage.local read through the migrations and repair of src/shared/settings.ts.
// The service worker may be stopped at any moment, so nothing lives only in memory: the cache below
// is a copy of storage, dropped whenever storage changes, and every write goes to storage first.
import browser from 'webextension-polyfill';
import { recordError } from './error-log';
import { serialQueue } from './serial';
import {
  checkSetting,
  loadSettings,
  SETTING_KEYS,
  type SettingKey,
  type SettingProblem,
  type Settings,
} from '../shared/settings';

/** Problems found while repairing the store, kept until the user dismisses them in the options page. */
const PROBLEMS_KEY = 'settingsProblems';
const MAX_PROBLEMS = 50;

let cache: Promise<Settings> | null = null;
// Writes one after another, so two quick changes to `sites` never lose one another.
const serial = serialQueue();

browser.storage.onChanged.addListener((_changes, area) => {
  if (area === 'local') cache = null;
});

async function load(): Promise<Settings> {
  const image = await browser.storage.local.get(null);
  const r = loadSettings(image);
  // A problem that stays (a store from a newer version) is found at every load: list it once, or
  // each load would write, and each write make every storage listener (the options page) load again.
  const old = Array.isArray(image[PROBLEMS_KEY]) ? (image[PROBLEMS_KEY] as SettingProblem[]) : [];
  const found = r.problems.filter((p) => !old.some((o) => o?.key === p.key && o?.problem === p.problem));
  if (found.length) r.set[PROBLEMS_KEY] = [...old, ...found].slice(-MAX_PROBLEMS);
  try {
    if (Object.keys(r.set).length) await browser.storage.local.set(r.set);
    if (r.remove.length) await browser.storage.local.remove(r.remove);
  } catch (e) {
    // Storage full or gone: the repaired settings still apply for now, and the next load retries.
    void recordError('settings store', e);
  }
  userSet = new Set(SETTING_KEYS.filter((k) => k in image && !(k in r.set && r.problems.some((p) => p.key === k))));
  return r.settings;
}

/** Settings the user (or an import) stored, as opposed to defaults: a policy default does not override them. */
let userSet = new Set<SettingKey>();
export async function userSetKeys(): Promise<ReadonlySet<SettingKey>> {
  await getSettings();
  return userSet;
}

export function getSettings(): Promise<Settings> {
  if (!cache) {
    const p = load();
    cache = p;
    p.catch(() => {
      if (cache === p) cache = null;
    });
  }
  return cache;
}

/** Drops the cached copy and loads again (migrations and repair included). */
export function reloadSettings(): Promise<Settings> {
  cache = null;
  return getSettings();
}

export async function getProblems(): Promise<SettingProblem[]> {
  const stored = (await browser.storage.local.get(PROBLEMS_KEY))[PROBLEMS_KEY];
  return Array.isArray(stored) ? (stored as SettingProblem[]) : [];
}

export async function dismissProblems(): Promise<void> {
  await browser.storage.local.remove([PROBLEMS_KEY, 'repairedValues']);
}

/**
 * Validates and writes settings; throws with the problem when a value is not acceptable. What follows
 * a write (relays, floor, hints) is reactions.ts's: callers write through its `change`.
 */
export function setSettings(patch: Partial<Settings>): Promise<void> {
  return serial(async () => {
    await getSettings(); // migrations and repair first, so this write is never undone by them
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(patch)) {
      if (!(SETTING_KEYS as readonly string[]).includes(key)) throw new Error(`${key} is not a setting`);
      const r = checkSetting(key as SettingKey, value);
      if (!r.ok) throw new Error(`${key} ${r.error}`);
      out[key] = r.value;
    }
    try {
      await browser.storage.local.set(out);
    } finally {
      cache = null;
    }
  });
}

/** Changes the decisions with `edit` (read, edit and write as one step). */
export function editSites(edit: (sites: Record<string, Settings['sites'][string]>) => void): Promise<void> {
  return serial(async () => {
    const sites = { ...(await getSettings()).sites };
    edit(sites);
    const r = checkSetting('sites', sites);
    if (!r.ok) throw new Error(`sites ${r.error}`);
    try {
      await browser.storage.local.set({ sites: r.value });
    } finally {
      cache = null;
    }
  });
}

/** Sets the user's decision for `site`, or forgets it (mode null). */
export function decide(site: string, mode: Settings['sites'][string] | null): Promise<void> {
  return editSites((sites) => {
    if (mode === null) delete sites[site];
    else sites[site] = mode;
  });
}
