// The site a frame belongs to: scheme, host and port of its origin (RFC 6454 §4) as one string key.
import { isDigits, lower } from './chars';
import { formatIpv6, parseIpv6 } from './ip';

/**
 * The key of every opaque origin (`null`, data:, sandboxed frames, file:, anything unparsable). Such a
 * frame cannot be tied to a site, so no user decision applies to it: resolveSiteMode gives it the
 * strictest of the non-decision modes (see there). Contains no "://", so it never equals a real key.
 */
export const OPAQUE_SITE = 'opaque';

export interface SiteParts {
  readonly scheme: 'http' | 'https';
  readonly host: string;
  readonly port: number;
}

const DEFAULT_PORT = { http: 80, https: 443 } as const;

/**
 * Parses `scheme://host[:port]` as browsers serialize origins (a trailing path, query or fragment is
 * ignored, so a frame URL works too). Only http and https are sites; anything else is opaque.
 */
export function parseSite(origin: string): SiteParts | undefined {
  if (typeof origin !== 'string' || origin.length > 2048) return undefined;
  const sep = origin.indexOf('://');
  const scheme = lower(origin.slice(0, sep < 0 ? 0 : sep));
  if (scheme !== 'http' && scheme !== 'https') return undefined;
  let end = sep + 3;
  while (end < origin.length && origin[end] !== '/' && origin[end] !== '?' && origin[end] !== '#') end++;
  const auth = lower(origin.slice(sep + 3, end));
  const close = auth.startsWith('[') ? auth.indexOf(']') : -1;
  const colon = auth.indexOf(':', close + 1);
  let host = auth.slice(0, colon < 0 ? auth.length : colon);
  const portText = colon < 0 ? '' : auth.slice(colon + 1);
  if (close >= 0) {
    host = bracketedIpv6(host);
    if (host === '') return undefined;
  } else if (!isHostName(host)) return undefined;
  if (portText !== '' && (!isDigits(portText, 5) || +portText > 65535)) return undefined;
  return { scheme, host, port: portText === '' ? DEFAULT_PORT[scheme] : +portText };
}

/** `[IPv6]` in RFC 5952 form (how browsers serialize it), or '' when it is not one. */
export function bracketedIpv6(h: string): string {
  const b = h.length > 2 && h[h.length - 1] === ']' ? parseIpv6(h.slice(1, h.length - 1)) : undefined;
  return b && h.indexOf('%') < 0 ? '[' + formatIpv6(b) + ']' : '';
}

/** Lower-case letters, digits, '-', '_' and non-empty dot-separated labels (IDNs arrive as punycode). */
export function isHostName(h: string): boolean {
  if (h.length === 0 || h.length > 253) return false;
  for (let i = 0; i < h.length; i++) {
    const c = h[i] as string;
    if (c === '.' ? i === 0 || h[i - 1] === '.' : !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c === '-' || c === '_')) return false;
  }
  return true;
}

/** `https://example.com`, `http://example.com:8080`: lower case, default port left out; else OPAQUE_SITE. */
export function siteKey(origin: string): string {
  const s = parseSite(origin);
  if (!s) return OPAQUE_SITE;
  return s.scheme + '://' + s.host + (s.port === DEFAULT_PORT[s.scheme] ? '' : ':' + s.port);
}
