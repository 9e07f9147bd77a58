// The mode-hint plan (src/background/hint-plan.ts): which ISOLATED scripts state which mode where.
// The browsers' side (that the patterns match what they should) is in test/e2e/mode-hints.test.ts.
import { describe, expect, it } from 'vitest';
import { HINT_PREFIX, wantedHints } from '../../../src/background/hint-plan';

const byId = (r: ReturnType<typeof wantedHints>) => Object.fromEntries(r.map((x) => [x.id.slice(HINT_PREFIX.length), x]));

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
});
