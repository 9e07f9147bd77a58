// Background entry: a service worker in Chrome, an event page in Firefox. Handlers are registered at
// top level, synchronously, because the worker may be stopped and restarted at any moment.
import browser, { type Runtime } from 'webextension-polyfill';
import { answerRelay } from './relay-messages';
import { installTestBridge } from './test-bridge';

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => {
  if (__TEST__ && typeof message === 'object' && message !== null && 'testBridge' in message) return undefined;
  return answerRelay(message, sender);
});

if (__TEST__) installTestBridge();
