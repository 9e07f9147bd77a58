// Finding the IceGuard builds installed in a user's browsers, in a fake home laid out as Chromium and
// Firefox lay out theirs (measured: Chromium 156 writes `extensions.settings.<id>` with `path` and no
// manifest for an unpacked build; Firefox ESR writes extensions.json `addons`). Broken files are
// skipped with a note, never fatal.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeScan, findInstalledBuilds, isIceGuard } from '../../../helper/find-ids';
import type { Place } from '../../../helper/paths';
import { GECKO_ID } from '../../../src/shared/helper-protocol';

let home: string;
beforeEach(() => void (home = mkdtempSync(join(tmpdir(), 'iceguard-find-'))));
afterEach(() => rmSync(home, { recursive: true, force: true }));

const write = (file: string, content: unknown) => {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
};
const ids = { unpacked: 'a'.repeat(32), packed: 'b'.repeat(32), other: 'c'.repeat(32), pdf: 'd'.repeat(32), noNative: 'e'.repeat(32), secure: 'f'.repeat(32), gone: 'g'.repeat(32) };

/** IceGuard's manifest as the build writes it: the name from _locales, the short name plain. */
function writeIceGuard(dir: string, version: string, nameOnlyFromLocale = false) {
  const manifest: Record<string, unknown> = { manifest_version: 3, name: '__MSG_extName__', default_locale: 'en', version, permissions: ['storage', 'nativeMessaging'] };
  if (!nameOnlyFromLocale) manifest.short_name = 'IceGuard';
  write(join(dir, 'manifest.json'), manifest);
  write(join(dir, '_locales/en/messages.json'), { EXTNAME: { message: 'IceGuard' } });
}

/** One Chromium user-data folder with the cases a real one can hold. */
function fakeChromium(userData: string) {
  const profile = join(userData, 'Default');
  writeIceGuard(join(home, 'src/iceguard/dist/chrome'), '0.1.0', true);
  writeIceGuard(join(profile, 'Extensions', ids.packed, '0.2.0_0'), '0.2.0');
  write(join(profile, 'Extensions', ids.other, '1.0_0/manifest.json'), { name: 'Other', permissions: ['nativeMessaging'], version: '1.0' });
  write(join(profile, 'Preferences'), {
    extensions: {
      settings: {
        [ids.unpacked]: { location: 8, path: join(home, 'src/iceguard/dist/chrome'), from_webstore: false },
        [ids.packed]: { location: 1, path: `${ids.packed}/0.2.0_0`, from_webstore: true },
        [ids.other]: { location: 1, path: `${ids.other}/1.0_0` },
        [ids.pdf]: { location: 5, path: '/usr/lib/chromium/resources/pdf', manifest: { name: 'Chromium PDF Viewer', version: '1' } },
        [ids.noNative]: { location: 1, path: 'x/1', manifest: { name: 'IceGuard', version: '9' } },
        [ids.gone]: { location: 4, path: join(home, 'deleted-folder') },
        'not-an-id': { path: join(home, 'src/iceguard/dist/chrome') },
      },
    },
  });
  write(join(userData, 'Profile 1/Preferences'), '{ broken');
  write(join(userData, 'Profile 2/Secure Preferences'), { extensions: { settings: { [ids.secure]: { path: 'p/1', manifest: { name: 'IceGuard', short_name: 'IceGuard', version: '0.3.0', permissions: ['nativeMessaging'] } } } } });
}

function fakeFirefox(root: string) {
  write(join(root, 'abc.default-release/extensions.json'), {
    schemaVersion: 36,
    addons: [
      { id: GECKO_ID, type: 'extension', version: '0.1.0', location: 'app-profile', active: true, defaultLocale: { name: 'IceGuard' } },
      { id: 'fork@example.org', type: 'extension', version: '0.1.1', defaultLocale: { name: 'IceGuard' } },
      { id: 'other@example.org', type: 'extension', version: '1', defaultLocale: { name: 'Other' } },
      { id: 'theme@example.org', type: 'theme', version: '1', defaultLocale: { name: 'IceGuard' } },
      'not an add-on',
    ],
  });
  write(join(root, 'broken.profile/extensions.json'), 'nope');
}

