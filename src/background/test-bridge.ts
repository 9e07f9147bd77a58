// Test builds only: answers the test bridge (see src/shared/test-bridge-protocol.ts).
import { recordError } from './error-log';
import browser, { type Runtime } from 'webextension-polyfill';
import { siteKey } from '../policy';
import { channel } from '../shared/schema';
import { testRequests, type TestReply, type TestRequest } from '../shared/test-bridge-protocol';
import { readFloor } from './floor';
import { readHints } from './hints';
import { setTestPolicy } from './managed';
import { handleUi } from './ui-messages';
import { change, POLICY, setting } from './reactions';
import { decide, reloadSettings } from './settings-store';

const STARTED_AT = Date.now() + Math.random();

async function answer(request: TestRequest, sender: Runtime.MessageSender): Promise<TestReply> {
  switch (request.type) {
    case 'set-site-mode': {
      const site = siteKey(request.origin);
      const mode = request.mode;
      await change([setting('sites')], () => decide(site, mode));
      return { ok: true, type: 'done' };
    }
    case 'ui':
      return { ok: true, type: 'ui', reply: await handleUi(request.request) };
    case 'badge': {
      const tabId = request.tabId ?? sender.tab?.id ?? -1;
      const [text, title, colour] = await Promise.all([
        browser.action.getBadgeText({ tabId }),
        browser.action.getTitle({ tabId }),
        browser.action.getBadgeBackgroundColor({ tabId }),
      ]);
      const hex = colour.slice(0, 3).map((c) => c.toString(16).padStart(2, '0')).join('');
      return { ok: true, type: 'badge', tabId, text, title, colour: `#${hex}` };
    }
    case 'storage-get':
      return { ok: true, type: 'storage', items: await browser.storage[request.area].get(null) };
    case 'storage-set':
      await browser.storage.local.set(request.items);
      await reloadSettings();
      return { ok: true, type: 'done' };
    case 'open-prompt': {
      const open = (await browser.storage.session.get('promptOpen')).promptOpen as { id?: string } | undefined;
      const prompt = open?.id ? (await browser.storage.session.get(`prompt:${open.id}`))[`prompt:${open.id}`] : null;
      return { ok: true, type: 'open-prompt', prompt: prompt ?? null };
    }
    case 'floor':
      return { ok: true, type: 'floor', floor: await readFloor() };
    case 'test-policy':
      return { ok: true, type: 'policy', policy: await change([POLICY], () => setTestPolicy(request.policy)) };
    case 'hints':
      return { ok: true, type: 'hints', hints: await readHints() };
    case 'close-window':
      await browser.windows.remove(request.windowId);
      return { ok: true, type: 'done' };
    case 'remove-origins':
      return { ok: true, type: 'removed', removed: await browser.permissions.remove({ origins: request.origins }) };
    case 'forge':
      return { ok: false, error: 'forge is answered by the relay' };
    case 'record-error':
      await recordError(request.where, new Error(request.message));
      return { ok: true, type: 'done' };
    case 'ping':
      return { ok: true, type: 'pong', browser: __BROWSER__, version: browser.runtime.getManifest().version, id: browser.runtime.id, startedAt: STARTED_AT };
  }
}

export function installTestBridge(): void {
  const requests = channel('type', testRequests(), { extra: 'ignore', noun: 'test request' });
  browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender): Promise<TestReply> | undefined => {
    if (typeof message !== 'object' || message === null || !('testBridge' in message)) return undefined;
    const request = requests.read((message as { testBridge: unknown }).testBridge);
    if (!request.ok) return Promise.resolve({ ok: false, error: request.error });
    return answer(request.value, sender).catch((e: unknown) => ({ ok: false, error: e instanceof Error ? e.message : String(e) }));
  });
}
