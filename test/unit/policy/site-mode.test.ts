import { describe, expect, it } from 'vitest';
import { compileSiteRules, OPAQUE_SITE, resolveSiteMode, siteKey, type CompiledRule, type ModeInputs, type SiteRule } from '../../../src/policy/index';

const rules = (...r: SiteRule[]): CompiledRule[] => {
  const c = compileSiteRules(r);
  if (!c.ok) throw new Error(c.error);
  return c.value;
};
const SITE = siteKey('https://meet.example.com');

describe('resolveSiteMode precedence: enterprise rule > user (once, site) > enterprise default > user default > built-in', () => {
  const all: ModeInputs = {
    enterpriseRules: rules({ pattern: 'other.example', mode: 'off' }, { pattern: '*.example.com', mode: 'relay-only' }, { pattern: '*', mode: 'direct' }),
    userOnce: true, userSite: 'off', enterpriseDefault: 'relay-only', userDefault: 'off',
  };

  it('first matching enterprise rule wins over everything', () => {
    expect(resolveSiteMode(SITE, all)).toEqual({ mode: 'relay-only', source: 'enterprise-rule' });
    expect(resolveSiteMode(siteKey('https://elsewhere.test'), all)).toEqual({ mode: 'direct', source: 'enterprise-rule' });
  });

  it('then a per-tab once grant (direct), then the per-site decision', () => {
    const i = { ...all, enterpriseRules: rules({ pattern: 'other.example', mode: 'off' }) };
    expect(resolveSiteMode(SITE, i)).toEqual({ mode: 'direct', source: 'user-once' });
    expect(resolveSiteMode(SITE, { ...i, userOnce: false })).toEqual({ mode: 'off', source: 'user-site' });
    expect(resolveSiteMode(SITE, { ...i, userOnce: undefined, userSite: 'always' })).toEqual({ mode: 'direct', source: 'user-site' });
    expect(resolveSiteMode(SITE, { ...i, userOnce: undefined, userSite: 'block' })).toEqual({ mode: 'off', source: 'user-site' });
    expect(resolveSiteMode(SITE, { ...i, userOnce: undefined, userSite: 'relay-only' })).toEqual({ mode: 'relay-only', source: 'user-site' });
  });

  it('then the enterprise default, the user default and the built-in srflx-only', () => {
    expect(resolveSiteMode(SITE, { enterpriseDefault: 'relay-only', userDefault: 'off' })).toEqual({ mode: 'relay-only', source: 'enterprise-default' });
    expect(resolveSiteMode(SITE, { userDefault: 'off' })).toEqual({ mode: 'off', source: 'user-default' });
    expect(resolveSiteMode(SITE, {})).toEqual({ mode: 'srflx-only', source: 'builtin' });
  });

  it('AllowUserDirect=false: every user direct is ignored, other user choices still count; enterprise direct still works', () => {
    const no = { allowUserDirect: false };
    expect(resolveSiteMode(SITE, { ...no, userOnce: true })).toEqual({ mode: 'srflx-only', source: 'builtin' });
    expect(resolveSiteMode(SITE, { ...no, userSite: 'always', enterpriseDefault: 'relay-only' })).toEqual({ mode: 'relay-only', source: 'enterprise-default' });
    expect(resolveSiteMode(SITE, { ...no, userSite: 'direct', userDefault: 'off' })).toEqual({ mode: 'off', source: 'user-default' });
    expect(resolveSiteMode(SITE, { ...no, userDefault: 'direct' })).toEqual({ mode: 'srflx-only', source: 'builtin' });
    expect(resolveSiteMode(SITE, { ...no, userSite: 'block' })).toEqual({ mode: 'off', source: 'user-site' });
    expect(resolveSiteMode(SITE, { ...no, enterpriseRules: rules({ pattern: '*', mode: 'direct' }) })).toEqual({ mode: 'direct', source: 'enterprise-rule' });
    expect(resolveSiteMode(SITE, { allowUserDirect: true, userOnce: true })).toEqual({ mode: 'direct', source: 'user-once' });
  });

  it('skips values that are not modes (bad storage never crashes, never loosens past the next source)', () => {
    const bad = 'open' as 'off';
    const r = rules({ pattern: '*', mode: 'off' });
    const tampered = [{ ...r[0]!, mode: bad }];
    expect(resolveSiteMode(SITE, { enterpriseRules: tampered, userSite: bad, enterpriseDefault: bad, userDefault: bad })).toEqual({ mode: 'srflx-only', source: 'builtin' });
  });

  it('opaque frames: no user decision applies; the strictest of rule "*", enterprise default, user default, built-in', () => {
    const userEverything: ModeInputs = { userOnce: true, userSite: 'always', userDefault: 'direct' };
    expect(resolveSiteMode(OPAQUE_SITE, userEverything)).toEqual({ mode: 'srflx-only', source: 'builtin' });
    expect(resolveSiteMode(OPAQUE_SITE, { userDefault: 'relay-only' })).toEqual({ mode: 'relay-only', source: 'user-default' });
    expect(resolveSiteMode(OPAQUE_SITE, { userDefault: 'relay-only', enterpriseDefault: 'relay-only' })).toEqual({ mode: 'relay-only', source: 'enterprise-default' });
    expect(resolveSiteMode(OPAQUE_SITE, { enterpriseRules: rules({ pattern: '*', mode: 'direct' }), enterpriseDefault: 'direct' })).toEqual({ mode: 'srflx-only', source: 'builtin' });
    expect(resolveSiteMode(OPAQUE_SITE, { enterpriseRules: rules({ pattern: 'example.com', mode: 'off' }, { pattern: '*', mode: 'off' }), userDefault: 'relay-only' }))
      .toEqual({ mode: 'off', source: 'enterprise-rule' });
    expect(resolveSiteMode(OPAQUE_SITE, { enterpriseRules: rules({ pattern: '*://*', mode: 'off' }) })).toEqual({ mode: 'srflx-only', source: 'builtin' });
    expect(resolveSiteMode(siteKey('null'), { userDefault: 'off', allowUserDirect: false })).toEqual({ mode: 'off', source: 'user-default' });
  });
});
