// Enterprise policy in IceGuard's pages (issue #6). Policies come from the test bridge's stand-in for
// storage.managed (`test-policy`), applied as a policy change would be; the real delivery through
// policy files is enterprise.test.ts's. Chromium: the real popup and options page, which must follow a
// policy that arrives while they are open. Firefox: what the pages are built on, through the bridge
// (WebDriver BiDi cannot open moz-extension:// pages): the tab state's `locked`/`userDirect`, the
// policy view and the background's refusals. Expected texts come from the built `_locales/en`,
// expected values from the background, so nothing echoes a made-up value.
import type { Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultSettings, EXPORT_FORMAT, exportSettings } from '../../src/shared/settings';
import type { TabState } from '../../src/shared/ui-protocol';
import { backgroundCall, gather, launch, type Bed, type FixtureServer, type RunningBrowser } from './harness';
import { useBed } from './harness/hooks';
import { en, state, stopServiceWorker, ui, until } from './harness/ui-tools';


let bed: Bed;
let server: FixtureServer;
useBed((b, s) => {
  bed = b;
  server = s;
});

async function tabState(page: Page, tabId: number): Promise<TabState> {
  const r = await ui(page, { ui: 'tab-state', tabId });
  if (!r.ok || !r.tab) throw new Error(`tab-state: ${JSON.stringify(r)}`);
  return r.tab;
}

/** "No policy" here is an empty stand-in, not the real storage.managed: enterprise.test.ts writes machine-wide Chromium policy files. */
const NONE = {};

/** Applies `raw` as if storage.managed delivered it (null: back to the real one). */
async function setPolicy(page: Page, raw: unknown): Promise<void> {
  const r = await backgroundCall<{ ok: boolean; error?: string }>(page, { type: 'test-policy', policy: raw });
  if (!r.ok) throw new Error(`test-policy: ${JSON.stringify(r)}`);
}

/** Back to the built-in settings with no notices (only possible with no policy locking anything). */
async function reset(page: Page): Promise<void> {
  const r = await ui(page, { ui: 'import', text: JSON.stringify(exportSettings(defaultSettings())) });
  if (!r.ok) throw new Error(`reset: ${JSON.stringify(r)}`);
  await ui(page, { ui: 'dismiss-problems' });
}

const tabIdOf = (page: Page) => backgroundCall<{ tabId: number }>(page, { type: 'badge' }).then((r) => r.tabId);
const relayMode = (page: Page) => backgroundCall<{ state: { mode: string | null } }>(page, { type: 'relay-state' }).then((r) => r.state.mode);
const ORG = 'set by your organisation';

