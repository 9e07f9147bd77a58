// The store kit (docs/store.md): a reason for every permission the manifest asks for, and none for a
// permission it no longer asks for. `node build.mjs --pack` runs the same check before it zips.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { permissionJustifications } from '../../build.mjs';

const root = join(import.meta.dirname, '../..');
const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as Record<string, unknown>;
const store = readFileSync(join(root, 'docs/store.md'), 'utf8');

describe('permission justifications', () => {
  it('docs/store.md has one line for each permission of manifest.json, and no other', () => {
    expect(permissionJustifications(manifest, store)).toEqual({ missing: [], stale: [] });
  });

  it('names a permission, optional permission or host permission that has no line', () => {
    const more = { ...manifest, optional_permissions: ['tabs'], host_permissions: ['<all_urls>', 'https://example.com/*'] };
    expect(permissionJustifications(more, store).missing).toEqual(['tabs', 'https://example.com/*']);
  });

  it('names a line for a permission the manifest dropped, and ignores a line without a reason', () => {
    const fewer = { ...manifest, optional_permissions: [] };
    expect(manifest.optional_permissions).toEqual(['nativeMessaging']);
    expect(permissionJustifications(fewer, store)).toEqual({ missing: [], stale: ['nativeMessaging'] });
    expect(permissionJustifications(manifest, store.replace(/^- `storage`: .*$/m, '- `storage`: ')).missing).toEqual(['storage']);
  });
});
