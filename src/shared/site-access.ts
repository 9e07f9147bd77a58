// Whether IceGuard runs on a tab's page, and if not, why (issue #17). The browser lets the user take
// IceGuard's access to sites away (Chrome: site access "on click" or "on specific sites"; Firefox: the
// per-site permission), and some sites no extension may enter; on such a page WebRTC works unguarded,
// so the badge and the popup say so. Pure: the background gathers the facts (src/background/site-access.ts).

/**
 * - `running`: the page's relay answers (or the page is still loading on a site IceGuard may enter).
 * - `not-web`: not a web page (browser pages, extension pages): nothing to protect.
 * - `withheld`: a web site IceGuard has no permission for; the user can grant it.
 * - `hidden`: IceGuard cannot even see the page's address (no permission for it) and lacks access to
 *   some sites: it may be a web site left unprotected; the user can grant all sites.
 * - `not-running`: a web site IceGuard may enter, but its relay is not there: the page was open before
 *   IceGuard started, or the browser keeps extensions out of this site.
 */
export const SITE_ACCESS = ['running', 'not-web', 'withheld', 'hidden', 'not-running'] as const;
export type SiteAccess = (typeof SITE_ACCESS)[number];

export interface AccessFacts {
  /** The tab's URL, or undefined when the browser does not show it to IceGuard. */
  url: string | undefined;
  /** The tab's top-level document is still loading (its relay may not have started yet). */
  loading: boolean;
  /** The top-level relay answered a ping. */
  relayAnswers: boolean;
  /** IceGuard holds the host permission for the URL's origin (false when the URL is unknown). */
  originGranted: boolean;
  /** IceGuard holds `<all_urls>`: every web site. */
  allSites: boolean;
}

/** The web pages IceGuard's content scripts are for: the schemes it protects. */
export function isWebUrl(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

export function siteAccess(f: AccessFacts): SiteAccess {
  if (f.relayAnswers) return 'running';
  if (f.url === undefined) return f.allSites ? 'not-web' : 'hidden';
  if (!isWebUrl(f.url)) return 'not-web';
  if (!f.originGranted) return 'withheld';
  return f.loading ? 'running' : 'not-running';
}

/** Where IceGuard is not protecting a page that may be a web site: the badge and the popup warn. */
export const warns = (a: SiteAccess | undefined): boolean => a === 'withheld' || a === 'hidden' || a === 'not-running';

/** The host permission pattern that covers a URL's origin (`https://example.com/*`). */
export function originPattern(url: string): string | null {
  try {
    const u = new URL(url);
    return isWebUrl(url) ? `${u.protocol}//${u.hostname}/*` : null;
  } catch {
    return null;
  }
}
