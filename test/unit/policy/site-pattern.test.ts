import { describe, expect, it } from 'vitest';
import { compileSiteRules, matchesSite, OPAQUE_SITE, parseSitePattern } from '../../../src/policy/index';

const matches = (pattern: string, site: string) => {
  const p = parseSitePattern(pattern);
  if (!p.ok) throw new Error(p.error);
  return matchesSite(p.value, site);
};

describe('site patterns', () => {
  it.each([
    ['*', ['https://example.com', 'http://x.test:8080', OPAQUE_SITE], []],
    ['https://example.com', ['https://example.com', 'https://example.com:8443'], ['http://example.com', 'https://a.example.com', 'https://example.com.evil', OPAQUE_SITE]],
    ['HTTPS://EXAMPLE.COM/', ['https://example.com'], ['http://example.com']],
    ['example.com', ['https://example.com', 'http://example.com:81'], ['https://www.example.com', 'https://notexample.com']],
    ['*://*.example.com', ['https://example.com', 'http://a.b.example.com'], ['https://badexample.com', 'https://example.com.evil']],
    ['[*.]example.com', ['https://example.com', 'https://a.example.com'], ['https://xexample.com']],
    ['*.example.com:8443/*', ['https://a.example.com:8443'], ['https://a.example.com']],
    ['example.com:8443', ['https://example.com:8443', 'http://example.com:8443'], ['https://example.com']],
    ['example.com:443', ['https://example.com'], ['http://example.com']],
    ['http://*', ['http://anything.test:1'], ['https://anything.test']],
    ['*://*:*', ['https://a.test'], [OPAQUE_SITE]],
    ['192.0.2.1', ['http://192.0.2.1:8080'], ['http://192.0.2.10']],
    ['https://[2001:0db8::1]:443', ['https://[2001:db8::1]'], ['https://[2001:db8::2]']],
    ['example.com:*', ['https://example.com:1'], []],
  ] as [string, string[], string[]][])('%s', (pattern, yes, no) => {
    for (const s of yes) expect(matches(pattern, s), s).toBe(true);
    for (const s of no) expect(matches(pattern, s), s).toBe(false);
  });

  it.each([
    '', 'ftp://example.com', 'https//example.com', 'https://example.com/path', 'https://example.com/*/x', 'example.com:0', 'example.com:65536',
    'example.com:', 'example.com:x', '*.*', '**', '*.127.0.0.1', '[*.]0.1', 'foo.123', '127.1', 'example.com.', '.example.com',
    'ex ample.com', 'bücher.de', '[::1', '[nonsense]', '[*.][::1]', 'https://', '*.', 'a..b', 'example.com:8443:1',
  ])('rejects %j', (p) => expect(parseSitePattern(p).ok).toBe(false));

  it('rejects a non-string', () => expect(parseSitePattern(7 as unknown as string).ok).toBe(false));
});

describe('compileSiteRules', () => {
  it('compiles an ordered list, keeping the source text', () => {
    const r = compileSiteRules([{ pattern: '*.corp.example', mode: 'direct' }, { pattern: '*', mode: 'relay-only' }]);
    expect(r.ok && r.value.map((x) => [x.source, x.mode])).toEqual([['*.corp.example', 'direct'], ['*', 'relay-only']]);
  });

  it('rejects the whole list for one bad entry, naming it', () => {
    expect(compileSiteRules([{ pattern: 'a.example', mode: 'direct' }, { pattern: 'ftp://x', mode: 'off' }])).toEqual({ ok: false, error: 'rule 1: scheme must be http, https or *' });
    expect(compileSiteRules([{ pattern: 'a.example', mode: 'open' as 'off' }])).toEqual({ ok: false, error: 'rule 0: unknown mode' });
    expect(compileSiteRules([null as unknown as { pattern: string; mode: 'off' }]).ok).toBe(false);
    expect(compileSiteRules('x' as unknown as []).ok).toBe(false);
  });
});
