// Where IceGuard has no access to a site, the badge and the popup say so (issue #17). Chromium: the
// user's site access "on click" is set the way chrome://extensions sets it (developerPrivate, from that
// page), since permissions.remove refuses required host permissions ("You cannot remove required
// permissions", measured). With access withheld the page gets raw host addresses (the harm), the
// badge turns to "!", and the popup explains it and offers the grant; with access back, a page opened
// meanwhile is "not running" until reloaded, which the popup's button does.
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backgroundCall, findAddresses, gather, launch, type Bed, type FixtureServer, type RunningBrowser } from './harness';
import { useBed } from './harness/hooks';
import { en, until } from './harness/ui-tools';

let bed: Bed;
let server: FixtureServer;
useBed((b, s) => {
  bed = b;
  server = s;
});

interface Badge {
  text: string;
  title: string;
  colour: string;
}

/** The part of the extension API an extension page of Chromium has that this test reads (no @types/chrome here). */
interface ChromeApi {
  action: {
    getBadgeText(d: { tabId: number }): Promise<string>;
    getTitle(d: { tabId: number }): Promise<string>;
    getBadgeBackgroundColor(d: { tabId: number }): Promise<number[]>;
  };
  /** chrome://extensions only: what its "Site access" menu calls. */
  developerPrivate: { updateExtensionConfiguration(update: { extensionId: string; hostAccess: string }): Promise<void> };
}

/** What the popup shows about access, as a person reads it. */
interface AccessShown {
  warning: boolean;
  text: string;
  site: string;
  grant: string | null;
  reload: boolean;
}

/**
 * A browser with IceGuard and a fixture page open at `origin`, with the permission prompt windows off
 * (not what this tests); the page's tab id, from the test bridge.
 */
async function browserWithPage(kind: 'chromium' | 'firefox', origin: string): Promise<{ b: RunningBrowser; page: Page; tabId: number }> {
  const b = await launch(kind, { host: bed.lan });
  const page = await b.browser.newPage();
  await page.goto(`${origin}/gather.html`);
  const off = await backgroundCall<{ reply?: { ok?: boolean } }>(page, { type: 'ui', request: { ui: 'set-setting', key: 'prompts', value: { rawHost: false, failed: false, firstUse: false } } });
  expect(off.reply?.ok).toBe(true);
  return { b, page, tabId: (await backgroundCall<{ tabId: number }>(page, { type: 'badge' })).tabId };
}

