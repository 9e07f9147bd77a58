// The LAN helper's permission is optional in release builds (issue #17): without it IceGuard does not
// try to connect, and the options page says so and offers the grant; when the organisation turned the
// helper on (LanHelper "required"), it says that too, since a policy cannot grant the permission.
// The release build, with the policy delivered as an administrator would. (The test builds hold
// nativeMessaging from the install: a headless browser shows its permission dialog to no one.)
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterEach, describe, expect, it } from 'vitest';
import { chromiumExtensionPolicy, launch, type Bed, type RunningBrowser } from './harness';
import { DIST } from './harness/browsers';
import { useBed } from './harness/hooks';
import { en, until } from './harness/ui-tools';

let bed: Bed;
useBed((b) => {
  bed = b;
});

/** Chromium's id for an unpacked extension without a key: sha256 of its absolute path, first 16 bytes, a-p. */
function unpackedId(dir: string): string {
  const hex = createHash('sha256').update(realpathSync(dir)).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

interface HelperShown {
  status: string;
  isError: boolean;
  grant: string | null;
  org: boolean;
}

const shownHelper = (p: Page) =>
  p.evaluate((): HelperShown => {
    const visible = (id: string) => document.getElementById(id)?.offsetParent !== null;
    const status = document.getElementById('helper-status');
    return {
      status: status?.textContent ?? '',
      isError: status?.classList.contains('error') ?? false,
      grant: visible('helper-grant') ? (document.getElementById('helper-grant')?.textContent ?? '') : null,
      org: visible('helper-org'),
    };
  });

describe('chromium, release build: the LAN helper without its permission', () => {
  let b: RunningBrowser | undefined;
  afterEach(async () => {
    await b?.close();
    b = undefined;
  });

  async function options(policy?: object): Promise<Page> {
    const id = unpackedId(join(DIST, 'chrome'));
    b = await launch('chromium', { host: bed.lan, extension: 'release', ...(policy ? { chromiumPolicy: chromiumExtensionPolicy(id, policy) } : {}) });
    expect(b.extensionId).toBe(id);
    const p = await b.browser.newPage();
    await p.goto(`chrome-extension://${b.extensionId}/options.html`);
    await p.waitForSelector('#main[aria-busy="false"]', { timeout: 10_000 });
    return p;
  }

  it('says it needs the permission and offers it; IceGuard holds no nativeMessaging', async () => {
    const p = await options();
    expect(await shownHelper(p)).toEqual({ status: en('optionsHelperNeedsPermission'), isError: false, grant: en('optionsHelperGrant'), org: false });
    const held = await p.evaluate(() => (globalThis as unknown as { chrome: { permissions: { getAll(): Promise<{ permissions: string[] }> } } }).chrome.permissions.getAll());
    expect(held.permissions).not.toContain('nativeMessaging');
  });

  it('LanHelper "required": the page says the organisation turned it on, and still offers the grant', async () => {
    const p = await options({ LanHelper: 'required' });
    const shown = await until('the policy on the options page', () => shownHelper(p), (s) => s.org);
    expect(shown).toEqual({ status: en('optionsHelperNeedsPermission'), isError: true, grant: en('optionsHelperGrant'), org: true });
  });
});