describe('chromium: enterprise policy in the popup and the options page', () => {
  let b: RunningBrowser;
  let site: Page;
  let opts: Page;
  let tabId: number;
  const origin = () => server.origins[0];

  beforeAll(async () => {
    b = await launch('chromium', { host: bed.lan });
    site = await b.browser.newPage();
    await site.goto(`${origin()}/gather.html`);
    await setPolicy(site, NONE);
    await reset(site);
    tabId = await tabIdOf(site);
    opts = await b.browser.newPage();
    await opts.setViewport({ width: 900, height: 900 });
    await opts.goto(`chrome-extension://${b.extensionId}/options.html`);
    await opts.waitForSelector('#main[aria-busy="false"]', { timeout: 10_000 });
  });
  afterEach(async () => {
    // A failed test leaves its popup open in front: close it, or clicks in the options page (then in a
    // background tab, where animation frames never come) wait forever.
    for (const p of popups.splice(0)) await p.close().catch(() => undefined);
    await setPolicy(site, NONE);
    await reset(site);
  });
  afterAll(async () => {
    if (site) await setPolicy(site, null).catch(() => undefined);
    await b?.close();
  });

  const popups: Page[] = [];
  async function openPopup(forTab: number): Promise<Page> {
    const p = await b.browser.newPage();
    popups.push(p);
    await p.setViewport({ width: 320, height: 640 });
    await p.goto(`chrome-extension://${b.extensionId}/popup.html?tab=${forTab}`);
    await p.waitForSelector('#main[aria-busy="false"]', { timeout: 10_000 });
    return p;
  }

  /** What the popup shows and offers. */
  const popupView = (p: Page) =>
    p.evaluate(() => {
      const text = (id: string) => document.getElementById(id)?.textContent?.trim() ?? '';
      const visible = (id: string) => {
        const e = document.getElementById(id);
        return !!e && e.offsetParent !== null;
      };
      const radios = [...document.querySelectorAll<HTMLInputElement>('input[name="mode"]')];
      return {
        mode: text('mode'),
        source: text('source'),
        locked: visible('locked') ? text('locked') : null,
        lockGlyphHidden: document.querySelector('#locked .lock')?.getAttribute('aria-hidden') ?? null,
        enabled: radios.filter((r) => !r.matches(':disabled')).map((r) => r.value), // a disabled fieldset counts
        checked: radios.find((r) => r.checked)?.value ?? null,
        directWhy: visible('mode-direct-why') ? text('mode-direct-why') : null,
        directIgnored: visible('direct-ignored'),
        save: visible('save'),
        once: visible('once'),
        forget: visible('forget'),
        applies: visible('applies'),
        error: text('error'),
      };
    });

  /** What the options page shows of the policy, and which controls it offers. */
  const optionsView = () =>
    opts.evaluate(() => {
      const shown = (e: Element | null) => !!e && (e as HTMLElement).offsetParent !== null;
      const byId = (id: string) => document.getElementById(id);
      const inputs = [...document.querySelectorAll<HTMLInputElement>('input[type=radio], input[type=checkbox]')];
      return {
        section: shown(byId('policy')),
        errors: shown(byId('policy-errors')) ? [...document.querySelectorAll('#policy-errors-list li')].map((li) => li.textContent) : null,
        locked: byId('policy-locked')?.textContent ?? '',
        facts: [...document.querySelectorAll('#policy .facts dd')].map((d) => d.textContent),
        rules: [...document.querySelectorAll('#policy-rules li')].map((li) => li.textContent),
        notes: [...document.querySelectorAll('.org')].filter(shown).map((e) => (e.closest('li') as HTMLElement | null)?.dataset.site ?? e.id),
        disabled: inputs.filter((i) => i.matches(':disabled')).map((i) => i.id), // a disabled fieldset counts
        checked: inputs.filter((i) => i.checked).map((i) => i.id),
        disabledOptions: [...document.querySelectorAll<HTMLOptionElement>('option')].filter((o) => o.disabled).map((o) => `${(o.parentElement as HTMLElement).closest('li')?.dataset.site ?? o.parentElement!.id}:${o.value}`),
        rows: [...document.querySelectorAll<HTMLLIElement>('#site-list li')].map((li) => ({
          site: li.dataset.site,
          mode: li.querySelector('select')!.value,
          select: !li.querySelector('select')!.disabled,
          remove: !li.querySelector('button')!.disabled,
          note: li.querySelector('.org')?.textContent?.trim() ?? null,
        })),
      };
    });

  it('with no policy, none of it shows: no policy section, no lock, nothing disabled, direct offered everywhere', async () => {
    await ui(site, { ui: 'set-site', site: origin(), mode: 'direct' });
    const s = await state(site);
    expect(s.policy).toMatchObject({ present: false, locked: false, lockedSettings: [], rules: [], allowUserDirect: true, errors: [] });
    expect(await tabState(site, tabId)).toMatchObject({ locked: false, userDirect: true, source: 'user-site' });
    const v = await until('the options page to show the decision', optionsView, (x) => x.rows.length === 1);
    expect(v).toMatchObject({ section: false, notes: [], disabled: [], disabledOptions: [], rows: [{ site: origin(), mode: 'direct', select: true, remove: true, note: null }] });

    const p = await openPopup(tabId);
    expect(await popupView(p)).toMatchObject({ locked: null, enabled: ['direct', 'srflx-only', 'relay-only', 'off'], checked: 'direct', directWhy: null, directIgnored: false, save: true, forget: true, applies: true, error: '' });
    await ui(site, { ui: 'set-site', site: origin(), mode: null });
    expect(await until('the popup to offer "Allow once"', () => popupView(p), (x) => !x.forget)).toMatchObject({ once: true });
    await p.close();
  });

  it('a SiteModes rule makes the popup read-only for the site (mode and source still shown); the options page lists the rule and marks the overridden decision', async () => {
    await ui(site, { ui: 'set-site', site: origin(), mode: 'direct' });
    const p = await openPopup(tabId);
    expect((await popupView(p)).locked).toBeNull();
    // Arrives while both pages are open: they follow.
    await setPolicy(site, { SiteModes: [{ url: origin(), mode: 'relay-only' }] });
    expect(await tabState(site, tabId)).toMatchObject({ locked: true, userDirect: true, mode: 'relay-only', source: 'enterprise-rule' });

    const v = await until('the popup to lock', () => popupView(p), (x) => x.locked !== null);
    expect(v).toEqual({
      mode: en('modeRelayOnly'),
      source: en('sourceEnterpriseRule'),
      locked: en('popupLocked'),
      lockGlyphHidden: 'true',
      enabled: [],
      checked: 'relay-only',
      directWhy: null,
      directIgnored: false,
      save: false,
      once: false,
      forget: false,
      applies: false,
      error: '',
    });
    // By keyboard, nothing in the popup can change the mode: Tab from the top goes straight to the options link.
    await p.bringToFront();
    await p.click('#site');
    await p.keyboard.press('Tab');
    expect(await p.evaluate(() => document.activeElement?.id)).toBe('options');
    await p.close();

    // The background refuses what the popup no longer offers (forgetting a stale decision stays allowed).
    for (const request of [
      { ui: 'set-site', site: origin(), mode: 'off' },
      { ui: 'allow-once', tabId, site: origin() },
    ]) {
      expect(await ui(site, request)).toEqual({ ok: false, error: `the mode of ${origin()} is ${ORG}` });
    }
    expect((await state(site)).settings.sites).toEqual({ [origin()]: 'direct' });

    const o = await until('the options page to show the policy', optionsView, (x) => x.section && x.rows[0]?.note !== null);
    expect(o).toMatchObject({
      errors: null,
      locked: en('optionsPolicyNotLocked'),
      facts: [en('optionsPolicyNotSet'), en('optionsPolicyYes'), en('optionsPolicyNotSet')],
      rules: [`${origin()}: ${en('modeRelayOnly')} ${en('optionsPolicyFrom', ['SiteModes'])}`],
      disabled: [],
      rows: [{ site: origin(), mode: 'direct', select: false, remove: true, note: en('optionsSiteOverridden', [origin(), en('modeRelayOnly')]) }],
    });
    expect(await opts.$eval('#site-list li .org .lock', (e) => e.getAttribute('aria-hidden'))).toBe('true');
    expect(await opts.$eval('#site-list li select', (e) => e.getAttribute('aria-describedby'))).toBe('site-note-0');
    // A decision the rule overrides can still be forgotten.
    expect(await ui(site, { ui: 'set-site', site: origin(), mode: null })).toEqual({ ok: true });
    expect((await state(site)).settings.sites).toEqual({});
  });

  it('Locked with LanNames: the options page disables the control and shows the policy\'s value; trying anyway is refused with the organisation\'s reason', async () => {
    await setPolicy(site, { Locked: true, LanNames: false, PromptTriggers: { FirstUse: true } });
    const s = await state(site);
    expect(s.settings.lanNames).toBe(true);
    expect(s.effective.lanNames).toBe(false);
    expect(s.policy.lockedSettings).toEqual(['lanNames', 'prompts']);

    const v = await until('the options page to lock LAN names', optionsView, (x) => x.disabled.includes('lan-names'));
    expect(v).toMatchObject({
      section: true,
      locked: en('optionsPolicyLocked'),
      disabled: ['lan-names', 'prompt-rawHost', 'prompt-failed', 'prompt-firstUse'],
      notes: ['org-lanNames', 'org-prompts'],
    });
    // The values in force (the policy's), not the stored ones: LAN names off, every prompt trigger on.
    expect(v.checked).not.toContain('lan-names');
    expect(v.checked).toEqual(expect.arrayContaining(['prompt-rawHost', 'prompt-failed', 'prompt-firstUse', 'default-srflx-only', 'floor-none']));
    expect(await opts.$eval('#org-lanNames', (e) => (e as HTMLElement).innerText.trim())).toBe(en('optionsSetByOrg'));
    expect(await opts.$eval('#lan-names', (e) => e.getAttribute('aria-describedby'))).toBe('lan-names-help org-lanNames');

    // A click on the disabled box changes nothing; the background refuses the change and an import of it.
    await opts.bringToFront();
    await opts.click('#lan-names');
    expect(await ui(site, { ui: 'set-setting', key: 'lanNames', value: false })).toEqual({ ok: false, error: `lanNames is ${ORG}` });
    expect(await ui(site, { ui: 'set-setting', key: 'prompts', value: { rawHost: false, failed: false, firstUse: false } })).toEqual({ ok: false, error: `prompts is ${ORG}` });
    const imported = await ui(site, { ui: 'import', text: JSON.stringify({ format: EXPORT_FORMAT, version: 1, lanNames: true }) });
    expect(imported).toMatchObject({ ok: false, problems: [{ key: 'lanNames', problem: ORG }] });
    // What the policy does not set stays the user's.
    expect(await ui(site, { ui: 'set-setting', key: 'floorStrict', value: true })).toEqual({ ok: true });
    expect((await state(site)).settings).toMatchObject({ lanNames: true, floorStrict: true });

    // The value shown is the one in force: no host candidate reaches the site, not even as a name.
    await site.bringToFront(); // a background tab may be throttled
    await site.goto(`${origin()}/gather.html`);
    const seen = await gather(site, { iceServers: bed.iceServers });
    expect(seen.complete).toBe(true);
    expect(seen.types).not.toContain('host');
    expect(seen.types).toContain('srflx');
  });

  it('policy errors are listed first in the policy section, each key with its problem, while the good keys apply', async () => {
    const other = server.origins[1];
    const raw = { DefaultMode: 'sometimes', SiteModes: [{ url: 'https://a/b/c', mode: 'off' }], DirectAllowedUrls: [other], LanHelper: 'required', Bogus: 1, AllowUserDirect: 'no' };
    await setPolicy(site, raw);
    const s = await state(site);
    expect(s.policy.errors.map((e) => e.key)).toEqual(['DefaultMode', 'SiteModes', 'Bogus', 'AllowUserDirect']);
    expect(s.policy).toMatchObject({ defaultMode: null, lanHelper: 'required', allowUserDirect: true, rules: [{ url: other, mode: 'direct', from: 'DirectAllowedUrls' }] });

    const v = await until('the options page to list the errors', optionsView, (x) => x.errors !== null);
    expect(v).toMatchObject({
      errors: s.policy.errors.map((e) => `${e.key}: ${e.problem}`),
      facts: [en('optionsPolicyNotSet'), en('optionsPolicyYes'), en('optionsPolicyLanHelperRequired')],
      rules: [`${other}: ${en('modeDirect')} ${en('optionsPolicyFrom', ['DirectAllowedUrls'])}`],
      disabled: [],
      notes: [],
    });
    // Prominent: the first thing under the section's heading, in a notice box, with its own heading.
    const layout = await opts.evaluate(() => {
      const first = document.querySelector('#policy h2')?.nextElementSibling;
      return { first: first?.id, notice: first?.classList.contains('notice'), title: document.getElementById('policy-errors-title')?.textContent };
    });
    expect(layout).toEqual({ first: 'policy-errors', notice: true, title: en('optionsPolicyErrorsTitle') });
    // The good DirectAllowedUrls rule applies: that site gets direct, from the organisation.
    const page = await b.browser.newPage();
    await page.goto(`${other}/gather.html`);
    expect(await tabState(page, await tabIdOf(page))).toMatchObject({ mode: 'direct', source: 'enterprise-rule', locked: true });
    await page.close();

    // Readable at 320 px (long problems wrap), every control still named; the lock is drawn in the text colour in dark mode.
    await opts.setViewport({ width: 320, height: 700 });
    const fit = await opts.evaluate(() => ({ page: document.documentElement.scrollWidth, view: window.innerWidth }));
    expect(fit.page).toBeLessThanOrEqual(fit.view);
    await opts.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    const lock = await opts.$eval('#policy-title .lock', (e) => ({ glyph: getComputedStyle(e).backgroundColor, text: getComputedStyle(e.parentElement!).color, mask: getComputedStyle(e).maskImage }));
    expect(lock.glyph).toBe(lock.text);
    expect(lock.mask).toContain('svg');
    await opts.emulateMediaFeatures([]);
    await opts.setViewport({ width: 900, height: 900 });
    const unnamed = await opts.$$eval('input:not([type=hidden]):not([hidden]), select, button', (els) =>
      els.filter((e) => !(e as HTMLInputElement).labels?.length && !e.getAttribute('aria-label') && !(e as HTMLElement).innerText.trim()).map((e) => e.outerHTML),
    );
    expect(unnamed).toEqual([]);
    expect((await opts.$eval('body', (e) => (e as HTMLElement).innerText)).match(/\b(options|mode|popup)[A-Z]\w+/g)).toBeNull();
  });

  it('DefaultMode: the default-mode choices show the enterprise default, locked; the popup names it as the organisation\'s default and stays changeable', async () => {
    await setPolicy(site, { DefaultMode: 'relay-only' });
    expect((await state(site)).settings.defaultMode).toBe('srflx-only');
    const v = await until('the options page to lock the default', optionsView, (x) => x.facts[0] === en('modeRelayOnly'));
    expect(v).toMatchObject({ locked: en('optionsPolicyNotLocked'), facts: [en('modeRelayOnly'), en('optionsPolicyYes'), en('optionsPolicyNotSet')], notes: ['org-defaultMode'], disabled: ['default-direct', 'default-srflx-only', 'default-relay-only', 'default-off'] });
    expect(v.checked).toContain('default-relay-only');
    expect(v.checked).not.toContain('default-srflx-only');
    expect(await ui(site, { ui: 'set-setting', key: 'defaultMode', value: 'off' })).toEqual({ ok: false, error: `defaultMode is ${ORG}` });

    expect(await tabState(site, tabId)).toMatchObject({ mode: 'relay-only', source: 'enterprise-default', locked: false });
    const p = await openPopup(tabId);
    expect(await popupView(p)).toMatchObject({ mode: en('modeRelayOnly'), source: en('sourceEnterpriseDefault'), locked: null, enabled: ['direct', 'srflx-only', 'relay-only', 'off'], checked: 'relay-only', save: true, once: true });
    await p.close();
  });

  it('AllowUserDirect false: direct is disabled in the popup and the options page, a stored direct decision is marked as ignored, and granting direct is refused', async () => {
    await ui(site, { ui: 'set-site', site: origin(), mode: 'direct' });
    await ui(site, { ui: 'set-site', site: 'https://other.example', mode: 'relay-only' });
    await setPolicy(site, { AllowUserDirect: false });
    expect(await tabState(site, tabId)).toMatchObject({ locked: false, userDirect: false, mode: 'srflx-only', source: 'builtin' });

    const v = await until('the options page to take direct away', optionsView, (x) => x.facts[1] === en('optionsPolicyNo') && x.rows.length === 2);
    expect(v).toMatchObject({
      facts: [en('optionsPolicyNotSet'), en('optionsPolicyNo'), en('optionsPolicyNotSet')],
      disabled: ['default-direct', 'prompt-rawHost', 'prompt-failed', 'prompt-firstUse'],
      notes: ['prompts-off', origin()],
      disabledOptions: ['site-add-mode:direct', `${origin()}:direct`, 'https://other.example:direct'],
      rows: [
        { site: origin(), mode: 'direct', select: true, remove: true, note: en('optionsSiteDirectIgnored') },
        { site: 'https://other.example', mode: 'relay-only', select: true, remove: true, note: null },
      ],
    });
    // Prompts are off (the prompt offers what the user may not grant), and shown so.
    expect(v.checked.filter((id) => id.startsWith('prompt-'))).toEqual([]);
    expect(await opts.$eval('#default-direct-why', (e) => (e as HTMLElement).innerText)).toBe(en('optionsDirectNotAllowed'));
    expect(await opts.$eval('#site-add-mode', (e) => (e as HTMLSelectElement).value)).not.toBe('direct');

    const p = await openPopup(tabId);
    expect(await popupView(p)).toMatchObject({
      mode: en('modeSrflxOnly'),
      source: en('sourceBuiltin'),
      locked: null,
      enabled: ['srflx-only', 'relay-only', 'off'],
      checked: 'srflx-only',
      directWhy: en('popupDirectNotAllowed'),
      directIgnored: true,
      once: false,
      forget: true,
    });
    expect(await p.$eval('#mode-direct', (e) => e.getAttribute('aria-describedby'))).toBe('mode-direct-help mode-direct-why');
    // The other modes can still be saved.
    await p.bringToFront();
    await p.click('label[for="mode-relay-only"]');
    await p.click('#save');
    await until('the popup to save', () => popupView(p), (x) => x.mode === en('modeRelayOnly'));
    expect((await state(site)).settings.sites[origin()]).toBe('relay-only');
    await p.close();

    const refused = `direct connections are not allowed by your organisation`;
    expect(await ui(site, { ui: 'set-site', site: origin(), mode: 'direct' })).toEqual({ ok: false, error: refused });
    expect(await ui(site, { ui: 'allow-once', tabId, site: origin() })).toEqual({ ok: false, error: refused });
    expect(await ui(site, { ui: 'set-setting', key: 'defaultMode', value: 'direct' })).toEqual({ ok: false, error: refused });
  });

  it('a policy holds across worker restarts: set while the worker starts (its own first read of storage.managed still pending), and after the worker stops again', async () => {
    const refused = { ok: false, error: `direct connections are not allowed by your organisation` };
    /** For `ms` (past the ~2.9 s startup read), every 250 ms: granting direct stays refused (a stale read of "no policy" would let it through). */
    async function staysRefused(ms: number): Promise<number> {
      let checks = 0;
      for (const end = Date.now() + ms; Date.now() < end && checks < 40; checks++) {
        expect(await ui(site, { ui: 'set-site', site: origin(), mode: 'direct' })).toEqual(refused);
        await new Promise((r) => setTimeout(r, 250));
      }
      return checks;
    }
    const started = () => backgroundCall<{ startedAt: number }>(site, { type: 'ping' }).then((r) => r.startedAt);
    const first = await started();
    await stopServiceWorker(b);
    await setPolicy(site, { AllowUserDirect: false }); // wakes the worker, whose startup read takes ~2.9 s
    const second = await started();
    expect(second).not.toBe(first);
    expect(await staysRefused(4500)).toBeGreaterThan(3);
    await stopServiceWorker(b);
    expect(await staysRefused(4500)).toBeGreaterThan(3);
    expect(await started()).not.toBe(second);
    expect((await state(site)).settings.sites[origin()]).toBeUndefined();
  });
});