describe('finding installed IceGuard builds', () => {
  it('Linux: Chromium profiles (unpacked, packed, Secure Preferences) and Firefox profiles', () => {
    const place: Place = { platform: 'linux', home, env: {} };
    fakeChromium(join(home, '.config/chromium'));
    write(join(home, '.config/google-chrome/Default/Preferences'), '[]');
    fakeFirefox(join(home, '.mozilla/firefox'));
    const scan = findInstalledBuilds(place, ['chrome', 'chromium', 'firefox']);
    expect(scan.found.map((f) => [f.browser, f.id, f.version])).toEqual([
      ['chromium', ids.unpacked, '0.1.0'],
      ['chromium', ids.packed, '0.2.0'],
      ['chromium', ids.secure, '0.3.0'],
      ['firefox', GECKO_ID, '0.1.0'],
      ['firefox', 'fork@example.org', '0.1.1'],
    ]);
    expect(scan.found[0]!.profile).toBe(join(home, '.config/chromium/Default'));
    expect(scan.notes).toEqual([
      expect.stringMatching(/google-chrome\/Default\/Preferences: not a JSON object$/),
      expect.stringMatching(/chromium\/Profile 1\/Preferences: .*JSON/),
      expect.stringMatching(/broken\.profile\/extensions\.json: .*JSON/),
    ]);
    expect(describeScan(scan)).toContain(`found IceGuard 0.2.0 in chromium: ${ids.packed} (${join(home, '.config/chromium/Default')})`);
  });

  it('macOS: the Library folders', () => {
    const place: Place = { platform: 'darwin', home, env: {} };
    fakeChromium(join(home, 'Library/Application Support/Google/Chrome'));
    fakeFirefox(join(home, 'Library/Application Support/Firefox/Profiles'));
    const scan = findInstalledBuilds(place, ['chrome', 'chromium', 'firefox']);
    expect(scan.found.filter((f) => f.browser === 'chrome').map((f) => f.id)).toEqual([ids.unpacked, ids.packed, ids.secure]);
    expect(scan.found.filter((f) => f.browser === 'firefox').map((f) => f.id)).toEqual([GECKO_ID, 'fork@example.org']);
  });

  it('only the browsers asked for; with a user-data folder given, Chromium is looked for there only', () => {
    const place: Place = { platform: 'linux', home, env: {} };
    fakeChromium(join(home, '.config/chromium'));
    fakeFirefox(join(home, '.mozilla/firefox'));
    expect(findInstalledBuilds(place, ['firefox']).found.every((f) => f.browser === 'firefox')).toBe(true);
    const elsewhere = join(home, 'elsewhere');
    mkdirSync(elsewhere);
    expect(findInstalledBuilds(place, ['chromium'], elsewhere).found).toEqual([]);
    expect(findInstalledBuilds(place, ['chrome', 'chromium'], join(home, '.config/chromium')).found.map((f) => f.browser)).toEqual(['chrome', 'chrome', 'chrome']);
  });

  it('an empty home: nothing found, nothing noted, said plainly', () => {
    const scan = findInstalledBuilds({ platform: 'linux', home, env: {} }, ['chrome', 'chromium', 'firefox']);
    expect(scan).toEqual({ found: [], notes: [] });
    expect(describeScan(scan)).toEqual([expect.stringMatching(/found no installed IceGuard build/)]);
  });
});

describe('recognising IceGuard\'s manifest', () => {
  it('by name or short name, and only with the permission it needs the helper for', () => {
    expect(isIceGuard({ name: 'IceGuard', permissions: ['nativeMessaging'] }, home)).toBe(true);
    expect(isIceGuard({ name: 'x', short_name: 'IceGuard', permissions: ['nativeMessaging'] }, home)).toBe(true);
    expect(isIceGuard({ name: 'IceGuard', permissions: ['storage'] }, home)).toBe(false);
    // Release builds ask for it when the helper is turned on: an optional permission counts.
    expect(isIceGuard({ name: 'IceGuard', permissions: ['storage'], optional_permissions: ['nativeMessaging'] }, home)).toBe(true);
    expect(isIceGuard({ name: 'IceGuard Pro', permissions: ['nativeMessaging'] }, home)).toBe(false);
    // A locale that is missing (no error: nothing to note) or has no message there: not recognised.
    const notes: string[] = [];
    expect(isIceGuard({ name: '__MSG_extName__', default_locale: 'fr', permissions: ['nativeMessaging'] }, home, notes)).toBe(false);
    write(join(home, '_locales/de/messages.json'), { extName: 'IceGuard' });
    expect(isIceGuard({ name: '__MSG_extName__', default_locale: 'de', permissions: ['nativeMessaging'] }, home, notes)).toBe(false);
    expect(notes).toEqual([]);
  });
});
