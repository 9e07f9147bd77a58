// Background entry: a service worker in Chrome, an event page in Firefox. Handlers are registered at
// top level, synchronously, because the worker may be stopped and restarted at any moment; all
// state lives in storage (settings-store.ts, tabs.ts, prompt.ts).
import browser, { type Runtime } from 'webextension-polyfill';
import { logTo, recordError } from './error-log';
import { followPermission, followPolicy, forgetTabNames, onHelperConnected } from './lan-helper';
import { onPolicyChange, watchPolicy } from './managed';
import { onWindowRemoved } from './prompt';
import { changed, POLICY, storageChanged } from './reactions';
import { answerRelay } from './relay-messages';
import { getSettings } from './settings-store';
import { showAccessBadge, showAllAccessBadges } from './site-access';
import { forgetTab, resetTab } from './tabs';
import { installTestBridge } from './test-bridge';
import { answerUi } from './ui-messages';

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => {
  if (__TEST__ && typeof message === 'object' && message !== null && 'testBridge' in message) return undefined;
  return answerUi(message, sender) ?? answerRelay(message, sender);
});

// What follows a change (relays, the browser floor, the mode hints) is reactions.ts's table; here the
// changes come in. Its reactions log their own failures and never reject.
browser.storage.onChanged.addListener((changes, area) => void storageChanged(changes, area));
browser.tabs.onRemoved.addListener((tabId) =>
  void forgetTab(tabId)
    .catch(logTo('forgetting a tab'))
    .then(() => {
      forgetTabNames(tabId);
      return changed({ source: 'tabs', key: 'closed' });
    }),
);
browser.tabs.onUpdated.addListener((tabId, change, tab) => {
  // A new top-level document: its counts start from nothing (once grants stay with the tab). Its badge
  // warns where IceGuard may not enter the site, and once loaded, where its relay did not start.
  if (change.status === 'loading') void resetTab(tabId, tab.url).then(() => showAccessBadge(tabId)).catch(logTo('site access'));
  if (change.status === 'complete') void showAccessBadge(tabId).catch(logTo('site access'));
  if (change.url !== undefined) void changed({ source: 'tabs', key: 'navigated' });
});
// The user granted or took access (sites, the LAN helper's permission): badges and the helper follow.
const permissionsChanged = () => {
  void showAllAccessBadges().catch(logTo('site access'));
  void followPermission().catch(logTo('LAN helper permission'));
};
browser.permissions.onAdded.addListener(permissionsChanged);
browser.permissions.onRemoved.addListener(permissionsChanged);
browser.windows.onRemoved.addListener((windowId) => void onWindowRemoved(windowId));
// Enterprise policy: read at start (the cached copy applies until then), followed when it changes;
// the LAN helper stops if the new policy turns it off.
onPolicyChange(() => {
  void followPolicy().catch(logTo('stopping the LAN helper'));
  void changed(POLICY);
});
watchPolicy();
onHelperConnected(() => changed({ source: 'helper', key: 'connected' }));

// Migrations and repair run at start, not at the first page that asks; then the floor and hints are checked.
void getSettings()
  .catch((e: unknown) => recordError('loading settings', e))
  .then(() => changed({ source: 'start', key: 'settings-loaded' }));

if (__TEST__) installTestBridge();
