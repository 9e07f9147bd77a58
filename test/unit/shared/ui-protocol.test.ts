import { describe, expect, it } from 'vitest';
import { UI_CHANNEL } from '../../../src/shared/ui-protocol';

const why = (v: unknown) => {
  const r = UI_CHANNEL.read(v);
  return r.ok ? 'ok' : r.error;
};

describe('UI channel', () => {
  it('reads every kind the pages send', () => {
    const good = [
      { ui: 'tab-state', tabId: 3 },
      { ui: 'settings' },
      { ui: 'set-setting', key: 'defaultMode', value: 'relay-only' },
      { ui: 'set-setting', key: 'prompts', value: { rawHost: false, failed: true, firstUse: false } },
      { ui: 'set-setting', key: 'sites', value: { 'https://a.example': 'off' } },
      { ui: 'set-site', site: 'https://a.example', mode: 'direct' },
      { ui: 'set-site', site: 'https://a.example', mode: null },
      { ui: 'clear-sites' },
      { ui: 'allow-once', tabId: 1, site: 'https://a.example' },
      { ui: 'end-once', tabId: 1, site: 'https://a.example' },
      { ui: 'import', text: '{}' },
      { ui: 'export' },
      { ui: 'dismiss-problems' },
      { ui: 'prompt', id: 'abc' },
      { ui: 'prompt-answer', id: 'abc', answer: 'once' },
      { ui: 'errors' },
    ];
    for (const m of good) expect(UI_CHANNEL.read(m), JSON.stringify(m)).toEqual({ ok: true, value: m });
  });

  it('set-setting: only known keys, each with a value of its type, named as the options page shows them', () => {
    expect(why({ ui: 'set-setting', key: 'defaultMode', value: 'sometimes' })).toBe('defaultMode is not one of direct, srflx-only, relay-only, off');
    expect(why({ ui: 'set-setting', key: 'lanNames', value: 'yes' })).toBe('lanNames is not true or false');
    expect(why({ ui: 'set-setting', key: 'floor', value: 'always' })).toBe('floor is not one of none, public-interface-only, disable-non-proxied-udp');
    expect(why({ ui: 'set-setting', key: 'prompts', value: { sometimes: true } })).toBe('prompts has an unknown trigger "sometimes"');
    expect(why({ ui: 'set-setting', key: 'sites', value: { 'https://a.example/x': 'off' } })).toMatch(/^sites "https:\/\/a.example\/x" is not a site/);
    expect(why({ ui: 'set-setting', key: 'autoAllow', value: true })).toBe('autoAllow is not a setting');
    expect(why({ ui: 'set-setting', key: '__proto__', value: {} })).toBe('__proto__ is not a setting');
    expect(why({ ui: 'set-setting', key: 'lanNames' })).toBe('lanNames is not true or false');
    expect(why({ ui: 'set-setting', key: 'lanNames', value: true, extra: 1 })).toBe('extra is not expected here');
    expect(why({ ui: 'set-setting', key: 'sites', value: JSON.parse('{"__proto__": "off"}') })).toMatch(/^sites "__proto__" is not a site/);
  });

  it('refuses unknown kinds, wrong types, extra keys and prototype keys, never throwing', () => {
    const bad: [unknown, string][] = [
      [undefined, 'is not an object'],
      ['tab-state', 'is not an object'],
      [{ ui: 'reboot' }, 'unknown request "reboot"'],
      [{ ui: 'toString' }, 'unknown request "toString"'],
      [{ ui: 'tab-state', tabId: '3' }, 'tabId is not a number'],
      [{ ui: 'tab-state', tabId: 1.5 }, 'tabId is not a whole number'],
      [{ ui: 'tab-state' }, 'tabId is missing'],
      [{ ui: 'set-site', site: 'https://a.example', mode: 'sometimes' }, 'mode is not one of direct, srflx-only, relay-only, off'],
      [{ ui: 'set-site', site: 'x'.repeat(2049), mode: null }, 'site is longer than 2048 characters'],
      [{ ui: 'prompt', id: 'x'.repeat(65) }, 'id is longer than 64 characters'],
      [{ ui: 'prompt-answer', id: 'a', answer: 'maybe' }, 'answer is not one of hide, once, always, block'],
      [{ ui: 'settings', tabId: 1 }, 'tabId is not expected here'],
      [JSON.parse('{"ui": "export", "__proto__": {"isAdmin": true}}'), '__proto__ is not an allowed key'],
      [{ ui: 'import', text: { length: 3 } }, 'text is not a string'],
    ];
    for (const [v, reason] of bad) expect(why(v), JSON.stringify(v)).toBe(reason);
  });

  it('the request read is a fresh object with the declared keys only', () => {
    const sent = { ui: 'prompt', id: 'abc' };
    const r = UI_CHANNEL.read(sent);
    expect(r.ok && r.value).not.toBe(sent);
  });
});
