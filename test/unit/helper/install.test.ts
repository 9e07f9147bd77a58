// `iceguard-lan-helper install | uninstall | status` against a temporary home: the host manifests land
// where each browser reads them, name only IceGuard's ids, point at an executable launcher that finds
// Node.js at run time, and go again on uninstall (the helper's own files with the last of them).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { install, launcherScript, status, TEST_CHROME_ID, uninstall } from '../../../helper/install';
import type { Place } from '../../../helper/paths';
import { GECKO_ID, HOST_NAME } from '../../../src/shared/helper-protocol';

let home: string;
let place: Place;
beforeEach(() => {
  // A quote, a space and a dollar in the home folder: the launcher must quote what it writes.
  home = mkdtempSync(join(tmpdir(), "iceguard install $HOME'-"));
  place = { platform: 'linux', home, env: {} };
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const bundle = join(__dirname, '../../../helper/cli.ts'); // any file stands in for the built bundle
const manifest = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
const all = ['chrome', 'chromium', 'firefox'] as const;

describe('install', () => {
  it('writes each browser\'s manifest in its user folder, naming only IceGuard, pointing at an executable launcher', () => {
    const extra = 'abcdefghijklmnopabcdefghijklmnop';
    const written = install({ browsers: [...all], system: false, place, chromeIds: [TEST_CHROME_ID, extra], bundle, node: process.execPath });
    const chrome = join(home, '.config/google-chrome/NativeMessagingHosts', `${HOST_NAME}.json`);
    const chromium = join(home, '.config/chromium/NativeMessagingHosts', `${HOST_NAME}.json`);
    const firefox = join(home, '.mozilla/native-messaging-hosts', `${HOST_NAME}.json`);
    expect(written).toEqual(expect.arrayContaining([chrome, chromium, firefox]));
    const launcher = join(home, '.local/share/iceguard-helper/iceguard-helper');
    for (const f of [chrome, chromium]) expect(manifest(f)).toEqual({ name: HOST_NAME, description: expect.any(String), path: launcher, type: 'stdio', allowed_origins: [`chrome-extension://${TEST_CHROME_ID}/`, `chrome-extension://${extra}/`] });
    expect(manifest(firefox)).toMatchObject({ name: HOST_NAME, path: launcher, type: 'stdio', allowed_extensions: [GECKO_ID] });
    expect(statSync(launcher).mode & 0o111).not.toBe(0);
    // The installed copy is the helper itself, not a path back to where it was installed from.
    expect(readFileSync(join(dirname(launcher), 'iceguard-helper.mjs'), 'utf8')).toBe(readFileSync(bundle, 'utf8'));
    expect(status({ browsers: ['firefox'], system: false, place })[0]).toMatch(/^firefox: installed .* -> .*iceguard-helper; allowed: iceguard@iceguard$/);
  });

  it('always allows the test build, once, and Firefox add-on ids it is given besides IceGuard\'s', () => {
    install({ browsers: ['chromium', 'firefox'], system: false, place, chromeIds: [TEST_CHROME_ID], firefoxIds: [GECKO_ID, 'fork@example.org'], bundle, node: process.execPath });
    expect(manifest(join(home, '.config/chromium/NativeMessagingHosts', `${HOST_NAME}.json`)).allowed_origins).toEqual([`chrome-extension://${TEST_CHROME_ID}/`]);
    expect(manifest(join(home, '.mozilla/native-messaging-hosts', `${HOST_NAME}.json`)).allowed_extensions).toEqual([GECKO_ID, 'fork@example.org']);
  });

  it('on macOS: the Library folders', () => {
    const mac: Place = { platform: 'darwin', home, env: {} };
    const written = install({ browsers: [...all], system: false, place: mac, chromeIds: [], bundle, node: process.execPath });
    const support = join(home, 'Library/Application Support');
    expect(written).toEqual([
      join(support, 'iceguard-helper/iceguard-helper'),
      join(support, 'Google/Chrome/NativeMessagingHosts', `${HOST_NAME}.json`),
      join(support, 'Chromium/NativeMessagingHosts', `${HOST_NAME}.json`),
      join(support, 'Mozilla/NativeMessagingHosts', `${HOST_NAME}.json`),
    ]);
    expect(uninstall({ browsers: [...all], system: false, place: mac })).toHaveLength(4);
  });

  it('--profile-dir puts Chromium\'s manifest and the helper in that user-data folder', () => {
    const profile = join(home, 'profile');
    install({ browsers: ['chromium'], system: false, place, profileDir: profile, chromeIds: [TEST_CHROME_ID], bundle, node: process.execPath });
    expect(existsSync(join(profile, 'NativeMessagingHosts', `${HOST_NAME}.json`))).toBe(true);
    expect(existsSync(join(profile, 'iceguard-helper', 'iceguard-helper.mjs'))).toBe(true);
  });

  it('status says when the installed manifest does not allow a given build\'s id (the browser would refuse it)', () => {
    const profile = join(home, 'profile-status');
    install({ browsers: ['chromium', 'firefox'], system: false, place, profileDir: profile, chromeIds: [TEST_CHROME_ID], bundle, node: process.execPath });
    const other = 'abcdefghijklmnopabcdefghijklmnop';
    expect(status({ browsers: ['chromium'], system: false, place, profileDir: profile, chromeIds: [TEST_CHROME_ID] })[0]).not.toMatch(/NOT allow/);
    expect(status({ browsers: ['chromium'], system: false, place, profileDir: profile, chromeIds: [TEST_CHROME_ID, other] })[0]).toMatch(
      new RegExp(`does NOT allow ${other}: run install --chrome-id ${other}$`),
    );
    expect(status({ browsers: ['firefox'], system: false, place, firefoxIds: ['fork@example.org'] })[0]).toMatch(/does NOT allow fork@example.org: run install$/);
  });

  it('status reports a manifest that is not JSON as broken', () => {
    install({ browsers: ['firefox'], system: false, place, chromeIds: [], bundle, node: process.execPath });
    writeFileSync(join(home, '.mozilla/native-messaging-hosts', `${HOST_NAME}.json`), '{ not json');
    expect(status({ browsers: ['firefox'], system: false, place })[0]).toMatch(/^firefox: broken manifest/);
  });

  it('refuses an id that is not a Chrome extension id, and a missing bundle', () => {
    expect(() => install({ browsers: ['chrome'], system: false, place, chromeIds: ['not-an-id'], bundle, node: process.execPath })).toThrow(/not a Chrome extension id/);
    expect(() => install({ browsers: ['chrome'], system: false, place, chromeIds: [], bundle: join(home, 'nope.mjs'), node: process.execPath })).toThrow(/missing/);
  });

  it('uninstall removes the manifests, and the helper\'s files with the last one', () => {
    install({ browsers: ['chromium', 'firefox'], system: false, place, chromeIds: [TEST_CHROME_ID], bundle, node: process.execPath });
    const dir = join(home, '.local/share/iceguard-helper');
    uninstall({ browsers: ['chromium'], system: false, place });
    expect(existsSync(dir)).toBe(true); // Firefox still uses it
    expect(status({ browsers: ['chromium'], system: false, place })[0]).toMatch(/^chromium: not installed/);
    uninstall({ browsers: ['firefox'], system: false, place });
    expect(existsSync(dir)).toBe(false);
  });
});

describe('the launcher finds Node.js when the browser starts it', () => {
  /** A script that says how it was run, in place of the helper. */
  const fakeHelper = () => {
    const script = join(home, "helper 'x'.mjs");
    writeFileSync(script, 'console.log(`ran ${process.argv.slice(2).join(" ")}`);\n');
    return script;
  };
  const run = (launcherText: string, path: string) => {
    const launcher = join(home, 'launcher');
    writeFileSync(launcher, launcherText, { mode: 0o755 });
    return spawnSync(launcher, ['chrome-extension://x/', 'a b'], { env: { PATH: path }, encoding: 'utf8' });
  };
  const nodeDir = dirname(process.execPath);

  it('the Node.js that installed it, with a PATH that has none (a browser started from a desktop)', () => {
    const r = run(launcherScript(fakeHelper(), process.execPath, []), '/nonexistent');
    expect(r.stdout).toBe('ran chrome-extension://x/ a b\n');
  });

  it('Node.js on PATH when the one that installed it went away (an nvm or npx upgrade)', () => {
    const r = run(launcherScript(fakeHelper(), join(home, 'gone/node'), []), `${nodeDir}:/usr/bin:/bin`);
    expect(r.stdout).toBe('ran chrome-extension://x/ a b\n');
  });

  it('the usual places when neither is there', () => {
    const r = run(launcherScript(fakeHelper(), join(home, 'gone/node'), ['/nonexistent/node', process.execPath]), '/nonexistent');
    expect(r.stdout).toBe('ran chrome-extension://x/ a b\n');
  });

  it('none at all: says so on stderr and fails', () => {
    const r = run(launcherScript(fakeHelper(), join(home, 'gone/node'), []), '/nonexistent');
    expect(r.status).toBe(127);
    expect(r.stderr).toMatch(/Node\.js not found .*install Node\.js 20 or later/);
  });

  it('the installed launcher runs the installed copy', () => {
    install({ browsers: ['firefox'], system: false, place, chromeIds: [], bundle: fakeHelper(), node: process.execPath });
    const out = execFileSync(join(home, '.local/share/iceguard-helper/iceguard-helper'), ['x'], { env: { PATH: '/nonexistent' }, encoding: 'utf8' });
    expect(out).toBe('ran x\n');
  });
});
