// Site patterns for enterprise rules (cf. Chrome's WebRtcIPHandlingUrl and content-settings patterns).
import { endsWithLower, isDigits, lower } from './chars';
import { endsInNumber, parseIpv4 } from './ip';
import { isMode, type Mode } from './mode';
import { fail, ok, type Result } from './result';
import { bracketedIpv6, isHostName, parseSite } from './site-key';

/**
 * Supported syntax (case-insensitive; anything else is an error, never a guess):
 *   `*`                                   every site, opaque frames included
 *   [scheme "://"] host [":" port] ["/" | "/*"]
 *   scheme  `http`, `https` or `*`; absent means either
 *   host    `example.com` (exactly), `[*.]example.com` or `*.example.com` (it and all subdomains, as in
 *           WebExtension match patterns), `*` (any), `192.0.2.1`, `[2001:db8::1]`
 *   port    `1`..`65535` or `*`; absent means any port (`:443` also matches `https://x` without a port)
 * A path other than `/` or `/*` is an error: rules apply to origins. Wildcards over IP addresses
 * (`[*.]0.1`) and non-ASCII hosts (use punycode) are errors too.
 */
export interface SitePattern {
  readonly all: boolean;
  readonly scheme: 'http' | 'https' | '*';
  readonly host: string; // '*' for any
  readonly subdomains: boolean;
  readonly port: number | '*';
}

export function parseSitePattern(pattern: string): Result<SitePattern> {
  if (typeof pattern !== 'string') return fail('not a string');
  let p = lower(pattern);
  if (p === '*') return ok({ all: true, scheme: '*', host: '*', subdomains: true, port: '*' });
  let scheme: SitePattern['scheme'] = '*';
  const sep = p.indexOf('://');
  if (sep >= 0) {
    const s = p.slice(0, sep);
    if (s !== 'http' && s !== 'https' && s !== '*') return fail('scheme must be http, https or *');
    scheme = s;
    p = p.slice(sep + 3);
  }
  const slash = p.indexOf('/');
  if (slash >= 0) {
    const path = p.slice(slash);
    if (path !== '/' && path !== '/*') return fail('paths are not supported: rules apply to origins');
    p = p.slice(0, slash);
  }
  let subdomains = false;
  if (p.startsWith('[*.]') || p.startsWith('*.')) {
    subdomains = true;
    p = p.slice(p[0] === '[' ? 4 : 2);
  }
  const close = p[0] === '[' ? p.indexOf(']') : -1;
  const colon = p.indexOf(':', close + 1);
  const host = colon < 0 ? p : p.slice(0, colon);
  const portText = colon < 0 ? '*' : p.slice(colon + 1);
  const port = portText === '*' ? '*' : +portText;
  if (port !== '*' && (!isDigits(portText, 5) || port < 1 || port > 65535)) return fail('port must be 1-65535 or *');
  if (host === '*' && !subdomains) return ok({ all: false, scheme, host, subdomains: true, port });
  if (close >= 0) {
    const v6 = bracketedIpv6(host);
    if (v6 === '' || subdomains) return fail('bad IPv6 literal');
    return ok({ all: false, scheme, host: v6, subdomains, port });
  }
  const v4 = parseIpv4(host) !== undefined;
  if (subdomains && v4) return fail('wildcards apply to domain names, not IP addresses');
  if (!v4 && (!isHostName(host) || endsInNumber(host) || host[host.length - 1] === '.')) return fail('bad host');
  return ok({ all: false, scheme, host, subdomains, port });
}

export function matchesSite(p: SitePattern, site: string): boolean {
  if (p.all) return true;
  const s = parseSite(site);
  if (!s || (p.scheme !== '*' && p.scheme !== s.scheme) || (p.port !== '*' && p.port !== s.port)) return false;
  if (p.host === '*' || p.host === s.host) return true;
  return p.subdomains && endsWithLower(s.host, '.' + p.host);
}

export interface SiteRule {
  readonly pattern: string;
  readonly mode: Mode;
}
export interface CompiledRule {
  readonly pattern: SitePattern;
  readonly mode: Mode;
  /** The pattern as written, for the UI. */
  readonly source: string;
}

/**
 * An ordered rule list (first match wins). One bad entry rejects the whole list, with its index:
 * skipping it would silently let a later, broader rule decide (docs/design.md "Enterprise policy": bad keys
 * are ignored whole).
 */
export function compileSiteRules(rules: readonly SiteRule[]): Result<CompiledRule[]> {
  if (!Array.isArray(rules)) return fail('rules must be a list');
  const out: CompiledRule[] = [];
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i] as SiteRule;
    const p = parseSitePattern(r?.pattern);
    if (!p.ok) return fail('rule ' + i + ': ' + p.error);
    if (!isMode(r.mode)) return fail('rule ' + i + ': unknown mode');
    out[i] = { pattern: p.value, mode: r.mode, source: r.pattern };
  }
  return ok(out);
}
