// Whether IceGuard protects a tab's page, from what the browser shows the background (issue #17).
import { describe, expect, it } from 'vitest';
import { originPattern, siteAccess, warns, type AccessFacts } from '../../../src/shared/site-access';

const facts = (f: Partial<AccessFacts>): AccessFacts => ({ url: 'https://a.example/x', loading: false, relayAnswers: false, originGranted: true, allSites: true, ...f });

describe('siteAccess', () => {
  it('a relay that answers is IceGuard running, whatever the permissions say', () => {
    expect(siteAccess(facts({ relayAnswers: true }))).toBe('running');
    expect(siteAccess(facts({ relayAnswers: true, originGranted: false, allSites: false, url: undefined }))).toBe('running');
  });

  it('a web site IceGuard has no permission for is withheld (Chrome "on click", Firefox per site), loading or not', () => {
    expect(siteAccess(facts({ originGranted: false, allSites: false }))).toBe('withheld');
    expect(siteAccess(facts({ originGranted: false, allSites: false, loading: true }))).toBe('withheld');
    expect(siteAccess(facts({ url: 'http://127.0.0.1:8080/', originGranted: false, allSites: false }))).toBe('withheld');
  });

  it('granted but no relay: not running once loaded; while loading the relay may still come', () => {
    expect(siteAccess(facts({}))).toBe('not-running');
    expect(siteAccess(facts({ loading: true }))).toBe('running');
  });

  it('browser and extension pages are nothing to protect', () => {
    for (const url of ['chrome://newtab/', 'about:blank', 'moz-extension://x/popup.html', 'chrome-extension://x/options.html', 'view-source:https://a.example/', 'file:///tmp/x.html']) {
      expect(siteAccess(facts({ url, originGranted: false }))).toBe('not-web');
    }
  });

  it('an address the browser does not show: a browser page while IceGuard holds every site; else it may be a web site', () => {
    expect(siteAccess(facts({ url: undefined, originGranted: false, allSites: true }))).toBe('not-web');
    expect(siteAccess(facts({ url: undefined, originGranted: false, allSites: false }))).toBe('hidden');
  });

  it('warns exactly where a page may be left unprotected', () => {
    expect(['running', 'not-web', 'withheld', 'hidden', 'not-running', undefined].filter((a) => warns(a as never))).toEqual(['withheld', 'hidden', 'not-running']);
  });
});

describe('originPattern', () => {
  it('the host permission for the URL\'s host, any port and path', () => {
    expect(originPattern('https://a.example:8443/path?q#h')).toBe('https://a.example/*');
    expect(originPattern('http://127.0.0.1:5173/')).toBe('http://127.0.0.1/*');
    expect(originPattern('http://[2001:db8::1]:80/')).toBe('http://[2001:db8::1]/*');
  });

  it('none for what is not a web URL', () => {
    for (const url of ['chrome://settings', 'about:blank', 'not a url', 'file:///x']) expect(originPattern(url)).toBeNull();
  });
});
