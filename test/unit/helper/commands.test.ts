// The commands as a user runs them, in a fake home with IceGuard installed in Chromium and Firefox:
// `install` allows what it finds (or only the ids given), says what it found, and `status` lists the
// builds and flags one the installed manifest would refuse.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCommand, USAGE } from '../../../helper/commands';
import { TEST_CHROME_ID } from '../../../helper/install';
import type { Place } from '../../../helper/paths';
import { GECKO_ID, HOST_NAME } from '../../../src/shared/helper-protocol';

let home: string;
let place: Place;
let lines: string[];
const FOUND = 'k'.repeat(32);
const GIVEN = 'm'.repeat(32);

const write = (file: string, content: unknown) => {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(content));
};
const run = (...argv: string[]) => {
  lines = [];
  runCommand(argv, { place, bundle: join(__dirname, '../../../helper/cli.ts'), node: process.execPath, out: (l) => lines.push(...l.split('\n')) });
  return lines;
};
const manifest = (file: string) => JSON.parse(readFileSync(join(home, file, `${HOST_NAME}.json`), 'utf8')) as Record<string, unknown>;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'iceguard-commands-'));
  place = { platform: 'linux', home, env: {} };
  const ext = join(home, 'Default/Extensions', FOUND, '0.1.0_0');
  write(join(ext, 'manifest.json'), { name: 'IceGuard', version: '0.1.0', permissions: ['nativeMessaging'] });
  write(join(home, '.config/chromium/Default/Preferences'), { extensions: { settings: { [FOUND]: { path: ext } } } });
  write(join(home, '.mozilla/firefox/p.default/extensions.json'), { addons: [{ id: GECKO_ID, type: 'extension', version: '0.1.0' }] });
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('install', () => {
  it('without --chrome-id: allows the test build and every build it finds, and says which', () => {
    run('install');
    expect(lines).toContain(`found IceGuard 0.1.0 in chromium: ${FOUND} (${join(home, '.config/chromium/Default')})`);
    expect(lines).toContain(`found IceGuard 0.1.0 in firefox: ${GECKO_ID} (${join(home, '.mozilla/firefox/p.default')})`);
    expect(lines).toContain(`Chrome/Chromium ids allowed: ${TEST_CHROME_ID}, ${FOUND}`);
    const origins = [`chrome-extension://${TEST_CHROME_ID}/`, `chrome-extension://${FOUND}/`];
    expect(manifest('.config/chromium/NativeMessagingHosts').allowed_origins).toEqual(origins);
    expect(manifest('.config/google-chrome/NativeMessagingHosts').allowed_origins).toEqual(origins);
    expect(manifest('.mozilla/native-messaging-hosts').allowed_extensions).toEqual([GECKO_ID]);
  });

  it('with --chrome-id: the given ids only (found ones are reported, not allowed)', () => {
    run('install', '--browser', 'chromium', '--chrome-id', GIVEN);
    expect(lines).toContain(`found IceGuard 0.1.0 in chromium: ${FOUND} (${join(home, '.config/chromium/Default')})`);
    expect(manifest('.config/chromium/NativeMessagingHosts').allowed_origins).toEqual([`chrome-extension://${TEST_CHROME_ID}/`, `chrome-extension://${GIVEN}/`]);
    expect(lines.some((l) => l.startsWith('Firefox'))).toBe(false);
  });

  it('a broken profile file is noted and the install goes on', () => {
    writeFileSync(join(home, '.config/chromium/Default/Preferences'), '{');
    run('install', '--browser', 'chromium');
    expect(lines).toContainEqual(expect.stringMatching(/^note: skipped .*\/chromium\/Default\/Preferences: .*JSON/));
    expect(manifest('.config/chromium/NativeMessagingHosts').allowed_origins).toEqual([`chrome-extension://${TEST_CHROME_ID}/`]);
  });
});

describe('status', () => {
  it('lists the builds found, and flags one the installed manifest does not allow', () => {
    run('install', '--browser', 'chromium', '--chrome-id', GIVEN);
    run('status', '--browser', 'chromium');
    expect(lines[0]).toMatch(new RegExp(`^chromium: installed .*; does NOT allow ${FOUND}: run install --chrome-id ${FOUND}$`));
    expect(lines).toContain(`found IceGuard 0.1.0 in chromium: ${FOUND} (${join(home, '.config/chromium/Default')})`);
    run('install', '--browser', 'chromium');
    expect(run('status', '--browser', 'chromium')[0]).not.toMatch(/NOT allow/);
  });

  it('help and unknown words print the usage; bad options throw', () => {
    expect(run('help')).toEqual(USAGE.split('\n'));
    expect(() => run('install', '--browser', 'safari')).toThrow(/--browser/);
  });
});
