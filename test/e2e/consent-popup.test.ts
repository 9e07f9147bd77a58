// The toolbar popup (Chromium: the real page, driven by clicks and keys) and the badge (both
// browsers, through the test bridge: WebDriver BiDi cannot open moz-extension:// pages). Expected
// texts come from the built `_locales/en`, expected numbers from the background's own tab state, so
// nothing here echoes a value the test made up.
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TabState } from '../../src/shared/ui-protocol';
import { backgroundCall, BROWSER_KINDS, findAddresses, gather, launch, type Bed, type FixtureServer, type RunningBrowser } from './harness';
import { useBed } from './harness/hooks';
import { en, until } from './harness/ui-tools';


/** How the popup names where a mode came from (src/ui/i18n.ts). */
const SOURCE_KEYS: Record<string, string> = {
  builtin: 'sourceBuiltin',
  'user-default': 'sourceUserDefault',
  'user-site': 'sourceUserSite',
  'user-once': 'sourceUserOnce',
};
const sourceText = (s: TabState) => en(SOURCE_KEYS[s.source ?? ''] ?? 'none');
/** No decision for the site: IceGuard's built-in default, or the default in the settings. */
const UNDECIDED = ['builtin']; // a fresh install: no default of the user's own

const MDNS_HOST = / [0-9a-f-]{36}\.local \d+ typ host/;

let bed: Bed;
let server: FixtureServer;
useBed((b, s) => {
  bed = b;
  server = s;
});


async function tabState(page: Page, tabId: number): Promise<TabState> {
  const r = await backgroundCall<{ ok: boolean; reply: { ok: boolean; tab: TabState; error?: string } }>(page, { type: 'ui', request: { ui: 'tab-state', tabId } });
  if (!r.ok || !r.reply.ok) throw new Error(`tab-state failed: ${JSON.stringify(r)}`);
  return r.reply.tab;
}

async function ui(page: Page, request: unknown): Promise<void> {
  const r = await backgroundCall<{ ok: boolean; reply: { ok: boolean } }>(page, { type: 'ui', request });
  if (!r.ok || !r.reply.ok) throw new Error(`ui request failed: ${JSON.stringify(r)}`);
}

interface Badge {
  tabId: number;
  text: string;
  title: string;
  colour: string;
}
const badge = async (page: Page): Promise<Badge> => {
  const { tabId, text, title, colour } = await backgroundCall<Badge>(page, { type: 'badge' });
  return { tabId, text, title, colour };
};

/** The tab's counts once the relay's batched reports (every 500 ms) have stopped changing them. */
async function settled(page: Page, tabId: number): Promise<TabState> {
  let prev = await until('the first activity report', () => tabState(page, tabId), (s) => s.connections > 0);
  const deadline = Date.now() + 10_000;
  for (;;) {
    await new Promise((r) => setTimeout(r, 800));
    const now = await tabState(page, tabId);
    if (JSON.stringify(now) === JSON.stringify(prev) || Date.now() > deadline) return now;
    prev = now;
  }
}

/** The mode the page's relay holds now (a decision reaches open documents asynchronously). */
const relayMode = (page: Page) => backgroundCall<{ state: { mode: string | null } }>(page, { type: 'relay-state' }).then((r) => r.state.mode);
const waitRelayMode = (page: Page, mode: string) => until(`the relay's mode`, () => relayMode(page), (m) => m === mode);

