// The badge where IceGuard is not protecting the page (issue #17): a "!" in the warning colour, and a
// title that says why; elsewhere the activity badge as before.
import { describe, expect, it, vi } from 'vitest';

vi.mock('webextension-polyfill', () => ({ default: { i18n: { getMessage: (key: string) => `«${key}»` } } }));
const { BADGE_COLOURS, badgeFor } = await import('../../../src/background/badge');

const record = { site: 'https://a.example', connections: 2, candidatesHidden: 3, addresses: ['10.0.0.2'], frameSites: [], once: [], used: [] };

describe('badgeFor with site access', () => {
  it.each([
    ['withheld', '«badgeTitleWithheld»'],
    ['hidden', '«badgeTitleHiddenPage»'],
    ['not-running', '«badgeTitleNotRunning»'],
  ] as const)('%s: "!" in the warning colour, over any activity', (access, title) => {
    for (const r of [null, record]) expect(badgeFor(r, access)).toEqual({ text: '!', colour: BADGE_COLOURS.warning, title });
  });

  it('running, not a web page, or heard from the relay: the activity badge', () => {
    for (const access of ['running', 'not-web', undefined] as const) {
      expect(badgeFor(record, access)).toMatchObject({ text: '1', colour: BADGE_COLOURS.hidden });
      expect(badgeFor(null, access)).toEqual({ text: '', colour: BADGE_COLOURS.clear, title: '«badgeTitleIdle»' });
    }
  });

  it('the warning colour is none of the others', () => {
    expect(BADGE_COLOURS.warning).not.toBe(BADGE_COLOURS.hidden);
    expect(BADGE_COLOURS.warning).not.toBe(BADGE_COLOURS.clear);
  });
});