describe('chromium: site access withheld', () => {
  let b: RunningBrowser;
  let site: Page;
  let popup: Page;
  let tabId: number;

  beforeAll(async () => {
    ({ b, page: site, tabId } = await browserWithPage('chromium', server.origins[0]));
    popup = await b.browser.newPage();
  });
  afterAll(async () => {
    await b?.close();
  });

  /** The site tab's badge, read from an extension page (the test bridge needs a relay, which a withheld site has not). */
  const badge = () =>
    popup.evaluate(async (id) => {
      const { action } = (globalThis as unknown as { chrome: ChromeApi }).chrome;
      const [text, title, colour] = await Promise.all([action.getBadgeText({ tabId: id }), action.getTitle({ tabId: id }), action.getBadgeBackgroundColor({ tabId: id })]);
      return { text, title, colour: '#' + colour.slice(0, 3).map((c) => c.toString(16).padStart(2, '0')).join('') } satisfies Badge;
    }, tabId);

  const openPopup = async () => {
    await popup.goto(`chrome-extension://${b.extensionId}/popup.html?tab=${tabId}`);
    await popup.waitForSelector('#main[aria-busy="false"]', { timeout: 10_000 });
  };

  const shown = () =>
    popup.evaluate((): AccessShown => {
      const visible = (id: string) => document.getElementById(id)?.offsetParent !== null;
      return {
        warning: visible('no-access'),
        text: document.getElementById('no-access-text')?.textContent ?? '',
        site: document.getElementById('site')?.textContent ?? '',
        grant: visible('grant-access') ? (document.getElementById('grant-access')?.textContent ?? '') : null,
        reload: visible('reload-tab'),
      };
    });

  /** Sets IceGuard's site access as the chrome://extensions page does. */
  async function siteAccess(hostAccess: 'ON_CLICK' | 'ON_ALL_SITES'): Promise<void> {
    const page = await b.browser.newPage();
    try {
      await page.goto('chrome://extensions/');
      await page.evaluate(
        (extensionId, access) => (globalThis as unknown as { chrome: ChromeApi }).chrome.developerPrivate.updateExtensionConfiguration({ extensionId, hostAccess: access }),
        b.extensionId!,
        hostAccess,
      );
    } finally {
      await page.close();
    }
  }

  const leaked = async () => {
    const seen = await gather(site, { getUserMedia: true });
    expect(seen.complete).toBe(true);
    return findAddresses(JSON.stringify(seen), bed.lan.addresses);
  };

  it('with access: no warning, and the page gets no host address', async () => {
    await site.bringToFront();
    expect(await leaked()).toEqual([]);
    await openPopup();
    expect(await shown()).toMatchObject({ warning: false, grant: null, reload: false });
    expect((await badge()).text).not.toBe('!');
  });

  it('"on click": the page is unprotected (raw host addresses), the badge says "!" and the popup offers access to all sites', async () => {
    await siteAccess('ON_CLICK');
    await site.reload();
    await site.bringToFront();
    expect(await leaked()).not.toEqual([]); // the harm the warning is about
    const warned = await until('the warning badge', badge, (x) => x.text === '!');
    // The browser shows IceGuard no address for the tab: it may be a web site IceGuard cannot enter.
    expect(warned).toEqual({ text: '!', title: en('badgeTitleHiddenPage'), colour: '#b3261e' });
    await openPopup();
    expect(await shown()).toEqual({ warning: true, text: en('popupNoAccessHidden'), site: en('popupUnknownPage'), grant: en('popupGrantAllSites'), reload: false });
  });

  it('access back: a page opened meanwhile is "not running" until reloaded; the popup\'s button reloads it and the warning goes', async () => {
    await siteAccess('ON_ALL_SITES');
    // permissions.onAdded: the badge follows without a reload, and says what is left to do.
    const notRunning = await until('the not-running badge', badge, (x) => x.title === en('badgeTitleNotRunning'));
    expect(notRunning.text).toBe('!');
    await openPopup();
    expect(await until('the popup', shown, (s) => s.reload)).toEqual({ warning: true, text: en('popupNoAccessNotRunning'), site: server.origins[0], grant: null, reload: true });
    await popup.click('#reload-tab');
    await until('the badge after the reload', badge, (x) => x.text !== '!');
    expect(await until('the popup after the reload', shown, (s) => !s.warning)).toMatchObject({ warning: false, site: server.origins[0] });
    await site.bringToFront();
    expect(await leaked()).toEqual([]);
  });
});

// Firefox: MV3 host permissions are the user's to take (about:addons, "Permissions"); the test takes
// `<all_urls>` away through the background as that page does (permissions.remove). BiDi cannot open
// moz-extension:// pages, so the badge is read through the test bridge of a page opened before: its
// relay keeps running (measured), while the page loaded afterwards gets none.
describe('firefox: host permission taken away', () => {
  /** The browser, the page whose relay answers for the test, and the page that loses IceGuard. */
  let ff: { b: RunningBrowser; bridge: Page; site: Page; siteTab: number } | undefined;
  const opened = () => ff ?? expect.unreachable('the browser did not start');

  beforeAll(async () => {
    const { b, page: bridge } = await browserWithPage('firefox', server.origins[0]);
    const site = await b.browser.newPage();
    await site.goto(`${server.origins[1]}/gather.html`);
    ff = { b, bridge, site, siteTab: (await backgroundCall<{ tabId: number }>(site, { type: 'badge' })).tabId };
  });
  afterAll(() => ff?.b.close());

  const badge = () => backgroundCall<Badge>(opened().bridge, { type: 'badge', tabId: opened().siteTab }).then(({ text, title, colour }) => ({ text, title, colour }));

  it('with access: no host address, no warning', async () => {
    const seen = await gather(opened().site, { getUserMedia: true });
    expect(findAddresses(JSON.stringify(seen), bed.lan.addresses)).toEqual([]);
    expect((await badge()).text).not.toBe('!');
  });

  it('the page loaded without access gets raw host addresses, and its badge says "!"', async () => {
    const { bridge, site } = opened();
    const removed = await backgroundCall<{ ok?: boolean; removed?: boolean }>(bridge, { type: 'remove-origins', origins: ['<all_urls>'] });
    expect(removed).toMatchObject({ ok: true, removed: true });
    await site.reload();
    const seen = await gather(site, { getUserMedia: true });
    expect(findAddresses(JSON.stringify(seen), bed.lan.addresses)).not.toEqual([]);
    expect(await until('the warning badge', badge, (x) => x.text === '!')).toEqual({ text: '!', title: en('badgeTitleHiddenPage'), colour: '#b3261e' });
  });
});
