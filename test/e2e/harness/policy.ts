// Enterprise policy delivered to a browser the way an administrator delivers it (issue #6), without
// touching the machine for anything else: each browser gets its own mount namespace (`ip netns exec`
// makes one, with `/` private, so no mount inside propagates out), and a temp folder is bind-mounted
// over the system folder the browser reads its policy from. The mounts end with the browser's last
// process; the temp folders go with the browser's scope.
//   - Chromium: `/etc/chromium` (a copy of `master_preferences` plus `policies/managed/<file>.json`).
//   - Firefox: `/usr/share/firefox-esr/distribution` (the target of `<install>/distribution`; a copy of
//     `searchplugins/` plus `policies.json`), and the per-user managed-storage manifest
//     `$HOME/.mozilla/managed-storage/<id>.json`, HOME being the browser's temp folder anyway.
import { cpSync, existsSync, mkdirSync, readlinkSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const CHROMIUM_ETC = '/etc/chromium';
export const FIREFOX_DISTRIBUTION = '/usr/share/firefox-esr/distribution';
export const FIREFOX_ID = 'iceguard@iceguard';

/**
 * A policy file the test can rewrite while the browser runs. Measured: Chromium delivers an edit about
 * 5 s later; Firefox reads policies.json at start and a managed-storage manifest once per start of the
 * extension, so there an edit applies at the next start.
 */
export interface PolicyFile {
  /** The file as the harness wrote it (outside the browser's mount namespace). */
  readonly path: string;
  /** Where the browser sees it. */
  readonly seenAs: string;
  /** Replaces what the file delivers (the same shape as given at launch), in one rename. */
  update(policy: object): void;
}

/** Chromium's policy file content that gives extension `id` the policy `data` (`3rdparty.extensions`). */
export function chromiumExtensionPolicy(id: string, data: object): object {
  return { '3rdparty': { extensions: { [id]: data } } };
}

/** Firefox's policies.json content that gives extension `id` the policy `data` (`3rdparty.Extensions`). */
export function firefoxExtensionPolicies(id: string, data: object): object {
  return { policies: { '3rdparty': { Extensions: { [id]: data } } } };
}

function writeAtomically(path: string, text: string): void {
  // A rename, so the browser never reads half a file (Chromium watches the folder).
  const tmp = join(dirname(path), `.${Date.now()}.tmp`);
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

function policyFile(path: string, seenAs: string, render: (policy: object) => string, first: object): PolicyFile {
  writeAtomically(path, render(first));
  return { path, seenAs, update: (policy) => writeAtomically(path, render(policy)) };
}

/**
 * Writes into `dir` a script run as `sh <script> SOURCE TARGET command...` inside the browser's
 * namespace: it bind-mounts SOURCE over TARGET, then execs the command (so the PID stays the
 * browser's). It refuses to mount unless it runs in a mount namespace other than ours: the host
 * would see the mount otherwise.
 */
export function mountScript(dir: string): string {
  const hostNs = readlinkSync('/proc/self/ns/mnt');
  const script = join(dir, 'mount-then-exec.sh');
  writeFileSync(
    script,
    [
      '#!/bin/sh',
      `if [ "$(readlink /proc/self/ns/mnt)" = '${hostNs}' ]; then echo 'iceguard: no private mount namespace' >&2; exit 97; fi`,
      'mount --bind "$1" "$2" || exit 98',
      'shift 2',
      'exec "$@"',
      '',
    ].join('\n'),
  );
  return script;
}

/**
 * Fills `etc` (to be mounted over /etc/chromium) with a copy of what /etc/chromium holds and the
 * managed policy file `content`.
 */
export function chromiumPolicyFolder(etc: string, content: object): PolicyFile {
  if (existsSync(CHROMIUM_ETC)) cpSync(CHROMIUM_ETC, etc, { recursive: true });
  const managed = join(etc, 'policies', 'managed');
  mkdirSync(managed, { recursive: true });
  const name = 'iceguard-test.json';
  return policyFile(join(managed, name), join(CHROMIUM_ETC, 'policies', 'managed', name), (p) => JSON.stringify(p, null, 2), content);
}

/** Fills `dist` (to be mounted over Firefox's distribution folder) with a copy of it and `policies.json`. */
export function firefoxDistributionFolder(dist: string, policies: object): PolicyFile {
  if (existsSync(FIREFOX_DISTRIBUTION)) cpSync(FIREFOX_DISTRIBUTION, dist, { recursive: true });
  mkdirSync(dist, { recursive: true });
  return policyFile(join(dist, 'policies.json'), join(FIREFOX_DISTRIBUTION, 'policies.json'), (p) => JSON.stringify(p, null, 2), policies);
}

/** Writes the managed-storage manifest for `id` under `home` (Firefox reads `$HOME/.mozilla/managed-storage`). */
export function firefoxManagedStorage(home: string, data: object, id = FIREFOX_ID): PolicyFile {
  const folder = join(home, '.mozilla', 'managed-storage');
  mkdirSync(folder, { recursive: true });
  const render = (d: object) => JSON.stringify({ name: id, description: 'IceGuard test policy', type: 'storage', data: d }, null, 2);
  return policyFile(join(folder, `${id}.json`), `~/.mozilla/managed-storage/${id}.json`, render, data);
}
