// Test builds only: forwards requests posted by a test page to the background and posts the reply
// back. Compiled out of release builds (`__TEST__` is false there, and esbuild drops the code).
import browser from 'webextension-polyfill';
import { TEST_BRIDGE_TAG, type TestWindowMessage } from '../shared/test-bridge-protocol';

/** `localState()` answers `{ type: 'relay-state' }` requests here, without the background. */
export function installTestBridge(localState: () => unknown): void {
  window.addEventListener('message', (event: MessageEvent) => {
    if (event.source !== window) return;
    const data = event.data as Partial<TestWindowMessage> | null;
    if (!data || data.tag !== TEST_BRIDGE_TAG || data.direction !== 'request') return;
    if (typeof data.id !== 'number') return;
    const id = data.id;
    const reply = (body: unknown) => {
      const message: TestWindowMessage = { tag: TEST_BRIDGE_TAG, direction: 'reply', id, body };
      window.postMessage(message, '*');
    };
    if ((data.body as { type?: unknown } | null)?.type === 'relay-state') return reply({ ok: true, type: 'relay-state', state: localState() });
    browser.runtime.sendMessage({ testBridge: data.body }).then(reply, (err: unknown) =>
      reply({ ok: false, error: String(err) }),
    );
  });
}
