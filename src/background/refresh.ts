// A decision changed: every relay fetches its mode again, so gatherings that start from now on get it
// (new connections and ICE restarts; candidates already handed to a page stay handed).
import browser from 'webextension-polyfill';
import { REFRESH_MESSAGE } from '../shared/messages';

export async function refreshTabs(): Promise<void> {
  const tabs = await browser.tabs.query({});
  await Promise.all(
    tabs.map((t) => (t.id === undefined ? undefined : browser.tabs.sendMessage(t.id, { type: REFRESH_MESSAGE }).catch(() => undefined))),
  );
}