describe('chromium: the toolbar popup', () => {
  let b: RunningBrowser;
  let site: Page;
  let popup: Page;
  let tabId: number;
  const origin = () => server.origins[0];

  beforeAll(async () => {
    b = await launch('chromium', { host: bed.lan });
    site = await b.browser.newPage();
  });
  afterAll(async () => {
    await b?.close();
  });

  async function openPopup(forTab: number | null): Promise<Page> {
    const p = await b.browser.newPage();
    await p.setViewport({ width: 320, height: 640 });
    await p.goto(`chrome-extension://${b.extensionId}/popup.html${forTab === null ? '' : `?tab=${forTab}`}`);
    await p.waitForSelector('#main[aria-busy="false"]', { timeout: 10_000 });
    return p;
  }

  /** What the popup shows, as a person (or a screen reader) reads it. */
  const shown = (p: Page) =>
    p.evaluate(() => {
      const text = (id: string) => document.getElementById(id)?.textContent ?? '';
      const visible = (id: string) => {
        const e = document.getElementById(id);
        return !!e && e.offsetParent !== null;
      };
      return {
        site: text('site'),
        mode: text('mode'),
        source: text('source'),
        use: text('use'),
        connections: text('connections'),
        addresses: text('addresses'),
        candidates: text('candidates'),
        checked: document.querySelector<HTMLInputElement>('input[name="mode"]:checked')?.value ?? null,
        status: text('status'),
        error: text('error'),
        onceNote: visible('once-note'),
        once: visible('once'),
        forget: visible('forget'),
        details: visible('details'),
        notHere: visible('not-here'),
      };
    });

  const gatherOnSite = async (opts: { iceServers?: typeof bed.iceServers } = {}) => {
    await site.bringToFront();
    return gather(site, { iceServers: opts.iceServers ?? bed.iceServers });
  };

  it('shows the site, its mode and where it came from, and the counts the background has (kept up to date)', async () => {
    await site.goto(`${origin()}/gather.html`);
    const seen = await gatherOnSite();
    expect(seen.complete).toBe(true);
    tabId = (await badge(site)).tabId;
    expect(tabId).toBeGreaterThan(0);
    const state = await settled(site, tabId);
    expect(state).toMatchObject({ site: origin(), mode: 'srflx-only', once: false });
    expect(UNDECIDED).toContain(state.source);
    expect(state.addressesHidden).toBeGreaterThan(0);
    expect(state.candidatesHidden).toBeGreaterThan(0);

    popup = await openPopup(tabId);
    expect(await shown(popup)).toMatchObject({
      site: origin(),
      mode: en('modeSrflxOnly'),
      source: sourceText(state),
      use: en('popupInUse'),
      connections: String(state.connections),
      addresses: String(state.addressesHidden),
      candidates: String(state.candidatesHidden),
      checked: 'srflx-only',
      onceNote: false,
      once: true,
      forget: false,
      details: true,
      notHere: false,
      error: '',
    });
    // Every control has a name, and the help text describes its choice; nothing is wider than 320 px.
    const a11y = await popup.evaluate(() => ({
      unlabelled: [...document.querySelectorAll('input, button')].filter((e) => !(e as HTMLInputElement).labels?.length && !e.textContent?.trim()).length,
      describedBy: [...document.querySelectorAll('input[name="mode"]')].map((e) => document.getElementById(e.getAttribute('aria-describedby') ?? '')?.textContent ?? ''),
      overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      live: document.getElementById('status')?.getAttribute('aria-live'),
    }));
    expect(a11y).toEqual({
      unlabelled: 0,
      describedBy: ['modeDirectHelp', 'modeSrflxOnlyHelp', 'modeRelayOnlyHelp', 'modeOffHelp'].map((k) => en(k)),
      overflow: 0,
      live: 'polite',
    });

    // The page connects again while the popup is open: the popup follows.
    await gatherOnSite();
    const later = await settled(site, tabId);
    expect(later.connections).toBeGreaterThan(state.connections);
    const updated = await until('the popup to show the new count', () => shown(popup), (s) => s.connections === String(later.connections), 5000);
    expect(updated.candidates).toBe(String(later.candidatesHidden));
  });

  it('changing the mode in the popup (click, then keyboard) applies to the next connection; "Forget my decision" returns to the default', async () => {
    await popup.bringToFront();
    // An undecided site: Save is on at once (it keeps the mode shown as the site's own decision).
    expect(await popup.$eval('#save', (e) => (e as HTMLButtonElement).disabled)).toBe(false);
    await popup.click('label[for="mode-direct"]');
    await popup.click('#save');
    let s = await until('the popup to confirm', () => shown(popup), (v) => v.status !== '');
    expect(s).toMatchObject({ status: en('popupSaved', [en('modeDirect')]), mode: en('modeDirect'), source: en('sourceUserSite'), checked: 'direct', forget: true, once: false, error: '' });
    expect(await tabState(site, tabId)).toMatchObject({ mode: 'direct', source: 'user-site' });

    await waitRelayMode(site, 'direct');
    const direct = await gatherOnSite();
    expect(findAddresses(direct.candidates.join('\n'), [bed.lan.v4])).toEqual([bed.lan.v4]);

    // Keyboard only: Tab reaches the group at the checked choice, arrows pick "off", Tab reaches Save.
    await popup.bringToFront();
    await popup.click('#site'); // a click on the heading: Tab starts from the top
    await popup.keyboard.press('Tab');
    expect(await popup.evaluate(() => document.activeElement?.id)).toBe('mode-direct');
    for (let i = 0; i < 3; i++) await popup.keyboard.press('ArrowDown');
    expect(await popup.evaluate(() => document.activeElement?.id)).toBe('mode-off');
    await popup.keyboard.press('Tab');
    expect(await popup.evaluate(() => document.activeElement?.id)).toBe('save');
    await popup.keyboard.press('Space');
    s = await until('the popup to show "off"', () => shown(popup), (v) => v.mode === en('modeOff'));
    expect(s).toMatchObject({ source: en('sourceUserSite'), status: en('popupSaved', [en('modeOff')]) });
    // Save is disabled now (nothing left to save): the focus went back to the choice, not to nowhere.
    expect(await popup.evaluate(() => document.activeElement?.id)).toBe('mode-off');

    await waitRelayMode(site, 'off');
    const error = await site.evaluate(() => {
      try {
        new RTCPeerConnection();
        return null;
      } catch (e) {
        return (e as DOMException).name;
      }
    });
    expect(error).toBe('NotAllowedError');

    await popup.bringToFront();
    await popup.click('#forget');
    s = await until('the popup to forget the decision', () => shown(popup), (v) => !v.forget && v.status !== '');
    const undecided = await tabState(site, tabId);
    expect(undecided).toMatchObject({ mode: 'srflx-only' });
    expect(UNDECIDED).toContain(undecided.source);
    expect(s).toMatchObject({ mode: en('modeSrflxOnly'), source: sourceText(undecided), checked: 'srflx-only', once: true, status: en('popupForgotten', [en('modeSrflxOnly')]) });
    // The focus did not vanish with the Forget button.
    expect(await popup.evaluate(() => document.activeElement?.id)).toBe('mode-srflx-only');
    await waitRelayMode(site, 'srflx-only');
    const back = await gatherOnSite();
    expect(findAddresses(JSON.stringify(back), bed.lan.addresses)).toEqual([]);
    expect(back.candidates.some((c) => MDNS_HOST.test(c))).toBe(true);
  });

  it('"Allow once in this tab" shows as allowed once, gives direct connections, and ends when the tab closes', async () => {
    await popup.bringToFront();
    await popup.click('#once');
    const s = await until('the popup to show the grant', () => shown(popup), (v) => v.source === en('sourceUserOnce'));
    // The choices keep showing the site's own mode (no decision: the default), which the grant outranks.
    expect(s).toMatchObject({ mode: en('modeDirect'), onceNote: true, once: false, forget: false, status: en('popupAllowedOnce'), checked: 'srflx-only' });
    expect(await tabState(site, tabId)).toMatchObject({ mode: 'direct', source: 'user-once', once: true });
    await waitRelayMode(site, 'direct');
    const direct = await gatherOnSite();
    expect(findAddresses(direct.candidates.join('\n'), [bed.lan.v4])).toEqual([bed.lan.v4]);

    // "End it now" takes the grant back before the tab closes.
    await popup.bringToFront();
    await popup.click('#end-once');
    const ended = await until('the popup to show the grant ended', () => shown(popup), (v) => v.source !== en('sourceUserOnce'));
    expect(ended).toMatchObject({ mode: en('modeSrflxOnly'), onceNote: false, once: true });
    expect(await tabState(site, tabId)).toMatchObject({ mode: 'srflx-only', once: false });
    await waitRelayMode(site, 'srflx-only');
    expect(findAddresses(JSON.stringify(await gatherOnSite()), bed.lan.addresses)).toEqual([]);
    // Granted again, for the rest of this test: it ends with the tab.
    await popup.bringToFront();
    await popup.click('#once');
    await until('the grant again', () => shown(popup), (v) => v.source === en('sourceUserOnce'));
    await waitRelayMode(site, 'direct');

    await site.close();
    site = await b.browser.newPage();
    await site.goto(`${origin()}/gather.html`);
    const newTab = (await badge(site)).tabId;
    expect(newTab).not.toBe(tabId);
    const after = await tabState(site, newTab);
    expect(after).toMatchObject({ site: origin(), mode: 'srflx-only', once: false });
    expect(UNDECIDED).toContain(after.source);
    await waitRelayMode(site, 'srflx-only');
    const seen = await gatherOnSite();
    expect(seen.complete).toBe(true);
    expect(findAddresses(JSON.stringify(seen), bed.lan.addresses)).toEqual([]);
    // The closed tab's record (and its grant) is gone from storage.session.
    const session = await backgroundCall<{ items: Record<string, unknown> }>(site, { type: 'storage-get', area: 'session' });
    expect(Object.keys(session.items)).not.toContain(`tab:${tabId}`);
    const fresh = await openPopup(newTab);
    expect(await shown(fresh)).toMatchObject({ mode: en('modeSrflxOnly'), source: sourceText(after), onceNote: false });
    await fresh.close();
    await popup.close();
  });

  it('lists the sites of frames that used WebRTC', async () => {
    const [top, framed] = server.origins;
    server.route('/with-frame.html', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><meta charset="utf-8"><title>frame</title><iframe src="${framed}/gather.html"></iframe>`);
    });
    const page = await b.browser.newPage();
    await page.goto(`${top}/with-frame.html`);
    const frame = await until('the frame', async () => page.frames().find((f) => f.url().startsWith(framed)) ?? null, (f) => f !== null);
    await frame!.waitForFunction(() => 'fixture' in window, { timeout: 10_000 });
    await frame!.evaluate((iceServers) => (window as unknown as { fixture: { gather(o: unknown): Promise<unknown> } }).fixture.gather({ iceServers, getUserMedia: false, timeoutMs: 10_000 }), bed.iceServers);
    const frameTab = (await badge(page)).tabId;
    const state = await until('the frame\'s report', () => tabState(page, frameTab), (st) => st.frameSites.length > 0);
    expect(state).toMatchObject({ site: top, frameSites: [framed] });
    const p = await openPopup(frameTab);
    const listed = await p.$$eval('#frame-list li', (items) => items.map((li) => li.textContent));
    expect(listed).toEqual([framed]);
    expect(await p.$eval('#frames', (e) => (e as HTMLElement).offsetParent !== null)).toBe(true);
    await p.close();
    await page.close();
  });

  it('on a page IceGuard does not run on, explains that; the options link opens the options page', async () => {
    // Without ?tab= the popup shows the active tab: here, its own extension page.
    const p = await openPopup(null);
    expect(await shown(p)).toMatchObject({ site: en('popupNoSite'), details: false, notHere: true, error: '' });
    expect(await p.$eval('#not-here', (e) => e.textContent)).toBe(en('popupNotHere'));
    const opened = b.browser.waitForTarget((t) => t.url() === `chrome-extension://${b.extensionId}/options.html`, { timeout: 10_000 });
    await p.click('#options');
    expect((await opened).url()).toContain('/options.html');
  });
});

describe.each(BROWSER_KINDS)('%s: the badge', (kind) => {
  let b: RunningBrowser;
  let page: Page;
  beforeAll(async () => {
    b = await launch(kind, { host: bed.lan });
    page = await b.browser.newPage();
  });
  afterAll(async () => {
    await b?.close();
  });

  it('empty before any connection; the number of hidden addresses (blue) with the counts in its title; "on" in direct mode; reset on navigation to another site', async () => {
    const [a, other] = server.origins;
    await page.goto(`${a}/gather.html`);
    const idle = await badge(page);
    expect(idle).toMatchObject({ text: '' });
    expect(idle.title).not.toBe(en('badgeTitleHidden'));

    // srflx-only (the default): addresses are hidden.
    await gather(page, { iceServers: bed.iceServers });
    const state = await settled(page, idle.tabId);
    expect(state.mode).toBe('srflx-only');
    expect(state.addressesHidden).toBeGreaterThan(0);
    const hidden = await until('the badge to show the hidden addresses', () => badge(page), (x) => x.text === String(state.addressesHidden));
    expect(hidden).toEqual({
      tabId: idle.tabId,
      text: String(state.addressesHidden),
      colour: '#1a56c4',
      title: en('badgeTitleHidden', [String(state.connections), String(state.addressesHidden), String(state.candidatesHidden)]),
    });

    // Another site in the same tab: the counts and the badge start again.
    await page.goto(`${other}/gather.html`);
    // The browser clears a tab's badge text on navigation at once; the background's idle title comes after.
    const reset = await until('the badge to reset', () => badge(page), (x) => x.text === '' && x.title !== 'IceGuard');
    expect(reset.title).toBe(en('badgeTitleIdle'));
    expect(await tabState(page, idle.tabId)).toMatchObject({ site: other, connections: 0, candidatesHidden: 0, addressesHidden: 0 });

    // direct: WebRTC in use, nothing hidden.
    await ui(page, { ui: 'set-site', site: other, mode: 'direct' });
    await waitRelayMode(page, 'direct');
    await gather(page, { iceServers: bed.iceServers });
    const used = await settled(page, idle.tabId);
    expect(used).toMatchObject({ mode: 'direct', candidatesHidden: 0, addressesHidden: 0 });
    const on = await until('the badge to show "on"', () => badge(page), (x) => x.text !== '');
    expect(on).toEqual({ tabId: idle.tabId, text: en('badgeTextInUse'), colour: '#5f6368', title: en('badgeTitleInUse', [String(used.connections)]) });
    await ui(page, { ui: 'set-site', site: other, mode: null });
  });
});
