// Which mode hints to register (hints.ts explains them): pure, so unit tests can check the plan.
import { parseSite, resolveSiteMode, type Mode } from '../policy';
import { SITE_MODES } from '../shared/modes';

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

/** The registrations the current settings call for (pure apart from its inputs). */
export function wantedHints(sites: Record<string, Mode>, defaultMode: Mode, once: ReadonlySet<string>, browserKind: 'chrome' | 'firefox'): Registration[] {
  const withPort = browserKind === 'chrome';
  const bySite = new Map<Mode, string[]>();
  const exclude = new Set<string>();
  let defaultOk = true;
  for (const [site, decision] of Object.entries(sites)) {
    const mode = resolveSiteMode(site, { userSite: decision, userDefault: defaultMode }).mode;
    const p = pattern(site, withPort);
    if (p === null) {
      defaultOk = false;
      continue;
    }
    exclude.add(p);
    if (once.has(site) || (!withPort && !isDefaultPort(site))) continue;
    const list = bySite.get(mode) ?? [];
    list.push(p);
    bySite.set(mode, list);
  }
  for (const site of once) {
    const p = pattern(site, withPort);
    if (p === null) defaultOk = false;
    else exclude.add(p);
  }
  const out: Registration[] = [];
  for (const mode of SITE_MODES) {
    const matches = bySite.get(mode);
    if (matches?.length) out.push({ id: `${HINT_PREFIX}site-${mode}`, js: [`hint-site-${mode}.js`], matches });
  }
  if (defaultOk) {
    const mode = resolveSiteMode('https://undecided.invalid', { userDefault: defaultMode }).mode;
    out.push({ id: `${HINT_PREFIX}default`, js: [`hint-default-${mode}.js`], matches: PAGES, ...(exclude.size ? { excludeMatches: [...exclude] } : {}) });
  }
  return out;
}

