import { describe, expect, it } from 'vitest';
import { OPAQUE_SITE, parseSite, siteKey } from '../../../src/policy/index';

describe('siteKey', () => {
  it.each([
    ['https://example.com', 'https://example.com'],
    ['HTTPS://Example.COM:443', 'https://example.com'],
    ['https://example.com:8443', 'https://example.com:8443'],
    ['http://example.com:80', 'http://example.com'],
    ['http://example.com:443', 'http://example.com:443'],
    ['https://example.com:', 'https://example.com'],
    ['https://example.com:0443/path?q#f', 'https://example.com'],
    ['https://sub.example.com/', 'https://sub.example.com'],
    ['http://192.0.2.1:8080', 'http://192.0.2.1:8080'],
    ['http://[2001:DB8:0::1]:80', 'http://[2001:db8::1]'],
    ['https://[::ffff:192.0.2.1]', 'https://[::ffff:c000:201]'],
    ['https://xn--bcher-kva.example', 'https://xn--bcher-kva.example'],
    ['https://a_b.example.', 'https://a_b.example.'],
  ])('%s → %s', (origin, key) => expect(siteKey(origin)).toBe(key));

  it.each([
    'null', '', 'data:text/html,hi', 'file:///etc/passwd', 'blob:https://example.com/uuid', 'about:blank', 'chrome-extension://abc',
    'https://', 'https://user@example.com', 'https://exa mple.com', 'https://ex%41mple.com', 'https://bücher.example', 'https://example..com',
    'https://.example.com', 'https://example.com:65536', 'https://example.com:x', 'https://[::1', 'https://[::1]x', 'https://[fe80::1%25eth0]',
    'https://[nonsense]', 'https://[]', 'ws://example.com', 'https:example.com', 'https://' + 'a'.repeat(2050),
  ])('%j is opaque', (origin) => expect(siteKey(origin)).toBe(OPAQUE_SITE));

  it('parses the parts with the effective port', () => {
    expect(parseSite('https://example.com')).toEqual({ scheme: 'https', host: 'example.com', port: 443 });
    expect(parseSite('http://example.com')).toEqual({ scheme: 'http', host: 'example.com', port: 80 });
    expect(parseSite(5 as unknown as string)).toBeUndefined();
  });
});
