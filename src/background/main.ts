// Background entry: a service worker in Chrome, an event page in Firefox. Handlers are registered at
// top level, synchronously, because the worker may be stopped and restarted at any moment; all
// state lives in storage (settings-store.ts, tabs.ts, prompt.ts).
import browser, { type Runtime } from 'webextension-polyfill';
import { logTo, recordError } from './error-log';
import { applyFloor } from './floor';
import { suspendHints, syncHints } from './hints';
import { followPermission, followPolicy, forgetTabNames } from './lan-helper';
import { onPolicyChange, watchPolicy } from './managed';
import { onModeChange } from './mode-change';
import { onWindowRemoved } from './prompt';
import { answerRelay } from './relay-messages';
import { refreshTabs } from './refresh';
import { getSettings } from './settings-store';
import { showAccessBadge, showAllAccessBadges } from './site-access';
import { forgetTab, resetTab } from './tabs';
import { installTestBridge } from './test-bridge';
import { answerUi } from './ui-messages';

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => {
  if (__TEST__ && typeof message === 'object' && message !== null && 'testBridge' in message) return undefined;
  return answerUi(message, sender) ?? answerRelay(message, sender);
});

const floorLater = () => void applyFloor().catch(logTo('floor'));
const hintsLater = () => void syncHints().catch(logTo('mode hints'));
onModeChange({ before: suspendHints, after: hintsLater });
browser.tabs.onRemoved.addListener((tabId) =>
  void forgetTab(tabId).then(() => {
    forgetTabNames(tabId);
    floorLater();
    hintsLater();
  }),
);
browser.tabs.onUpdated.addListener((tabId, change, tab) => {
  // A new top-level document: its counts start from nothing (once grants stay with the tab). Its badge
  // warns where IceGuard may not enter the site, and once loaded, where its relay did not start.
  if (change.status === 'loading') void resetTab(tabId, tab.url).then(() => showAccessBadge(tabId)).catch(logTo('site access'));
  if (change.status === 'complete') void showAccessBadge(tabId).catch(logTo('site access'));
  if (change.url !== undefined) floorLater();
});
// The user granted or took access (sites, the LAN helper's permission): badges and the helper follow.
const permissionsChanged = () => {
  void showAllAccessBadges().catch(logTo('site access'));
  void followPermission().catch(logTo('LAN helper permission'));
};
browser.permissions.onAdded.addListener(permissionsChanged);
browser.permissions.onRemoved.addListener(permissionsChanged);
// Settings and decisions changed (here, in the options page or the prompt): the floor follows.
browser.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && ('floor' in changes || 'floorStrict' in changes || 'sites' in changes || 'defaultMode' in changes)) floorLater();
});
browser.windows.onRemoved.addListener((windowId) => void onWindowRemoved(windowId));
// Enterprise policy: read at start (the cached copy applies until then), followed when it changes.
onPolicyChange(() => {
  void followPolicy().catch(logTo('stopping the LAN helper'));
  void refreshTabs().catch(logTo('refreshing tabs'));
  hintsLater();
  floorLater();
});
watchPolicy();

// Migrations and repair run at start, not at the first page that asks; then the floor is checked.
void getSettings().then(
  () => {
    floorLater();
    hintsLater();
  },
  (e: unknown) => {
    void recordError('loading settings', e);
    floorLater();
  },
);

if (__TEST__) installTestBridge();
