// Where things are on each platform the helper supports: the folders each browser reads native-messaging
// host manifests from, where the helper's own files go, and where the browsers keep their profiles.
// Everything takes a `Place` (platform, home, environment), so tests can ask for macOS paths on Linux.
// Sources: Chrome "Native messaging host location"
// (https://developer.chrome.com/docs/extensions/develop/concepts/native-messaging#native-messaging-host-location),
// MDN "Native manifests", "Manifest location"
// (https://developer.mozilla.org/docs/Mozilla/Add-ons/WebExtensions/Native_manifests#manifest_location).
// Measured on Linux (Chromium 156, Firefox ESR): Chromium reads <user-data-dir>/NativeMessagingHosts/.
import { homedir } from 'node:os';
import { join } from 'node:path';

export type Browser = 'chrome' | 'chromium' | 'firefox';
export const BROWSERS: readonly Browser[] = ['chrome', 'chromium', 'firefox'];

/** The platforms with manifest folders. Windows registers hosts in the registry, which is not written yet. */
export type Platform = 'linux' | 'darwin';

export interface Place {
  platform: Platform;
  home: string;
  env: Readonly<Record<string, string | undefined>>;
}

/** The place this process runs in; a clear error on a platform the helper cannot install on. */
export function currentPlace(platform: NodeJS.Platform = process.platform): Place {
  if (platform === 'win32') {
    throw new Error(
      'Windows is not supported yet: there browsers find native-messaging hosts through the registry, which this installer does not write. See the README, "Platforms".',
    );
  }
  // Every other Unix (the BSDs too) keeps the Linux folders, as Chromium and Firefox builds there do.
  return { platform: platform === 'darwin' ? 'darwin' : 'linux', home: homedir(), env: process.env };
}

const MAC_SUPPORT = 'Library/Application Support';

/** `$XDG_CONFIG_HOME`, or ~/.config (Chromium's user-data folders live there on Linux). */
function xdgConfig(p: Place): string {
  return p.env.XDG_CONFIG_HOME || join(p.home, '.config');
}

/** A Chromium/Chrome user-data folder per browser: its NativeMessagingHosts/ and its profiles are inside. */
export function userDataDir(b: Exclude<Browser, 'firefox'>, p: Place): string {
  if (p.platform === 'darwin') return join(p.home, MAC_SUPPORT, b === 'chrome' ? 'Google/Chrome' : 'Chromium');
  return join(xdgConfig(p), b === 'chrome' ? 'google-chrome' : 'chromium');
}

const SYSTEM_MANIFEST_DIRS: Record<Platform, Record<Browser, string>> = {
  linux: {
    chrome: '/etc/opt/chrome/native-messaging-hosts',
    chromium: '/etc/chromium/native-messaging-hosts',
    firefox: '/usr/lib/mozilla/native-messaging-hosts',
  },
  darwin: {
    chrome: '/Library/Google/Chrome/NativeMessagingHosts',
    chromium: '/Library/Application Support/Chromium/NativeMessagingHosts',
    firefox: '/Library/Application Support/Mozilla/NativeMessagingHosts',
  },
};

/** The folder a browser reads host manifests from: for this user, or for all users (`system`). */
export function manifestDir(b: Browser, p: Place, system: boolean): string {
  if (system) return SYSTEM_MANIFEST_DIRS[p.platform][b];
  if (b !== 'firefox') return join(userDataDir(b, p), 'NativeMessagingHosts');
  return p.platform === 'darwin' ? join(p.home, MAC_SUPPORT, 'Mozilla/NativeMessagingHosts') : join(p.home, '.mozilla/native-messaging-hosts');
}

/** Where the helper's own files (the script and its launcher) go, for this user or for all users. */
export function helperHome(p: Place, system: boolean): string {
  if (p.platform === 'darwin') return system ? '/Library/Application Support/iceguard-helper' : join(p.home, MAC_SUPPORT, 'iceguard-helper');
  if (system) return '/usr/local/lib/iceguard-helper';
  return join(p.env.XDG_DATA_HOME || join(p.home, '.local/share'), 'iceguard-helper');
}

/** The folders holding Firefox's profiles (each profile a subfolder with its extensions.json). */
export function firefoxProfileRoots(p: Place): string[] {
  if (p.platform === 'darwin') return [join(p.home, MAC_SUPPORT, 'Firefox/Profiles')];
  // Firefox keeps ~/.mozilla/firefox; newer releases may use the XDG folder for new installs.
  return [join(p.home, '.mozilla/firefox'), join(xdgConfig(p), 'mozilla/firefox')];
}
