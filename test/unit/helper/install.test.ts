// `iceguard-helper install | uninstall | status` against a temporary HOME: the host manifests land
// where each browser reads them, name only IceGuard's ids, point at an executable launcher, and go
// again on uninstall (the helper's own files with the last of them).
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { install, status, TEST_CHROME_ID, uninstall } from '../../../helper/install';
import { GECKO_ID, HOST_NAME } from '../../../src/shared/helper-protocol';

let home: string;
const saved = { HOME: process.env.HOME, XDG_DATA_HOME: process.env.XDG_DATA_HOME };
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'iceguard-install-'));
  process.env.HOME = home;
  delete process.env.XDG_DATA_HOME;
});
afterEach(() => {
  process.env.HOME = saved.HOME;
  if (saved.XDG_DATA_HOME === undefined) delete process.env.XDG_DATA_HOME;
  else process.env.XDG_DATA_HOME = saved.XDG_DATA_HOME;
  rmSync(home, { recursive: true, force: true });
});

const bundle = join(__dirname, '../../../helper/cli.ts'); // any file stands in for the built bundle
const manifest = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

describe('install', () => {
  it('writes each browser\'s manifest in its user folder, naming only IceGuard, pointing at an executable launcher', () => {
    const extra = 'abcdefghijklmnopabcdefghijklmnop';
    const written = install({ browsers: ['chrome', 'chromium', 'firefox'], system: false, chromeIds: [TEST_CHROME_ID, extra], bundle, node: process.execPath });
    const chrome = join(home, '.config/google-chrome/NativeMessagingHosts', `${HOST_NAME}.json`);
    const chromium = join(home, '.config/chromium/NativeMessagingHosts', `${HOST_NAME}.json`);
    const firefox = join(home, '.mozilla/native-messaging-hosts', `${HOST_NAME}.json`);
    expect(written).toEqual(expect.arrayContaining([chrome, chromium, firefox]));
    const launcher = join(home, '.local/share/iceguard-helper/iceguard-helper');
    for (const f of [chrome, chromium]) expect(manifest(f)).toEqual({ name: HOST_NAME, description: expect.any(String), path: launcher, type: 'stdio', allowed_origins: [`chrome-extension://${TEST_CHROME_ID}/`, `chrome-extension://${extra}/`] });
    expect(manifest(firefox)).toMatchObject({ name: HOST_NAME, path: launcher, type: 'stdio', allowed_extensions: [GECKO_ID] });
    expect(statSync(launcher).mode & 0o111).not.toBe(0);
    expect(readFileSync(launcher, 'utf8')).toContain(`exec "${process.execPath}"`);
    expect(status({ browsers: ['firefox'], system: false })[0]).toMatch(/^firefox: installed .* -> .*iceguard-helper; allowed: iceguard@iceguard$/);
  });

  it('--profile-dir puts Chromium\'s manifest and the helper in that user-data folder', () => {
    const profile = join(home, 'profile');
    install({ browsers: ['chromium'], system: false, profileDir: profile, chromeIds: [TEST_CHROME_ID], bundle, node: process.execPath });
    expect(existsSync(join(profile, 'NativeMessagingHosts', `${HOST_NAME}.json`))).toBe(true);
    expect(existsSync(join(profile, 'iceguard-helper', 'iceguard-helper.mjs'))).toBe(true);
  });

  it('status says when the installed manifest does not allow a given build\'s id (Chromium would refuse it)', () => {
    const profile = join(home, 'profile-status');
    install({ browsers: ['chromium'], system: false, profileDir: profile, chromeIds: [TEST_CHROME_ID], bundle, node: process.execPath });
    const other = 'abcdefghijklmnopabcdefghijklmnop';
    expect(status({ browsers: ['chromium'], system: false, profileDir: profile, chromeIds: [TEST_CHROME_ID] })[0]).not.toMatch(/NOT allow/);
    expect(status({ browsers: ['chromium'], system: false, profileDir: profile, chromeIds: [TEST_CHROME_ID, other] })[0]).toMatch(
      new RegExp(`does NOT allow ${other}: run install --chrome-id ${other}$`),
    );
  });

  it('refuses an id that is not a Chrome extension id, and a missing bundle', () => {
    expect(() => install({ browsers: ['chrome'], system: false, chromeIds: ['not-an-id'], bundle, node: process.execPath })).toThrow(/not a Chrome extension id/);
    expect(() => install({ browsers: ['chrome'], system: false, chromeIds: [], bundle: join(home, 'nope.mjs'), node: process.execPath })).toThrow(/missing/);
  });

  it('uninstall removes the manifests, and the helper\'s files with the last one', () => {
    install({ browsers: ['chromium', 'firefox'], system: false, chromeIds: [TEST_CHROME_ID], bundle, node: process.execPath });
    const dir = join(home, '.local/share/iceguard-helper');
    uninstall({ browsers: ['chromium'], system: false });
    expect(existsSync(dir)).toBe(true); // Firefox still uses it
    expect(status({ browsers: ['chromium'], system: false })[0]).toMatch(/^chromium: not installed/);
    uninstall({ browsers: ['firefox'], system: false });
    expect(existsSync(dir)).toBe(false);
  });
});
