// `iceguard-lan-helper install | uninstall | status`: writes (or removes, or reports) the
// native-messaging host manifests where each browser reads them (helper/paths.ts), and a copy of the
// helper itself next to a small launcher, so that the installed helper needs nothing that installed it:
// no clone, no npx cache, no fixed Node.js path.
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { GECKO_ID, HOST_NAME } from '../src/shared/helper-protocol';
import { BROWSERS, currentPlace, helperHome, manifestDir as browserManifestDir, type Browser, type Place } from './paths';

export type { Browser } from './paths';

/** The Chromium id of IceGuard's test build (fixed by its key); other builds' ids are found or given. */
export const TEST_CHROME_ID = 'ocondmpppmccbofhhggiejfabagcoejl';

export interface Where {
  browsers: Browser[];
  system: boolean;
  /** A Chromium/Chrome user-data dir: its NativeMessagingHosts/ instead of the default profile's. */
  profileDir?: string;
  /** Platform, home and environment (tests give their own); this process's by default. */
  place?: Place;
}

export interface InstallOptions extends Where {
  /** Chrome/Chromium ids to allow besides the test build's. */
  chromeIds: string[];
  /** Firefox add-on ids to allow besides IceGuard's own. */
  firefoxIds?: string[];
  /** The bundled helper to install (the package's bin, or dist/helper/iceguard-helper.mjs). */
  bundle: string;
  /** The Node.js that runs the installer: the launcher's first choice. */
  node: string;
}

function manifestFile(b: Browser, o: Where): string {
  const dir = o.profileDir && b !== 'firefox' ? join(resolve(o.profileDir), 'NativeMessagingHosts') : browserManifestDir(b, o.place ?? currentPlace(), o.system);
  return join(dir, `${HOST_NAME}.json`);
}

/** Where the helper's files go: beside the profile (tests), system-wide, or in the user's data folder. */
export function installDir(o: Where): string {
  if (o.profileDir) return join(resolve(o.profileDir), 'iceguard-helper');
  return helperHome(o.place ?? currentPlace(), o.system);
}

/** What a manifest's allow-list holds for one id: Chromium takes origins, Firefox add-on ids. */
const allowEntry = (b: Browser, id: string) => (b === 'firefox' ? id : `chrome-extension://${id}/`);

function manifestFor(b: Browser, launcher: string, o: InstallOptions): Record<string, unknown> {
  const base = { name: HOST_NAME, description: 'IceGuard LAN helper: answers mDNS queries for the names IceGuard gave your host addresses', path: launcher, type: 'stdio' };
  if (b === 'firefox') return { ...base, allowed_extensions: unique([GECKO_ID, ...(o.firefoxIds ?? [])]) };
  return { ...base, allowed_origins: unique([TEST_CHROME_ID, ...o.chromeIds]).map((id) => allowEntry(b, id)) };
}

const unique = (ids: string[]) => [...new Set(ids)];

/** A string as one single-quoted shell word. */
const shellWord = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/** Where Node.js is when a package manager installed it: distributions, the official installer, Homebrew. */
const USUAL_NODES = ['/usr/local/bin/node', '/opt/homebrew/bin/node', '/usr/bin/node'];

/**
 * The launcher the browser starts. A browser started from a desktop passes a short PATH (no nvm, no
 * Homebrew), and the Node.js that ran the installer may go later (an nvm or npx upgrade), so it tries
 * that one first, then PATH, then the usual places, and says so on stderr if none is there.
 */
export function launcherScript(script: string, node: string, usual: readonly string[] = USUAL_NODES): string {
  return [
    '#!/bin/sh',
    '# IceGuard LAN helper (native-messaging host), written by `iceguard-lan-helper install`.',
    `for node in ${[shellWord(node), '"$(command -v node 2>/dev/null)"', ...usual.map(shellWord)].join(' ')}; do`,
    `  if [ -n "$node" ] && [ -x "$node" ]; then exec "$node" ${shellWord(script)} "$@"; fi`,
    'done',
    `echo "iceguard-helper: Node.js not found (it was at ${node.replace(/["$`\\]/g, '')}): install Node.js 20 or later, then run install again" >&2`,
    'exit 127',
    '',
  ].join('\n');
}

const CHROME_ID = /^[a-p]{32}$/;

