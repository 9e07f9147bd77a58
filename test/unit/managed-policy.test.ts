// Enterprise policy as read from storage.managed (src/shared/managed-policy.ts): every key checked
// alone, a bad key ignored whole with its reason, never a throw, never a partial rule list.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lockedSettings, parsePolicy, POLICY_KEYS } from '../../src/shared/managed-policy';
import { matchesSite, resolveSiteMode } from '../../src/policy';

describe('parsePolicy', () => {
  it('no policy: an empty object, a non-object, or only nulls', () => {
    for (const raw of [{}, null, undefined, 42, 'x', [], { DefaultMode: null }]) {
      const p = parsePolicy(raw);
      expect(p.present).toBe(false);
      expect(p.errors).toEqual([]);
      expect(p.rules).toEqual([]);
    }
  });

  it('reads every key of a full policy', () => {
    const p = parsePolicy({
      DefaultMode: 'relay-only',
      LanNames: false,
      SiteModes: [
        { url: 'https://meet.example.com', mode: 'direct' },
        { url: '*.example.com', mode: 'off' },
      ],
      DirectAllowedUrls: ['https://[*.]calls.example.org'],
      AllowUserDirect: false,
      PromptTriggers: { FirstUse: true },
      BrowserFloor: { Level: 'public-interface-only', Strict: true },
      LanHelper: 'required',
      Locked: true,
    });
    expect(p.errors).toEqual([]);
    expect(p).toMatchObject({
      present: true,
      defaultMode: 'relay-only',
      lanNames: false,
      allowUserDirect: false,
      prompts: { rawHost: true, failed: true, firstUse: true },
      floor: 'public-interface-only',
      floorStrict: true,
      lanHelper: 'required',
      locked: true,
    });
    expect(p.ruleViews).toEqual([
      { url: 'https://meet.example.com', mode: 'direct', from: 'SiteModes' },
      { url: '*.example.com', mode: 'off', from: 'SiteModes' },
      { url: 'https://[*.]calls.example.org', mode: 'direct', from: 'DirectAllowedUrls' },
    ]);
    // First match wins, SiteModes before DirectAllowedUrls; rules outrank a user decision.
    const mode = (site: string, userSite?: 'direct' | 'off') => resolveSiteMode(site, { enterpriseRules: p.rules, enterpriseDefault: p.defaultMode, allowUserDirect: p.allowUserDirect, userSite });
    expect(mode('https://meet.example.com')).toEqual({ mode: 'direct', source: 'enterprise-rule' });
    expect(mode('https://other.example.com', 'direct')).toEqual({ mode: 'off', source: 'enterprise-rule' });
    expect(mode('https://a.calls.example.org')).toEqual({ mode: 'direct', source: 'enterprise-rule' });
    expect(mode('http://a.calls.example.org')).toEqual({ mode: 'relay-only', source: 'enterprise-default' });
    expect(mode('https://elsewhere.test', 'direct')).toEqual({ mode: 'relay-only', source: 'enterprise-default' }); // user direct not allowed
    expect(mode('https://elsewhere.test', 'off')).toEqual({ mode: 'off', source: 'user-site' });
  });

  it('ignores bad keys one by one, with their reasons, and keeps the rest', () => {
    const p = parsePolicy({
      DefaultMode: 'open',
      LanNames: 'yes',
      SiteModes: [{ url: 'https://ok.example', mode: 'direct' }, { url: 'https://ok.example/path', mode: 'off' }],
      DirectAllowedUrls: ['https://fine.example', 7],
      PromptTriggers: { RawHost: 'no' },
      BrowserFloor: { Level: 'mode3' },
      LanHelper: 'sometimes',
      Locked: 1,
      Surprise: true,
      AllowUserDirect: true,
    });
    expect(p.errors.map((e) => e.key).sort()).toEqual(['BrowserFloor', 'DefaultMode', 'DirectAllowedUrls', 'LanHelper', 'LanNames', 'Locked', 'PromptTriggers', 'SiteModes', 'Surprise']);
    expect(p.errors.find((e) => e.key === 'SiteModes')!.problem).toMatch(/rule 1: paths are not supported.*whole list is ignored/);
    // A bad entry rejects its whole list: the good first rule does not apply on its own.
    expect(p.rules).toEqual([]);
    expect(p).toMatchObject({ present: true, allowUserDirect: true, locked: false });
    expect(p.defaultMode).toBeUndefined();
  });

  it('BrowserFloor: Strict is optional (false); unknown members are an error', () => {
    expect(parsePolicy({ BrowserFloor: { Level: 'disable-non-proxied-udp' } })).toMatchObject({ floor: 'disable-non-proxied-udp', floorStrict: false, errors: [] });
    expect(parsePolicy({ BrowserFloor: { Level: 'none', Extra: 1 } }).errors).toHaveLength(1);
  });

  it('locked settings: DefaultMode always (it outranks the user), the others only with Locked', () => {
    expect(lockedSettings(parsePolicy({ DefaultMode: 'off', LanNames: true, BrowserFloor: { Level: 'none' } }))).toEqual(['defaultMode']);
    expect(lockedSettings(parsePolicy({ LanNames: true, PromptTriggers: {}, BrowserFloor: { Level: 'none' }, Locked: true })).sort()).toEqual(['floor', 'floorStrict', 'lanNames', 'prompts']);
    expect(lockedSettings(parsePolicy({ Locked: true }))).toEqual([]);
  });

  it('never throws, and whatever it accepts is well-formed (fuzzed)', () => {
    const keys = fc.constantFrom(...POLICY_KEYS, 'Other', '__proto__');
    fc.assert(
      fc.property(fc.dictionary(keys, fc.anything()), (raw) => {
        const p = parsePolicy(raw);
        if (p.defaultMode !== undefined) expect(['direct', 'srflx-only', 'relay-only', 'off']).toContain(p.defaultMode);
        for (const r of p.rules) expect(typeof matchesSite(r.pattern, 'https://a.example')).toBe('boolean');
        expect(p.rules.length).toBe(p.ruleViews.length);
      }),
      { seed: 20261124, numRuns: 500 },
    );
  });
});
