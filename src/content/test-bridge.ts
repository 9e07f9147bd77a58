// Test builds only: forwards requests posted by a test page to the background and posts the reply
// back. Compiled out of release builds (`__TEST__` is false there, and esbuild drops the code).
import { runtime } from './runtime';
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
    const body = data.body as { type?: unknown; message?: unknown } | null;
    if (body?.type === 'relay-state') return reply({ ok: true, type: 'relay-state', state: localState() });
    if (body?.type === 'forge') {
      runtime.sendMessage(body.message).then(
        (r: unknown) => reply({ ok: true, type: 'forged', reply: r === undefined ? null : r }),
        (err: unknown) => reply({ ok: true, type: 'forged', reply: null, error: String(err) }),
      );
      return;
    }
    runtime.sendMessage({ testBridge: data.body }).then(reply, (err: unknown) =>
      reply({ ok: false, error: String(err) }),
    );
  });
}
