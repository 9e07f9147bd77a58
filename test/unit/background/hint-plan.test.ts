// The mode-hint plan (src/background/hint-plan.ts): which ISOLATED scripts state which mode where.
// The browsers' side (that the patterns match what they should) is in test/e2e/mode-hints.test.ts.
import { describe, expect, it } from 'vitest';
import { HINT_PREFIX, wantedHints as plan } from '../../../src/background/hint-plan';
import { compileSiteRules, type CompiledRule, type Mode, type ModeInputs } from '../../../src/policy';

/** The plan for user decisions `sites` and a user default, optionally under enterprise inputs. */
function wantedHints(
  sites: Record<string, Mode>,
  userDefault: Mode,
  once: Set<string>,
  browser: 'chrome' | 'firefox',
  enterprise: Partial<ModeInputs> & { rules?: CompiledRule[] } = {},
) {
  const inputs = (site: string): ModeInputs => ({ ...enterprise, enterpriseRules: enterprise.rules, userSite: sites[site], userDefault });
  return plan(Object.keys(sites), inputs, enterprise.rules ?? [], once, browser);
}
const rules = (list: { pattern: string; mode: Mode }[]) => {
  const r = compileSiteRules(list);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

const byId = (r: ReturnType<typeof plan>) => Object.fromEntries(r.map((x) => [x.id.slice(HINT_PREFIX.length), x]));

describe('wantedHints', () => {
  it('no decisions: one default hint for every http(s) page, stating the default mode', () => {
    const r = wantedHints({}, 'relay-only', new Set(), 'chrome');
    expect(r).toEqual([{ id: `${HINT_PREFIX}default`, js: ['hint-default-relay-only.js'], matches: ['http://*/*', 'https://*/*'] }]);
  });

  it('Chrome: one exact pattern (with port) per decided site, grouped by mode, all excluded from the default', () => {
    const r = byId(wantedHints({ 'https://a.example': 'direct', 'http://b.example:8080': 'direct', 'https://c.example': 'off' }, 'srflx-only', new Set(), 'chrome'));
    expect(r['site-direct']!.matches.sort()).toEqual(['http://b.example:8080/*', 'https://a.example:443/*']);
    expect(r['site-direct']!.js).toEqual(['hint-site-direct.js']);
    expect(r['site-off']!.matches).toEqual(['https://c.example:443/*']);
    expect(r['site-srflx-only']).toBeUndefined();
    expect(r.default!.js).toEqual(['hint-default-srflx-only.js']);
    expect(r.default!.excludeMatches!.sort()).toEqual(['http://b.example:8080/*', 'https://a.example:443/*', 'https://c.example:443/*']);
  });

  it('Firefox: site hints only for default ports (the pattern has no port); the default excludes each decided host', () => {
    const r = byId(wantedHints({ 'https://a.example': 'direct', 'http://b.example:8080': 'off' }, 'srflx-only', new Set(), 'firefox'));
    expect(r['site-direct']!.matches).toEqual(['https://a.example/*']);
    expect(r['site-off']).toBeUndefined(); // b.example:8080 cannot be told from b.example:9090
    expect(r.default!.excludeMatches!.sort()).toEqual(['http://b.example/*', 'https://a.example/*']);
  });

  it('a site with an "Allow once" grant gets no hint, and the default leaves it out', () => {
    const r = byId(wantedHints({ 'https://a.example': 'off' }, 'srflx-only', new Set(['https://a.example', 'https://once.example']), 'chrome'));
    expect(r['site-off']).toBeUndefined();
    expect(r.default!.excludeMatches!.sort()).toEqual(['https://a.example:443/*', 'https://once.example:443/*']);
  });

  it('a site that cannot be a pattern (IPv6 literal) takes the default hint away entirely', () => {
    const r = byId(wantedHints({ 'http://[2001:db8::1]:8080': 'direct', 'https://a.example': 'off' }, 'srflx-only', new Set(), 'chrome'));
    expect(r.default).toBeUndefined();
    expect(r['site-off']!.matches).toEqual(['https://a.example:443/*']);
    expect(r['site-direct']).toBeUndefined();
  });

  it('a decision that equals the default still gets its own exact hint', () => {
    const r = byId(wantedHints({ 'https://a.example': 'srflx-only' }, 'srflx-only', new Set(), 'chrome'));
    expect(r['site-srflx-only']!.matches).toEqual(['https://a.example:443/*']);
    expect(r.default!.excludeMatches).toEqual(['https://a.example:443/*']);
  });

  it('enterprise: a default policy sets the default hint; AllowUserDirect false turns a user direct into the default', () => {
    const r = byId(wantedHints({ 'https://a.example': 'direct' }, 'srflx-only', new Set(), 'chrome', { enterpriseDefault: 'relay-only', allowUserDirect: false }));
    expect(r.default!.js).toEqual(['hint-default-relay-only.js']);
    expect(r['site-relay-only']!.matches).toEqual(['https://a.example:443/*']); // direct ignored: the enterprise default
    expect(r['site-direct']).toBeUndefined();
  });

  it('an enterprise rule over many sites: no default hint; a decided site it matches gets the rule\'s mode', () => {
    const r = byId(wantedHints({ 'https://a.example': 'direct', 'https://b.example': 'off' }, 'srflx-only', new Set(), 'chrome', { rules: rules([{ pattern: '*.a.example', mode: 'relay-only' }]) }));
    expect(r.default).toBeUndefined();
    expect(r['site-direct']).toBeUndefined();
    expect(r['site-relay-only']!.matches).toEqual(['https://a.example:443/*']);
    expect(r['site-off']!.matches).toEqual(['https://b.example:443/*']);
  });

  it('enterprise rules that name one site each (issue #21): a hint per site with the mode resolved in rule order, and the default hint around them', () => {
    const list = rules([
      { pattern: 'http://198.51.100.20:8080', mode: 'direct' },
      { pattern: 'https://meet.example:443', mode: 'relay-only' },
      { pattern: 'https://meet.example:443', mode: 'direct' }, // never reached: first match wins
    ]);
    const r = byId(wantedHints({}, 'srflx-only', new Set(), 'chrome', { rules: list }));
    expect(r['site-direct']!.matches).toEqual(['http://198.51.100.20:8080/*']);
    expect(r['site-relay-only']!.matches).toEqual(['https://meet.example:443/*']);
    expect(r.default).toMatchObject({ js: ['hint-default-srflx-only.js'], excludeMatches: ['http://198.51.100.20:8080/*', 'https://meet.example:443/*'] });
    // Firefox patterns have no port: only the default-port site gets its hint.
    const f = byId(wantedHints({}, 'srflx-only', new Set(), 'firefox', { rules: list }));
    expect(f['site-direct']).toBeUndefined();
    expect(f['site-relay-only']!.matches).toEqual(['https://meet.example/*']);
  });

  it('a rule for one host on any port or scheme: a hint for its default-port sites, no default hint (its other ports are not named)', () => {
    const r = byId(wantedHints({}, 'srflx-only', new Set(), 'chrome', { rules: rules([{ pattern: 'meet.example', mode: 'direct' }]) }));
    expect(r['site-direct']!.matches).toEqual(['http://meet.example:80/*', 'https://meet.example:443/*']);
    expect(r.default).toBeUndefined();
  });
});
