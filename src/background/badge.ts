// The toolbar badge, per tab (docs/design.md "Consent"): nothing while the tab has no WebRTC; once it has,
// the number of local addresses kept from it (blue), or "on" when nothing needed hiding (grey), with a
// title that says the same in words for screen readers.
import browser from 'webextension-polyfill';
import type { TabRecord } from './tabs';

export const BADGE_COLOURS = { hidden: '#1a56c4', clear: '#5f6368' } as const;

export function badgeFor(r: TabRecord | null): { text: string; colour: string; title: string } {
  const t = (key: string, subs?: string[]) => browser.i18n.getMessage(key, subs) || key;
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

export async function showBadge(tabId: number, r: TabRecord | null): Promise<void> {
  const b = badgeFor(r);
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
