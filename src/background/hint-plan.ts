// Which mode hints to register (hints.ts explains them): pure, so unit tests can check the plan.
import { MODES, parseSite, resolveSiteMode, siteKey, type CompiledRule, type Mode, type ModeInputs } from '../policy';

export const HINT_PREFIX = 'iceguard-hint-';
const PAGES = ['http://*/*', 'https://*/*'];

export interface Registration {
  id: string;
  js: string[];
  matches: string[];
  excludeMatches?: string[];
}

/** `https://example.com:8443/*` (Chrome) or `https://example.com/*` (Firefox), or null. */
function pattern(site: string, withPort: boolean): string | null {
  const p = parseSite(site);
  if (!p || p.host.startsWith('[')) return null; // IPv6 literals: not reliably a match pattern host
  return withPort ? `${p.scheme}://${p.host}:${p.port}/*` : `${p.scheme}://${p.host}/*`;
}

const isDefaultPort = (site: string) => {
  const p = parseSite(site);
  return !!p && p.port === (p.scheme === 'https' ? 443 : 80);
};

/**
 * The sites an enterprise rule names one by one: one host, with its scheme (both for `*`) and its
 * port (the scheme's default for `*`, whose other ports get no hint). None for a pattern over many
 * hosts. A hint states the mode resolved for its exact site, so it holds whatever the rule order.
 */
function ruleSites(r: CompiledRule): string[] {
  const p = r.pattern;
  if (p.all || p.subdomains || p.host === '*' || p.host.startsWith('[')) return [];
  const schemes = p.scheme === '*' ? (['http', 'https'] as const) : [p.scheme];
  return schemes.map((scheme) => siteKey(`${scheme}://${p.host}${p.port === '*' ? '' : ':' + p.port}`));
}

/** A rule that matches exactly the sites ruleSites names (so a default hint may leave them out). */
const namesItsSites = (r: CompiledRule) => ruleSites(r).length > 0 && r.pattern.scheme !== '*' && r.pattern.port !== '*';

/**
 * The registrations the settings in force call for (pure). `sites`: the sites the user decided;
 * `inputsFor`: everything resolveSiteMode needs for a site (decision, defaults, enterprise policy).
 * Sites that enterprise rules name one by one get hints as decided sites do; a rule over many sites
 * (`*.example.com`, any port), whose first-match order registered scripts cannot mirror, leaves out
 * the default hint.
 */
export function wantedHints(
  sites: readonly string[],
  inputsFor: (site: string) => ModeInputs,
  rules: readonly CompiledRule[],
  once: ReadonlySet<string>,
  browserKind: 'chrome' | 'firefox',
): Registration[] {
  const withPort = browserKind === 'chrome';
  const bySite = new Map<Mode, string[]>();
  const exclude = new Set<string>();
  let defaultOk = rules.every(namesItsSites);
  for (const site of new Set([...sites, ...rules.flatMap(ruleSites)])) {
    const p = pattern(site, withPort);
    if (p === null) {
      defaultOk = false;
      continue;
    }
    exclude.add(p);
    if (once.has(site) || (!withPort && !isDefaultPort(site))) continue;
    const mode = resolveSiteMode(site, inputsFor(site)).mode;
    const list = bySite.get(mode) ?? [];
    if (!list.includes(p)) list.push(p);
    bySite.set(mode, list);
  }
  for (const site of once) {
    const p = pattern(site, withPort);
    if (p === null) defaultOk = false;
    else exclude.add(p);
  }
  const out: Registration[] = [];
  for (const mode of MODES) {
    const matches = bySite.get(mode);
    if (matches?.length) out.push({ id: `${HINT_PREFIX}site-${mode}`, js: [`hint-site-${mode}.js`], matches });
  }
  if (defaultOk) {
    const undecided = 'https://undecided.invalid';
    const mode = resolveSiteMode(undecided, { ...inputsFor(undecided), userSite: undefined, userOnce: false }).mode;
    out.push({ id: `${HINT_PREFIX}default`, js: [`hint-default-${mode}.js`], matches: PAGES, ...(exclude.size ? { excludeMatches: [...exclude] } : {}) });
  }
  return out;
}