describe('firefox: enterprise policy as the pages get it (test bridge)', () => {
  let b: RunningBrowser;
  let page: Page;
  let tabId: number;
  const origin = () => server.origins[0];

  beforeAll(async () => {
    b = await launch('firefox', { host: bed.lan });
    page = await b.browser.newPage();
    await page.goto(`${origin()}/gather.html`);
    await setPolicy(page, NONE);
    await reset(page);
    tabId = await tabIdOf(page);
  });
  afterEach(async () => {
    await setPolicy(page, NONE);
    await reset(page);
  });
  afterAll(async () => {
    if (page) await setPolicy(page, null).catch(() => undefined);
    await b?.close();
  });

  it('tab state: unlocked with direct allowed without a policy; a SiteModes rule locks the site (and reaches the open page); AllowUserDirect false clears userDirect', async () => {
    await ui(page, { ui: 'set-site', site: origin(), mode: 'direct' });
    expect(await tabState(page, tabId)).toMatchObject({ site: origin(), mode: 'direct', source: 'user-site', locked: false, userDirect: true });
    expect((await state(page)).policy.present).toBe(false);

    await setPolicy(page, { SiteModes: [{ url: `http://127.0.0.1:*`, mode: 'off' }], AllowUserDirect: false });
    expect(await tabState(page, tabId)).toMatchObject({ mode: 'off', source: 'enterprise-rule', locked: true, userDirect: false });
    await until('the open page to get the rule', () => relayMode(page), (m) => m === 'off');

    await setPolicy(page, { AllowUserDirect: false });
    // No rule now, and the user's direct is ignored: IceGuard's default, not locked, no direct for the user.
    expect(await tabState(page, tabId)).toMatchObject({ mode: 'srflx-only', source: 'builtin', locked: false, userDirect: false });
    await setPolicy(page, NONE);
    expect(await tabState(page, tabId)).toMatchObject({ mode: 'direct', source: 'user-site', locked: false, userDirect: true });
  });

  it('the settings view lists the policy (locks, rules, errors) and the background refuses locked changes, rule-set sites, direct and locked imports', async () => {
    await setPolicy(page, { Locked: true, LanNames: false, DefaultMode: 'relay-only', SiteModes: [{ url: origin(), mode: 'off' }], AllowUserDirect: false, Bogus: 1 });
    const s = await state(page);
    expect(s.policy).toEqual({
      present: true,
      locked: true,
      lockedSettings: ['defaultMode', 'lanNames'],
      defaultMode: 'relay-only',
      rules: [{ url: origin(), mode: 'off', from: 'SiteModes' }],
      allowUserDirect: false,
      lanHelper: null,
      errors: [{ key: 'Bogus', problem: expect.stringContaining('not an IceGuard policy') }],
    });
    expect(s.effective).toMatchObject({ lanNames: false, prompts: { rawHost: false, failed: false, firstUse: false } });
    expect(s.settings.lanNames).toBe(true);

    expect(await ui(page, { ui: 'set-setting', key: 'lanNames', value: false })).toEqual({ ok: false, error: `lanNames is ${ORG}` });
    expect(await ui(page, { ui: 'set-setting', key: 'defaultMode', value: 'off' })).toEqual({ ok: false, error: `defaultMode is ${ORG}` });
    expect(await ui(page, { ui: 'set-site', site: origin(), mode: 'relay-only' })).toEqual({ ok: false, error: `the mode of ${origin()} is ${ORG}` });
    expect(await ui(page, { ui: 'set-site', site: 'https://elsewhere.example', mode: 'direct' })).toEqual({ ok: false, error: 'direct connections are not allowed by your organisation' });
    expect(await ui(page, { ui: 'allow-once', tabId, site: server.origins[1] })).toEqual({ ok: false, error: 'direct connections are not allowed by your organisation' });
    const imported = await ui(page, { ui: 'import', text: JSON.stringify({ format: EXPORT_FORMAT, version: 1, lanNames: true, sites: { [origin()]: 'direct' } }) });
    expect(imported).toMatchObject({ ok: false });
    expect(!imported.ok && imported.problems!.map((p) => p.key).sort()).toEqual(['lanNames', 'sites']);
    // What the policy leaves alone is still the user's to change.
    expect(await ui(page, { ui: 'set-site', site: 'https://elsewhere.example', mode: 'relay-only' })).toEqual({ ok: true });
    const after = await state(page);
    expect(after.settings).toMatchObject({ lanNames: true, defaultMode: 'srflx-only' });
    // Read from `effective`: settings.sites is the same object there, and a value that occurs twice in a
    // reply reaches the test only once through WebDriver BiDi (measured: the second copy is undefined).
    expect(after.effective.sites).toEqual({ 'https://elsewhere.example': 'relay-only' });
  });
});
