// `iceguard-helper install | uninstall | status [--browser chrome|chromium|firefox|all] [--system]
// [--profile-dir DIR] [--chrome-id ID]...`: writes (or removes, or reports) the native-messaging host
// manifests where each browser reads them, and the helper itself next to a small launcher.
// Measured: Chromium reads <user-data-dir>/NativeMessagingHosts/ and /etc/chromium/native-messaging-hosts/;
// Chrome ~/.config/google-chrome/NativeMessagingHosts/ and /etc/opt/chrome/native-messaging-hosts/;
// Firefox ~/.mozilla/native-messaging-hosts/ and /usr/lib/mozilla/native-messaging-hosts/.
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { GECKO_ID, HOST_NAME } from '../src/shared/helper-protocol';

/** The Chromium id of IceGuard's test build (fixed by its key); store or self-hosted ids come with --chrome-id. */
export const TEST_CHROME_ID = 'ocondmpppmccbofhhggiejfabagcoejl';

export type Browser = 'chrome' | 'chromium' | 'firefox';
const BROWSERS: Browser[] = ['chrome', 'chromium', 'firefox'];

export interface InstallOptions {
  browsers: Browser[];
  system: boolean;
  /** A Chromium/Chrome user-data dir: its NativeMessagingHosts/ instead of the default profile's. */
  profileDir?: string;
  chromeIds: string[];
  /** The bundled helper to install (dist/helper/iceguard-helper.mjs). */
  bundle: string;
  /** The Node.js that runs it. */
  node: string;
}

function manifestDir(b: Browser, o: Pick<InstallOptions, 'system' | 'profileDir'>): string {
  if (o.profileDir && b !== 'firefox') return join(resolve(o.profileDir), 'NativeMessagingHosts');
  const home = homedir();
  if (o.system) return { chrome: '/etc/opt/chrome/native-messaging-hosts', chromium: '/etc/chromium/native-messaging-hosts', firefox: '/usr/lib/mozilla/native-messaging-hosts' }[b];
  return { chrome: join(home, '.config/google-chrome/NativeMessagingHosts'), chromium: join(home, '.config/chromium/NativeMessagingHosts'), firefox: join(home, '.mozilla/native-messaging-hosts') }[b];
}

/** Where the helper's files go: beside the profile (tests), system-wide, or in the user's data folder. */
export function installDir(o: Pick<InstallOptions, 'system' | 'profileDir'>): string {
  if (o.profileDir) return join(resolve(o.profileDir), 'iceguard-helper');
  if (o.system) return '/usr/local/lib/iceguard-helper';
  return join(process.env.XDG_DATA_HOME || join(homedir(), '.local/share'), 'iceguard-helper');
}

function manifestFor(b: Browser, launcher: string, chromeIds: string[]): Record<string, unknown> {
  const base = { name: HOST_NAME, description: 'IceGuard LAN helper: answers mDNS queries for the names IceGuard gave your host addresses', path: launcher, type: 'stdio' };
  return b === 'firefox' ? { ...base, allowed_extensions: [GECKO_ID] } : { ...base, allowed_origins: chromeIds.map((id) => `chrome-extension://${id}/`) };
}

const CHROME_ID = /^[a-p]{32}$/;

export function install(o: InstallOptions): string[] {
  for (const id of o.chromeIds) if (!CHROME_ID.test(id)) throw new Error(`"${id}" is not a Chrome extension id (32 letters a-p)`);
  if (!existsSync(o.bundle)) throw new Error(`${o.bundle} is missing: run \`node build.mjs --helper\` first`);
  const dir = installDir(o);
  mkdirSync(dir, { recursive: true });
  const script = join(dir, 'iceguard-helper.mjs');
  copyFileSync(o.bundle, script);
  const launcher = join(dir, 'iceguard-helper');
  writeFileSync(launcher, `#!/bin/sh\n# IceGuard LAN helper (native-messaging host), installed by iceguard-helper install.\nexec "${o.node}" "${script}" "$@"\n`);
  chmodSync(launcher, 0o755);
  const written: string[] = [launcher];
  for (const b of o.browsers) {
    const file = join(manifestDir(b, o), `${HOST_NAME}.json`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(manifestFor(b, launcher, o.chromeIds), null, 2) + '\n');
    written.push(file);
  }
  return written;
}

export function uninstall(o: Pick<InstallOptions, 'browsers' | 'system' | 'profileDir'>): string[] {
  const removed: string[] = [];
  for (const b of o.browsers) {
    const file = join(manifestDir(b, o), `${HOST_NAME}.json`);
    if (existsSync(file)) {
      rmSync(file);
      removed.push(file);
    }
  }
  // The helper's files go when no browser's manifest points at them any more.
  const dir = installDir(o);
  const launcher = join(dir, 'iceguard-helper');
  const stillUsed = BROWSERS.some((b) => {
    const file = join(manifestDir(b, o), `${HOST_NAME}.json`);
    try {
      return existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as { path?: string }).path === launcher;
    } catch {
      return false;
    }
  });
  if (!stillUsed && existsSync(dir)) {
    rmSync(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}

/**
 * One line per browser. With `chromeIds` (ids given with --chrome-id), a Chromium manifest that does not
 * allow one of them says so: Chromium refuses the helper to any other id ("forbidden").
 */
export function status(o: Pick<InstallOptions, 'browsers' | 'system' | 'profileDir'> & { chromeIds?: string[] }): string[] {
  return o.browsers.map((b) => {
    const file = join(manifestDir(b, o), `${HOST_NAME}.json`);
    if (!existsSync(file)) return `${b}: not installed (${file})`;
    try {
      const m = JSON.parse(readFileSync(file, 'utf8')) as { path?: string; allowed_origins?: string[]; allowed_extensions?: string[] };
      const ok = typeof m.path === 'string' && existsSync(m.path);
      const allowed = m.allowed_origins ?? m.allowed_extensions ?? [];
      const missing = b === 'firefox' ? [] : (o.chromeIds ?? []).filter((id) => !allowed.includes(`chrome-extension://${id}/`));
      const refused = missing.length ? `; does NOT allow ${missing.join(', ')}: run install --chrome-id ${missing.join(' --chrome-id ')}` : '';
      return `${b}: installed (${file}) -> ${m.path}${ok ? '' : ' (MISSING)'}; allowed: ${allowed.join(', ')}${refused}`;
    } catch {
      return `${b}: broken manifest (${file})`;
    }
  });
}

export function parseArgs(argv: string[]): { command: string; options: Omit<InstallOptions, 'bundle' | 'node'> } {
  const [command = 'help', ...rest] = argv;
  const options: Omit<InstallOptions, 'bundle' | 'node'> = { browsers: [...BROWSERS], system: false, chromeIds: [TEST_CHROME_ID] };
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
      else if ((BROWSERS as string[]).includes(b)) options.browsers = [b as Browser];
      else throw new Error(`--browser must be chrome, chromium, firefox or all`);
    } else if (a === '--profile-dir') options.profileDir = value();
    else if (a === '--chrome-id') options.chromeIds.push(value());
    else throw new Error(`unknown option ${a}`);
  }
  if (options.system && options.profileDir) throw new Error('--system and --profile-dir exclude each other');
  return { command, options };
}
