import { describe, expect, it } from 'vitest';
import { HELPER_REPLIES, HELPER_REQUESTS, MAX_INTERFACES, MAX_NAMES_PER_REQUEST } from '../../../src/shared/helper-protocol';

const NAME = '0a1b2c3d-1111-4222-8333-444455556666.local';

describe('LAN helper protocol: requests', () => {
  it('reads every kind the extension sends', () => {
    const good = [
      { type: 'hello', version: 1, id: 1 },
      { type: 'register', id: 2, tab: 3, site: 'https://a.example', names: [{ name: NAME, address: '192.168.1.2' }] },
      { type: 'unregister', names: [NAME] },
      { type: 'forget', id: 'x', tab: 3 },
      { type: 'forget', site: 'https://a.example' },
      { type: 'resolve', id: 4, name: NAME },
      { type: 'interfaces', id: 5 },
      { type: 'status' },
    ];
    for (const m of good) expect(HELPER_REQUESTS.read(m), JSON.stringify(m)).toEqual({ ok: true, value: m });
  });

  it('refuses unknown kinds, wrong types and prototype keys with a reason; extra keys are left out', () => {
    const bad: [unknown, string][] = [
      [{ type: 'shutdown' }, 'unknown request type "shutdown"'],
      [{ type: 'register', tab: '3', site: 's', names: [] }, 'tab is not a number'],
      [{ type: 'register', tab: 3, site: 's', names: Array(MAX_NAMES_PER_REQUEST + 1).fill({}) }, `names has more than ${MAX_NAMES_PER_REQUEST} items`],
      [{ type: 'unregister', names: [NAME, 7] }, 'names[1] is not a string'],
      [{ type: 'resolve', name: null }, 'name is not a string'],
      [{ type: 'hello', id: { x: 1 } }, 'id is not a number or a string'],
      [JSON.parse('{"type": "status", "__proto__": {"x": 1}}'), '__proto__ is not an allowed key'],
    ];
    for (const [v, why] of bad) expect(HELPER_REQUESTS.read(v), JSON.stringify(v)).toEqual({ ok: false, error: why });
    // A newer extension may add a field: an older helper reads the request without it.
    expect(HELPER_REQUESTS.read({ type: 'hello', version: 2, features: ['x'] })).toEqual({ ok: true, value: { type: 'hello', version: 2 } });
  });
});

describe('LAN helper protocol: replies', () => {
  it('reads the helper\'s replies; an item it cannot use is left out of a list, the list cut at its bound', () => {
    expect(HELPER_REPLIES.read({ type: 'hello', id: 1, version: 1, helper: '0.1.0', extra: true })).toEqual({ ok: true, value: { type: 'hello', id: 1, version: 1, helper: '0.1.0' } });
    const many = Array.from({ length: MAX_INTERFACES + 3 }, (_, i) => `10.0.0.${i}`);
    const r = HELPER_REPLIES.read({ type: 'interfaces', id: 2, addresses: [42, 'x'.repeat(65), ...many] });
    expect(r.ok && r.value).toEqual({ type: 'interfaces', id: 2, addresses: many.slice(0, MAX_INTERFACES) });
    expect(HELPER_REPLIES.read({ type: 'registered', accepted: [NAME, null], refused: [{ name: 'x', reason: 'full' }, 'junk'] })).toEqual({
      ok: true,
      value: { type: 'registered', accepted: [NAME], refused: [{ name: 'x', reason: 'full' }] },
    });
  });

  it('refuses replies of no known kind or with unusable fields, never throwing', () => {
    for (const v of [null, 'hello', { type: 'hello' }, { type: 'interfaces', addresses: 'x' }, { type: 'surprise' }, { type: 'error' }, JSON.parse('{"type": "status", "__proto__": {}}')]) {
      expect(HELPER_REPLIES.read(v).ok, JSON.stringify(v)).toBe(false);
    }
  });
});
