// Finds the IceGuard builds installed in this user's browsers, so `install` can allow each of them
// without the user copying an id: Chromium allows a native host per extension id, and a store,
// self-hosted or unpacked build each has its own.
// Measured (Chromium 156, Linux): `extensions.settings.<id>` in a profile's Preferences (Secure
// Preferences on some platforms and versions) holds `path`, absolute for an unpacked build,
// `<id>/<version>` under the profile's Extensions/ for a packed one; the manifest itself is there only
// for component extensions, so it is read from the extension's folder. Firefox lists installed add-ons
// in a profile's extensions.json (temporary add-ons are not written there).
// Everything here is read defensively: a file that is missing, too large or not JSON is skipped with a
// note, never fatal.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { GECKO_ID } from '../src/shared/helper-protocol';
import { firefoxProfileRoots, userDataDir, type Browser, type Place } from './paths';

export interface FoundBuild {
  browser: Browser;
  /** A Chrome extension id (32 letters a-p), or a Firefox add-on id. */
  id: string;
  /** The profile folder it was found in. */
  profile: string;
  version: string;
}

export interface Scan {
  found: FoundBuild[];
  /** Files that could not be read, and why. */
  notes: string[];
}

/** A browser profile file is a few MB at most; anything far larger is not one. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;
/** Profiles per browser folder looked at: bounds the work on a folder that is not what it seems. */
const MAX_PROFILES = 100;
const CHROME_ID = /^[a-p]{32}$/;
const NAME = 'IceGuard';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A JSON object from a file, or why not; undefined when the file does not exist. */
function readJson(file: string, notes: string[]): Json | undefined {
  try {
    if (!existsSync(file)) return undefined;
    if (statSync(file).size > MAX_FILE_BYTES) throw new Error('too large');
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!isObject(value)) throw new Error('not a JSON object');
    return value;
  } catch (e) {
    notes.push(`skipped ${file}: ${(e as Error).message}`);
    return undefined;
  }
}

function subfolders(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => join(dir, d.name))
      .sort()
      .slice(0, MAX_PROFILES);
  } catch {
    return [];
  }
}

/** The extension's name, `__MSG_x__` resolved through its default locale (message keys ignore case). */
function extensionName(manifest: Json, dir: string, notes: string[]): unknown {
  const name = manifest.name;
  const key = typeof name === 'string' ? /^__MSG_(\w+)__$/.exec(name)?.[1] : undefined;
  if (!key || typeof manifest.default_locale !== 'string') return name;
  const messages = readJson(join(dir, '_locales', manifest.default_locale, 'messages.json'), notes) ?? {};
  const entry = Object.entries(messages).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
  return isObject(entry) ? entry.message : undefined;
}

/**
 * Whether a manifest is IceGuard's: its name (or short name) and the permission it needs the helper for.
 * Another extension could call itself IceGuard; `install` prints every id it allows, so the user sees it.
 */
export function isIceGuard(manifest: Json, dir: string, notes: string[] = []): boolean {
  // Release builds ask for it when the user turns the helper on (optional); test builds at install.
  const asks = (list: unknown) => Array.isArray(list) && list.includes('nativeMessaging');
  if (!asks(manifest.permissions) && !asks(manifest.optional_permissions)) return false;
  return manifest.short_name === NAME || extensionName(manifest, dir, notes) === NAME;
}

/** IceGuard builds in one Chromium/Chrome profile folder. */
function scanChromiumProfile(browser: Browser, profile: string, notes: string[]): FoundBuild[] {
  const found: FoundBuild[] = [];
  for (const file of ['Preferences', 'Secure Preferences']) {
    const prefs = readJson(join(profile, file), notes);
    const extensions = isObject(prefs?.extensions) ? prefs.extensions : {};
    const settings = isObject(extensions.settings) ? extensions.settings : {};
    for (const [id, entry] of Object.entries(settings)) {
      if (!CHROME_ID.test(id) || !isObject(entry) || found.some((f) => f.id === id)) continue;
      const build = chromiumBuild(entry, profile, notes);
      if (build) found.push({ browser, id, profile, version: build.version });
    }
  }
  return found;
}

/** The manifest of one `extensions.settings` entry, if it is IceGuard's. */
function chromiumBuild(entry: Json, profile: string, notes: string[]): { version: string } | undefined {
  if (typeof entry.path !== 'string' || entry.path === '') return undefined;
  const dir = isAbsolute(entry.path) ? entry.path : join(profile, 'Extensions', entry.path);
  const manifest = isObject(entry.manifest) ? entry.manifest : readJson(join(dir, 'manifest.json'), notes);
  if (!manifest || !isIceGuard(manifest, dir, notes)) return undefined;
  return { version: typeof manifest.version === 'string' ? manifest.version : '?' };
}

/** IceGuard in the profiles of one Firefox profile folder: its fixed id, or an add-on named IceGuard. */
function scanFirefoxProfile(profile: string, notes: string[]): FoundBuild[] {
  const addons = readJson(join(profile, 'extensions.json'), notes)?.addons;
  if (!Array.isArray(addons)) return [];
  return addons.filter(isObject).flatMap((a) => {
    const locale = isObject(a.defaultLocale) ? a.defaultLocale : {};
    const ours = a.type === 'extension' && typeof a.id === 'string' && (a.id === GECKO_ID || locale.name === NAME);
    return ours ? [{ browser: 'firefox' as const, id: a.id as string, profile, version: typeof a.version === 'string' ? a.version : '?' }] : [];
  });
}

/**
 * IceGuard builds installed for this user in `browsers`. With `profileDir` (a Chromium/Chrome
 * user-data folder), Chromium and Chrome are looked for there only.
 */
export function findInstalledBuilds(place: Place, browsers: readonly Browser[], profileDir?: string): Scan {
  const notes: string[] = [];
  const found: FoundBuild[] = [];
  for (const b of browsers) {
    if (b === 'firefox') {
      for (const root of firefoxProfileRoots(place)) for (const profile of subfolders(root)) found.push(...scanFirefoxProfile(profile, notes));
    } else if (!profileDir) {
      for (const profile of subfolders(userDataDir(b, place))) found.push(...scanChromiumProfile(b, profile, notes));
    }
  }
  // One given user-data folder is one browser's, whichever of Chrome and Chromium was asked for.
  const chromium = browsers.find((b) => b !== 'firefox');
  if (profileDir && chromium) for (const profile of subfolders(profileDir)) found.push(...scanChromiumProfile(chromium, profile, notes));
  return { found, notes };
}

/** One line per build found, for `install` and `status`. */
export function describeScan(scan: Scan): string[] {
  const lines = scan.found.map((f) => `found IceGuard ${f.version} in ${f.browser}: ${f.id} (${f.profile})`);
  if (!scan.found.length) lines.push('found no installed IceGuard build in this user\'s browser profiles');
  return [...lines, ...scan.notes.map((n) => `note: ${n}`)];
}