export function install(o: InstallOptions): string[] {
  for (const id of o.chromeIds) if (!CHROME_ID.test(id)) throw new Error(`"${id}" is not a Chrome extension id (32 letters a-p)`);
  if (!existsSync(o.bundle)) throw new Error(`${o.bundle} is missing: run \`node build.mjs --helper\` first`);
  const dir = installDir(o);
  mkdirSync(dir, { recursive: true });
  const script = join(dir, 'iceguard-helper.mjs');
  // Installing again from the installed copy: the copy is already there.
  if (resolve(o.bundle) !== script) copyFileSync(o.bundle, script);
  chmodSync(script, 0o755);
  const launcher = join(dir, 'iceguard-helper');
  writeFileSync(launcher, launcherScript(script, o.node));
  chmodSync(launcher, 0o755);
  const written: string[] = [launcher];
  for (const b of o.browsers) {
    const file = manifestFile(b, o);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(manifestFor(b, launcher, o), null, 2) + '\n');
    written.push(file);
  }
  return written;
}

export function uninstall(o: Where): string[] {
  const removed: string[] = [];
  for (const b of o.browsers) {
    const file = manifestFile(b, o);
    if (existsSync(file)) {
      rmSync(file);
      removed.push(file);
    }
  }
  // The helper's files go when no browser's manifest points at them any more.
  const dir = installDir(o);
  const launcher = join(dir, 'iceguard-helper');
  const stillUsed = BROWSERS.some((b) => readManifest(manifestFile(b, o))?.path === launcher);
  if (!stillUsed && existsSync(dir)) {
    rmSync(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}

interface HostManifest {
  path?: unknown;
  allowed_origins?: unknown;
  allowed_extensions?: unknown;
}

/** An installed manifest; undefined when missing, null when not readable as one. */
function readManifest(file: string): HostManifest | null | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const m: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof m === 'object' && m !== null ? m : null;
  } catch {
    return null;
  }
}

export interface StatusOptions extends Where {
  /** Chrome/Chromium ids that should be allowed (given, or found installed). */
  chromeIds?: string[];
  /** Firefox add-on ids that should be allowed (found installed). */
  firefoxIds?: string[];
}

/**
 * One line per browser. A manifest that does not allow one of the ids that should be says so: the
 * browser refuses the helper to any other id ("forbidden").
 */
export function status(o: StatusOptions): string[] {
  return o.browsers.map((b) => {
    const file = manifestFile(b, o);
    const m = readManifest(file);
    if (m === undefined) return `${b}: not installed (${file})`;
    if (m === null) return `${b}: broken manifest (${file})`;
    const ok = typeof m.path === 'string' && existsSync(m.path);
    const list = b === 'firefox' ? m.allowed_extensions : m.allowed_origins;
    const allowed = Array.isArray(list) ? list.filter((e): e is string => typeof e === 'string') : [];
    const wanted = (b === 'firefox' ? o.firefoxIds : o.chromeIds) ?? [];
    const missing = unique(wanted).filter((id) => !allowed.includes(allowEntry(b, id)));
    const flag = b === 'firefox' ? '' : ` --chrome-id ${missing.join(' --chrome-id ')}`;
    const refused = missing.length ? `; does NOT allow ${missing.join(', ')}: run install${flag}` : '';
    return `${b}: installed (${file}) -> ${String(m.path)}${ok ? '' : ' (MISSING)'}; allowed: ${allowed.join(', ')}${refused}`;
  });
}

export function parseArgs(argv: string[]): { command: string; options: Omit<InstallOptions, 'bundle' | 'node'> } {
  const [command = 'help', ...rest] = argv;
  const options: Omit<InstallOptions, 'bundle' | 'node'> = { browsers: [...BROWSERS], system: false, chromeIds: [] };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    const value = () => {
      const v = rest[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--system') options.system = true;
    else if (a === '--browser') {
      const b = value();
      if (b === 'all') options.browsers = [...BROWSERS];
      else if ((BROWSERS as readonly string[]).includes(b)) options.browsers = [b as Browser];
      else throw new Error(`--browser must be chrome, chromium, firefox or all`);
    } else if (a === '--profile-dir') options.profileDir = value();
    else if (a === '--chrome-id') options.chromeIds.push(value());
    else throw new Error(`unknown option ${a}`);
  }
  if (options.system && options.profileDir) throw new Error('--system and --profile-dir exclude each other');
  return { command, options };
}
