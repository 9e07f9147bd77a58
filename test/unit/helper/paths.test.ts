// Where the helper puts its manifests and files on Linux and macOS (an injected platform, so both run
// here), and the plain refusal on Windows.
import { describe, expect, it } from 'vitest';
import { BROWSERS, currentPlace, firefoxProfileRoots, helperHome, manifestDir, userDataDir, type Place } from '../../../helper/paths';

const linux: Place = { platform: 'linux', home: '/home/u', env: {} };
const mac: Place = { platform: 'darwin', home: '/Users/u', env: {} };

describe('native-messaging host folders', () => {
  const dirs = (p: Place, system: boolean) => Object.fromEntries(BROWSERS.map((b) => [b, manifestDir(b, p, system)]));

  it('Linux: per user and for all users', () => {
    expect(dirs(linux, false)).toEqual({
      chrome: '/home/u/.config/google-chrome/NativeMessagingHosts',
      chromium: '/home/u/.config/chromium/NativeMessagingHosts',
      firefox: '/home/u/.mozilla/native-messaging-hosts',
    });
    expect(dirs(linux, true)).toEqual({
      chrome: '/etc/opt/chrome/native-messaging-hosts',
      chromium: '/etc/chromium/native-messaging-hosts',
      firefox: '/usr/lib/mozilla/native-messaging-hosts',
    });
  });

  it('macOS: per user and for all users', () => {
    const support = '/Users/u/Library/Application Support';
    expect(dirs(mac, false)).toEqual({
      chrome: `${support}/Google/Chrome/NativeMessagingHosts`,
      chromium: `${support}/Chromium/NativeMessagingHosts`,
      firefox: `${support}/Mozilla/NativeMessagingHosts`,
    });
    expect(dirs(mac, true)).toEqual({
      chrome: '/Library/Google/Chrome/NativeMessagingHosts',
      chromium: '/Library/Application Support/Chromium/NativeMessagingHosts',
      firefox: '/Library/Application Support/Mozilla/NativeMessagingHosts',
    });
  });

  it('Linux follows XDG_CONFIG_HOME for Chromium\'s user data and XDG_DATA_HOME for the helper', () => {
    const xdg: Place = { ...linux, env: { XDG_CONFIG_HOME: '/x/config', XDG_DATA_HOME: '/x/data' } };
    expect(manifestDir('chromium', xdg, false)).toBe('/x/config/chromium/NativeMessagingHosts');
    expect(helperHome(xdg, false)).toBe('/x/data/iceguard-helper');
  });
});

describe('the helper\'s own folder and the browsers\' profiles', () => {
  it('per platform', () => {
    expect(helperHome(linux, false)).toBe('/home/u/.local/share/iceguard-helper');
    expect(helperHome(linux, true)).toBe('/usr/local/lib/iceguard-helper');
    expect(helperHome(mac, false)).toBe('/Users/u/Library/Application Support/iceguard-helper');
    expect(helperHome(mac, true)).toBe('/Library/Application Support/iceguard-helper');
    expect(userDataDir('chrome', mac)).toBe('/Users/u/Library/Application Support/Google/Chrome');
    expect(firefoxProfileRoots(mac)).toEqual(['/Users/u/Library/Application Support/Firefox/Profiles']);
    expect(firefoxProfileRoots(linux)).toContain('/home/u/.mozilla/firefox');
  });
});

describe('platforms', () => {
  it('Windows is refused with a plain reason; macOS and Linux (and other Unixes) are not', () => {
    expect(() => currentPlace('win32')).toThrow(/Windows is not supported yet.*registry/);
    expect(currentPlace('darwin').platform).toBe('darwin');
    expect(currentPlace('linux').platform).toBe('linux');
    expect(currentPlace('freebsd').platform).toBe('linux');
  });
});
