// Gathers what the browser tells IceGuard about a tab's page, and shows on the tab's badge when
// IceGuard is not protecting it (src/shared/site-access.ts decides). Asked when a top-level document
// starts loading and when it finished, and for every tab when IceGuard's permissions change.
import browser from 'webextension-polyfill';
import { PING_MESSAGE } from '../shared/messages';
import { originPattern, siteAccess, type SiteAccess } from '../shared/site-access';
import { showBadge } from './badge';
import { readTab } from './tabs';

/** The host permission for every web site (manifest.json `host_permissions`). */
export const ALL_SITES = '<all_urls>';

/** Whether the tab's top-level relay answers (a page IceGuard may not enter has none). */
async function relayAnswers(tabId: number): Promise<boolean> {
  try {
    return (await browser.tabs.sendMessage(tabId, { type: PING_MESSAGE }, { frameId: 0 })) === true;
  } catch {
    return false; // "Receiving end does not exist"
  }
}

const holds = (origins: string[]) => browser.permissions.contains({ origins }).catch(() => false);

/** The tab's access, from its URL (when the browser shows it), the relay and IceGuard's host permissions. */
export async function accessOf(tabId: number): Promise<{ access: SiteAccess; url: string | undefined }> {
  let tab: { url?: string; status?: string };
  try {
    tab = await browser.tabs.get(tabId);
  } catch {
    return { access: 'not-web', url: undefined }; // gone
  }
  const pattern = tab.url ? originPattern(tab.url) : null;
  const [answers, originGranted, allSites] = await Promise.all([relayAnswers(tabId), pattern ? holds([pattern]) : false, holds([ALL_SITES])]);
  const access = siteAccess({ url: tab.url, loading: tab.status === 'loading', relayAnswers: answers, originGranted, allSites });
  return { access, url: tab.url };
}

/** Shows the tab's badge: its activity, or the warning where IceGuard is not protecting the page. */
export async function showAccessBadge(tabId: number): Promise<void> {
  const [{ access }, record] = await Promise.all([accessOf(tabId), readTab(tabId)]);
  await showBadge(tabId, record, access);
}

/** IceGuard's permissions changed (the user granted or took access): every tab's badge again. */
export async function showAllAccessBadges(): Promise<void> {
  const tabs = await browser.tabs.query({});
  await Promise.all(tabs.map((t) => (t.id === undefined ? undefined : showAccessBadge(t.id))));
}
