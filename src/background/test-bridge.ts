// Test builds only: answers the test bridge (see src/shared/test-bridge-protocol.ts).
import browser from 'webextension-polyfill';
import { isTestRequest, type TestReply } from '../shared/test-bridge-protocol';
import { editSites } from './settings-store';
import { refreshTabs } from './refresh';
import { siteKey } from '../policy';

export function installTestBridge(): void {
  browser.runtime.onMessage.addListener((message: unknown): Promise<TestReply> | undefined => {
    if (typeof message !== 'object' || message === null || !('testBridge' in message)) return undefined;
    const request = (message as { testBridge: unknown }).testBridge;
    if (!isTestRequest(request)) return Promise.resolve({ ok: false, error: 'unknown test request' });
    if (request.type === 'set-site-mode') {
      const site = siteKey(request.origin);
      const mode = request.mode;
      return editSites((sites) => {
        if (mode === null) delete sites[site];
        else sites[site] = mode;
      })
        .then(refreshTabs)
        .then(() => ({ ok: true, type: 'done' }));
    }
    return Promise.resolve({
      ok: true,
      type: 'pong',
      browser: __BROWSER__,
      version: browser.runtime.getManifest().version,
      id: browser.runtime.id,
    });
  });
}
