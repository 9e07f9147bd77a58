import { describe, expect, it } from 'vitest';
import { channel } from '../../../src/shared/schema';
import { testRequests } from '../../../src/shared/test-bridge-protocol';

// As the background reads them (src/background/test-bridge.ts).
const requests = channel('type', testRequests(), { extra: 'ignore', noun: 'test request' });

describe('test bridge requests', () => {
  it('reads what the browser tests send, as leniently as the bridge always did', () => {
    for (const m of [
      { type: 'ping' },
      { type: 'ui', request: { ui: 'settings' } },
      { type: 'set-site-mode', origin: 'https://a.example', mode: null },
      { type: 'storage-get', area: 'session' },
      { type: 'storage-set', items: { sites: 'junk', version: 99 } },
      { type: 'test-policy', policy: null },
      { type: 'close-window', windowId: 3 },
      { type: 'badge' },
      { type: 'badge', tabId: 7 },
      { type: 'remove-origins', origins: ['<all_urls>'] },
    ]) {
      expect(requests.read(m), JSON.stringify(m)).toEqual({ ok: true, value: m });
    }
    expect(requests.read({ type: 'ping', extra: 1 })).toEqual({ ok: true, value: { type: 'ping' } });
  });

  it('refuses what the background cannot answer, with the reason', () => {
    expect(requests.read({ type: 'reboot' })).toEqual({ ok: false, error: 'unknown test request "reboot"' });
    expect(requests.read({ type: 'set-site-mode', origin: 'https://a.example', mode: 'sometimes' })).toEqual({ ok: false, error: 'mode is not one of direct, srflx-only, relay-only, off' });
    expect(requests.read({ type: 'storage-get', area: 'sync' })).toEqual({ ok: false, error: 'area is not one of local, session' });
    expect(requests.read({ type: 'storage-set', items: JSON.parse('{"__proto__": {}}') })).toEqual({ ok: false, error: 'items.__proto__ is not an allowed key' });
    expect(requests.read({ type: 'close-window' })).toEqual({ ok: false, error: 'windowId is missing' });
    expect(requests.read({ type: 'remove-origins', origins: '<all_urls>' }).ok).toBe(false);
  });
});
