// The `iceguard-lan-helper` npm package as a user gets it: built by build.mjs, packed by npm, unpacked
// in a folder with no repository (and no node_modules) around it, where its bin must still install and
// report, and the helper it installs must run after the package is gone.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELPER_VERSION } from '../../../helper/host';
import { HOST_NAME } from '../../../src/shared/helper-protocol';

const root = join(import.meta.dirname, '../../..');
const out = mkdtempSync(join(tmpdir(), 'iceguard-helper-package-'));
const pkgDir = join(out, 'helper-package');
const pkg = () => JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as Record<string, unknown>;

beforeAll(() => {
  execFileSync(process.execPath, ['build.mjs', '--helper', '--out', out], { cwd: root, stdio: 'pipe' });
}, 60_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the package folder build.mjs writes', () => {
  it('is publishable: name, the extension\'s version, licence, bin, files, engines, no runtime dependencies', () => {
    const { version } = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as { version: string };
    expect(pkg()).toMatchObject({
      name: 'iceguard-lan-helper',
      version,
      license: 'MPL-2.0',
      bin: { 'iceguard-lan-helper': 'bin/iceguard-lan-helper.mjs' },
      engines: { node: '>=20' },
    });
    // The helper says its version to the extension (the options page shows it): the package's.
    expect(HELPER_VERSION).toBe(version);
    expect(pkg().private).toBeUndefined();
    expect(pkg().dependencies).toBeUndefined();
    const bin = join(pkgDir, 'bin/iceguard-lan-helper.mjs');
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(statSync(bin).mode & 0o111).not.toBe(0);
    expect(readFileSync(join(pkgDir, 'LICENSE'), 'utf8')).toMatch(/^Mozilla Public License Version 2\.0/);
    expect(readFileSync(join(pkgDir, 'README.md'), 'utf8')).toBe(readFileSync(join(root, 'helper/README.md'), 'utf8'));
    // What the bundle took from node_modules, with each licence it ships under.
    const notices = readFileSync(join(pkgDir, 'THIRD-PARTY-LICENSES.txt'), 'utf8');
    for (const name of ['multicast-dns', 'dns-packet', 'thunky']) expect(notices).toMatch(new RegExp(`^${name} [\\d.]+ \\(MIT\\)$`, 'm'));
  });

  it('packs, and works unpacked far from the repository: status, install, and the installed helper alone', () => {
    const packed = JSON.parse(execFileSync('npm', ['pack', pkgDir, '--pack-destination', out, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as Array<{ filename: string; files: Array<{ path: string }> }>;
    expect(packed[0]!.files.map((f) => f.path).sort()).toEqual(['LICENSE', 'README.md', 'THIRD-PARTY-LICENSES.txt', 'bin/iceguard-lan-helper.mjs', 'package.json']);
    const elsewhere = mkdtempSync(join(tmpdir(), 'iceguard-unpacked-'));
    try {
      execFileSync('tar', ['-xzf', join(out, packed[0]!.filename), '-C', elsewhere]);
      const home = join(elsewhere, 'home');
      const env = { PATH: process.env.PATH, HOME: home };
      const bin = (...args: string[]) => execFileSync(process.execPath, [join(elsewhere, 'package/bin/iceguard-lan-helper.mjs'), ...args], { cwd: elsewhere, env, encoding: 'utf8' });
      expect(bin('status')).toMatch(/^chrome: not installed .*\nchromium: not installed .*\nfirefox: not installed .*\nfound no installed IceGuard build/);
      expect(bin('install', '--browser', 'firefox')).toMatch(/installed the IceGuard LAN helper/);
      rmSync(join(elsewhere, 'package'), { recursive: true });
      const launcher = join(home, '.local/share/iceguard-helper/iceguard-helper');
      const status = execFileSync(launcher, ['status', '--browser', 'firefox'], { cwd: elsewhere, env: { HOME: home, PATH: '/nonexistent' }, encoding: 'utf8' });
      expect(status).toMatch(new RegExp(`^firefox: installed \\(${join(home, '.mozilla/native-messaging-hosts', HOST_NAME)}\\.json\\) -> ${launcher}; allowed: iceguard@iceguard$`, 'm'));
      expect(existsSync(join(elsewhere, 'node_modules'))).toBe(false);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  }, 60_000);
});
