// The toolbar badge, per tab (docs/design.md "Consent"): nothing while the tab has no WebRTC; once it has,
// the number of local addresses kept from it (blue), or "on" when nothing needed hiding (grey), with a
// title that says the same in words for screen readers. Where IceGuard is not protecting the page (no
// access to the site, or not running there: src/shared/site-access.ts), a "!" in a warning colour.
import browser from 'webextension-polyfill';
import { warns, type SiteAccess } from '../shared/site-access';
import type { TabRecord } from './tabs';

export const BADGE_COLOURS = { hidden: '#1a56c4', clear: '#5f6368', warning: '#b3261e' } as const;

const NO_ACCESS_TITLES: Record<SiteAccess, string> = {
  withheld: 'badgeTitleWithheld',
  hidden: 'badgeTitleHiddenPage',
  'not-running': 'badgeTitleNotRunning',
  running: '',
  'not-web': '',
};

/** `access` undefined: the caller heard from the page's relay, so IceGuard runs there. */
export function badgeFor(r: TabRecord | null, access?: SiteAccess): { text: string; colour: string; title: string } {
  const t = (key: string, subs?: string[]) => browser.i18n.getMessage(key, subs) || key;
  if (access && warns(access)) return { text: '!', colour: BADGE_COLOURS.warning, title: t(NO_ACCESS_TITLES[access]) };
  if (!r || r.connections === 0) return { text: '', colour: BADGE_COLOURS.clear, title: t('badgeTitleIdle') };
  const hidden = r.addresses.length;
  if (hidden > 0 || r.candidatesHidden > 0) {
    const n = hidden > 0 ? hidden : r.candidatesHidden;
    return {
      text: n > 99 ? '99+' : String(n),
      colour: BADGE_COLOURS.hidden,
      title: t('badgeTitleHidden', [String(r.connections), String(hidden), String(r.candidatesHidden)]),
    };
  }
  return { text: t('badgeTextInUse'), colour: BADGE_COLOURS.clear, title: t('badgeTitleInUse', [String(r.connections)]) };
}

export async function showBadge(tabId: number, r: TabRecord | null, access?: SiteAccess): Promise<void> {
  const b = badgeFor(r, access);
  try {
    await Promise.all([
      browser.action.setBadgeText({ tabId, text: b.text }),
      browser.action.setBadgeBackgroundColor({ tabId, color: b.colour }),
      browser.action.setTitle({ tabId, title: b.title }),
    ]);
  } catch {
    /* the tab closed meanwhile */
  }
}
