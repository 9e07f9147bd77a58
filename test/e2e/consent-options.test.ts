// The options page (issue #5). Chromium: the real page, driven by clicks and typing, checked against
// what the background then holds and what a fixture page's next gathering sees. Both browsers: the
// same store behaviour (set-setting, import, export, repair notices) through the test bridge's UI
// passthrough, since WebDriver BiDi cannot open moz-extension:// pages. Expected texts come from the
// built `_locales/en`, expected settings from the background, so nothing echoes a made-up value.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultSettings, exportSettings, EXPORT_FORMAT, parseSettingsFile } from '../../src/shared/settings';
import { backgroundCall, BROWSER_KINDS, gather, launch, type Bed, type FixtureServer, type RunningBrowser } from './harness';
import { DIST } from './harness/browsers';
import { useBed } from './harness/hooks';
import { en, state, ui, until } from './harness/ui-tools';


let bed: Bed;
let server: FixtureServer;
useBed((b, s) => {
  bed = b;
  server = s;
});

const storage = (page: Page) => backgroundCall<{ items: Record<string, unknown> }>(page, { type: 'storage-get', area: 'local' }).then((r) => r.items);

/** Back to the built-in settings with no notices (through an import of the defaults). */
async function reset(page: Page): Promise<void> {
  const r = await ui(page, { ui: 'import', text: JSON.stringify(exportSettings(defaultSettings())) });
  if (!r.ok) throw new Error(`reset: ${JSON.stringify(r)}`);
  await ui(page, { ui: 'dismiss-problems' });
}

describe.each(BROWSER_KINDS)('%s: the settings store, as the options page uses it', (kind) => {
  let b: RunningBrowser;
  let page: Page;
  beforeAll(async () => {
    b = await launch(kind, { host: bed.lan });
    page = await b.browser.newPage();
    await page.goto(`${server.origins[0]}/gather.html`);
  });
  afterAll(async () => {
    await b?.close();
  });
  beforeEach(async () => {
    await reset(page);
  });

  it('set-setting stores a good value and refuses a bad one with the background\'s reason, changing nothing', async () => {
    expect(await ui(page, { ui: 'set-setting', key: 'defaultMode', value: 'relay-only' })).toEqual({ ok: true });
    expect((await state(page)).settings.defaultMode).toBe('relay-only');
    expect((await storage(page)).defaultMode).toBe('relay-only');
    const refused = await ui(page, { ui: 'set-setting', key: 'defaultMode', value: 'sometimes' });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error).toMatch(/^defaultMode is not one of direct, srflx-only, relay-only, off/);
    expect((await state(page)).settings.defaultMode).toBe('relay-only');
    expect((await ui(page, { ui: 'set-setting', key: 'autoAllow', value: true })).ok).toBe(false);
  });

  it('import: a good file is applied; a file with bad values is refused with its problems, and nothing changes', async () => {
    const good = { format: EXPORT_FORMAT, version: 1, defaultMode: 'off', prompts: { firstUse: true }, sites: { 'https://imported.example': 'direct' } };
    expect(await ui(page, { ui: 'import', text: JSON.stringify(good) })).toEqual({ ok: true });
    const after = (await state(page)).settings;
    expect(after).toEqual({ ...defaultSettings(), defaultMode: 'off', prompts: { rawHost: true, failed: true, firstUse: true }, sites: { 'https://imported.example': 'direct' } });

    const bad = { format: EXPORT_FORMAT, version: 1, defaultMode: 'sometimes', lanNames: false, sites: { 'https://other.example': 'off', 'not a site': 'off' } };
    const refused = await ui(page, { ui: 'import', text: JSON.stringify(bad) });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.problems!.map((p) => p.key).sort()).toEqual(['defaultMode', 'sites']);
    expect((await state(page)).settings).toEqual(after);
    const notJson = await ui(page, { ui: 'import', text: '{"format":' });
    expect(!notJson.ok && notJson.problems).toEqual([{ key: 'file', problem: 'is not JSON' }]);
    expect((await state(page)).settings).toEqual(after);
  });

  it('export gives a file that parseSettingsFile accepts and that holds the settings', async () => {
    await ui(page, { ui: 'set-site', site: 'https://exported.example', mode: 'relay-only' });
    await ui(page, { ui: 'set-setting', key: 'floorStrict', value: true });
    const r = await ui(page, { ui: 'export' });
    const parsed = parseSettingsFile(r.ok ? r.file! : '');
    expect(parsed).toEqual({ ok: true, value: (await state(page)).settings });
    expect(parsed.ok && parsed.value.sites).toEqual({ 'https://exported.example': 'relay-only' });
  });

  it('a corrupt key is repaired with a notice, the other settings survive, the old value is kept; dismissing clears the notice', async () => {
    await ui(page, { ui: 'set-setting', key: 'lanNames', value: false });
    await ui(page, { ui: 'set-site', site: 'https://kept.example', mode: 'off' });
    await backgroundCall(page, { type: 'storage-set', items: { defaultMode: 42 } });
    const s = await state(page);
    expect(s.problems).toEqual([{ key: 'defaultMode', problem: expect.stringContaining('reset to the default') }]);
    expect(s.settings).toEqual({ ...defaultSettings(), lanNames: false, sites: { 'https://kept.example': 'off' } });
    const stored = await storage(page);
    expect(stored.defaultMode).toBe('srflx-only');
    expect(stored.repairedValues).toEqual({ defaultMode: 42 });
    expect(await ui(page, { ui: 'dismiss-problems' })).toEqual({ ok: true });
    expect((await state(page)).problems).toEqual([]);
  });

  it('a store from a newer IceGuard is reported once, however often it is read, and not downgraded', async () => {
    await backgroundCall(page, { type: 'storage-set', items: { version: 99, defaultMode: 'relay-only' } });
    for (let i = 0; i < 4; i++) await state(page);
    const s = await state(page);
    expect(s.problems.map((p) => p.key)).toEqual(['version']);
    expect(s.settings.defaultMode).toBe('relay-only');
    expect((await storage(page)).version).toBe(99);
    await backgroundCall(page, { type: 'storage-set', items: { version: 1 } });
  });
});

describe('chromium: the options page', () => {
  let b: RunningBrowser;
  let site: Page;
  let opts: Page;
  let files: string;

  beforeAll(async () => {
    files = mkdtempSync(join(tmpdir(), 'ig-options-'));
    b = await launch('chromium', { host: bed.lan });
    site = await b.browser.newPage();
    await site.goto(`${server.origins[0]}/gather.html`);
    await reset(site);
    opts = await b.browser.newPage();
    await opts.setViewport({ width: 900, height: 900 });
    await opts.goto(`chrome-extension://${b.extensionId}/options.html`);
    await opts.waitForSelector('#main[aria-busy="false"]', { timeout: 10_000 });
  });
  afterAll(async () => {
    await b?.close();
    if (files) rmSync(files, { recursive: true, force: true });
  });

  const settings = async () => (await state(site)).settings;
  const text = (id: string) => opts.$eval(`#${id}`, (e) => (e as HTMLElement).innerText.trim());
  /** Empties the status line, so the next "Saved" is the answer to the next action. */
  const clearStatus = () => opts.$eval('#status', (e) => void (e.textContent = ''));
  const statusIs = (want: string) => opts.waitForFunction((w) => document.getElementById('status')?.textContent === w, { timeout: 10_000 }, want);
  const siteRows = () => opts.$$eval('#site-list li', (lis) => lis.map((li) => ({ site: (li as HTMLElement).dataset.site, mode: li.querySelector('select')!.value })));
  const fresh = async () => {
    await reset(site);
    await opts.reload();
    await opts.waitForSelector('#main[aria-busy="false"]', { timeout: 10_000 });
  };

  it('shows the version and every text from _locales (no raw message key anywhere)', async () => {
    const ids = JSON.parse(readFileSync(join(DIST, 'test/ids.json'), 'utf8')) as { version: string };
    expect(await text('version')).toBe(en('optionsVersion', [ids.version, 'Chrome/Chromium']));
    expect(await opts.title()).toBe(en('optionsTitle'));
    const body = await opts.$eval('body', (e) => (e as HTMLElement).innerText);
    expect(body).toContain(en('optionsFloorPublicHelp'));
    // No helper in this browser: said so, with the command that installs it.
    expect(body).toContain(en('optionsHelperMissing'));
    // For this very build: its own id (an unpacked or self-hosted build's id is not the test key's).
    expect(body).toContain(`npx iceguard-lan-helper install --chrome-id ${b.extensionId}`);
    expect(body.match(/\b(options|mode)[A-Z]\w+/g)).toBeNull();
    // Every form control has an accessible name (a label, or aria-label).
    const unnamed = await opts.$$eval('input:not([type=hidden]):not([hidden]), select, button', (els) =>
      els.filter((e) => !(e as HTMLInputElement).labels?.length && !e.getAttribute('aria-label') && !(e as HTMLElement).innerText.trim()).map((e) => e.outerHTML),
    );
    expect(unnamed).toEqual([]);
  });

  it('default mode: a click saves it, and the next gathering on a site follows it; arrow keys work too', async () => {
    await site.goto(`${server.origins[0]}/gather.html`);
    const before = await gather(site, { iceServers: bed.iceServers });
    expect(before.types).toEqual(expect.arrayContaining(['host', 'srflx', 'relay']));
    expect(await opts.$eval('#default-srflx-only', (e) => (e as HTMLInputElement).checked)).toBe(true);

    await clearStatus();
    await opts.click('label[for="default-relay-only"]');
    await statusIs(en('optionsSaved'));
    expect((await settings()).defaultMode).toBe('relay-only');
    await site.goto(`${server.origins[0]}/gather.html`);
    const after = await gather(site, { iceServers: bed.iceServers });
    expect(after.types).toEqual(['relay']);

    // Keyboard: arrow keys move the checked radio in a group (and fire change).
    await opts.focus('#default-relay-only');
    await opts.keyboard.press('ArrowUp');
    await until('defaultMode after ArrowUp', settings, (s) => s.defaultMode === 'srflx-only');
    await site.goto(`${server.origins[0]}/gather.html`);
    expect((await gather(site, { iceServers: bed.iceServers })).types).toEqual(expect.arrayContaining(['host', 'srflx']));
  });

  it('LAN names off: host candidates are dropped instead of renamed', async () => {
    await clearStatus();
    await opts.click('#lan-names');
    await statusIs(en('optionsSaved'));
    expect((await settings()).lanNames).toBe(false);
    await site.goto(`${server.origins[0]}/gather.html`);
    const off = await gather(site, { iceServers: bed.iceServers });
    expect(off.types).not.toContain('host');
    expect(off.types).toContain('srflx');
    await opts.click('#lan-names');
    await until('lanNames back on', settings, (s) => s.lanNames);
  });

  it('prompt triggers: each checkbox saves its own trigger (defaults: on, on, off)', async () => {
    const checked = () => opts.$$eval('input[data-trigger]', (els) => els.map((e) => [(e as HTMLInputElement).dataset.trigger, (e as HTMLInputElement).checked]));
    expect(await checked()).toEqual([['rawHost', true], ['failed', true], ['firstUse', false]]);
    await opts.click('#prompt-firstUse');
    await until('firstUse on', settings, (s) => s.prompts.firstUse);
    await opts.click('label[for="prompt-rawHost"]');
    await until('rawHost off', settings, (s) => !s.prompts.rawHost);
    expect((await settings()).prompts).toEqual({ rawHost: false, failed: true, firstUse: true });
  });

  it('browser floor and strict: each choice is saved', async () => {
    // The line under the choices is what the browser itself reports (privacy.network.webRTCIPHandlingPolicy).
    const reported = () => text('floor-state');
    await until('the browser\'s own setting', reported, (t) => t === en('optionsFloorBrowserDefault'));
    await opts.click('label[for="floor-public-interface-only"]');
    await until('floor', settings, (s) => s.floor === 'public-interface-only');
    await until('mode 3 reported', reported, (t) => t === en('optionsFloorBrowserValue', [en('optionsFloorPublic')]));
    await opts.click('#floor-strict');
    await until('floorStrict', settings, (s) => s.floorStrict);
    await opts.click('#floor-disable-non-proxied-udp');
    await until('mode 4 reported', reported, (t) => t === en('optionsFloorBrowserValue', [en('optionsFloorProxy')]));
    await opts.click('#floor-none');
    await until('floor none', settings, (s) => s.floor === 'none');
    expect(await opts.$eval('#floor-none', (e) => (e as HTMLInputElement).checked)).toBe(true);
    await until('the browser\'s own setting again', reported, (t) => t === en('optionsFloorBrowserDefault'));
  });

  it('sites: add by typing (a decision the next gathering follows), refuse a non-site with the background\'s error, search, change, remove', async () => {
    await fresh();
    expect(await text('site-count')).toBe(en('optionsSitesNone'));
    await opts.type('#site-add-name', 'Example.COM/some/path');
    await opts.select('#site-add-mode', 'off');
    await opts.click('#site-add button[type="submit"]');
    await until('example.com added', settings, (s) => s.sites['https://example.com'] === 'off');
    // The field empties when the background answers, which is after the write and what follows it
    // (tabs refreshed, floor, hints: src/background/reactions.ts), so after storage shows the site.
    await until('the field emptied', () => opts.$eval('#site-add-name', (e) => (e as HTMLInputElement).value), (v) => v === '');

    const fixture = server.origins[1];
    await opts.type('#site-add-name', fixture);
    await opts.select('#site-add-mode', 'relay-only');
    await opts.keyboard.press('Enter');
    await until('fixture site added', settings, (s) => s.sites[fixture] === 'relay-only');
    await site.goto(`${fixture}/gather.html`);
    expect((await gather(site, { iceServers: bed.iceServers })).types).toEqual(['relay']);

    await clearStatus();
    await opts.type('#site-add-name', 'not a site!');
    await opts.keyboard.press('Enter');
    await opts.waitForFunction(() => document.getElementById('status')?.textContent?.includes('is not a web site'), { timeout: 10_000 });
    expect(await text('status')).toBe(en('optionsNotSaved', ['"https://not a site!" is not a web site']));
    expect(Object.keys((await settings()).sites).sort()).toEqual(['https://example.com', fixture].sort());
    await opts.$eval('#site-add-name', (e) => void ((e as HTMLInputElement).value = ''));

    await until('two rows', siteRows, (r) => r.length === 2);
    await opts.type('#site-search', 'EXAMPLE');
    expect(await siteRows()).toEqual([{ site: 'https://example.com', mode: 'off' }]);
    expect(await text('site-count')).toBe(en('optionsSitesMatching', ['1', '2']));

    await opts.select(`#site-list li[data-site="https://example.com"] select`, 'direct');
    await until('example.com direct', settings, (s) => s.sites['https://example.com'] === 'direct');
    await until('row shows direct', siteRows, (r) => r[0]?.mode === 'direct');

    await opts.click(`#site-list li[data-site="https://example.com"] button`);
    await until('example.com removed', settings, (s) => !('https://example.com' in s.sites));
    await until('no matching rows', siteRows, (r) => r.length === 0);
    // The removed row's button is gone; focus went to the search box, not to the page's start.
    expect(await opts.evaluate(() => document.activeElement?.id)).toBe('site-search');
    await opts.$eval('#site-search', (e) => void ((e as HTMLInputElement).value = ''));
    await opts.type('#site-search', ' ');
    await until('the fixture row again', siteRows, (r) => r.length === 1 && r[0]!.site === fixture);
  });

  it('remove all asks first: Cancel keeps the decisions, confirming removes them', async () => {
    await ui(site, { ui: 'set-site', site: 'https://one.example', mode: 'off' });
    await ui(site, { ui: 'set-site', site: 'https://two.example', mode: 'direct' });
    const count = Object.keys((await settings()).sites).length;
    await until('rows', siteRows, (r) => r.length === count);
    await opts.click('#sites-clear');
    await opts.waitForSelector('#clear-dialog[open]', { timeout: 5000 });
    expect(await text('clear-dialog-text')).toBe(en('optionsSitesClearQuestion', [String(count)]));
    await opts.click('#clear-cancel');
    await opts.waitForSelector('#clear-dialog:not([open])', { timeout: 5000 });
    await new Promise((r) => setTimeout(r, 500));
    expect(Object.keys((await settings()).sites)).toHaveLength(count);

    await opts.click('#sites-clear');
    await opts.waitForSelector('#clear-dialog[open]', { timeout: 5000 });
    await opts.click('#clear-confirm');
    await until('sites cleared', settings, (s) => Object.keys(s.sites).length === 0);
    await until('list empty', siteRows, (r) => r.length === 0);
    expect(await opts.$eval('#sites-clear', (e) => (e as HTMLButtonElement).disabled)).toBe(true);
  });

  /** Chooses `path` in the import dialog opened by a real click on the Import button. */
  async function importFile(path: string): Promise<void> {
    const [chooser] = await Promise.all([opts.waitForFileChooser({ timeout: 10_000 }), opts.click('#import')]);
    await chooser.accept([path]);
  }

  it('import: a good file is applied; a file with bad values is refused with its problems listed, nothing applied', async () => {
    await fresh();
    const goodPath = join(files, 'good.json');
    writeFileSync(goodPath, JSON.stringify({ format: EXPORT_FORMAT, version: 1, defaultMode: 'relay-only', lanNames: false, sites: { 'https://from-file.example': 'direct' } }));
    await importFile(goodPath);
    await opts.waitForFunction((t) => document.getElementById('import-result')?.textContent === t, { timeout: 10_000 }, en('optionsImported', ['good.json']));
    const applied = await settings();
    expect(applied).toEqual({ ...defaultSettings(), defaultMode: 'relay-only', lanNames: false, sites: { 'https://from-file.example': 'direct' } });
    await until('the page shows it', siteRows, (r) => r.length === 1 && r[0]!.site === 'https://from-file.example');
    expect(await opts.$eval('#default-relay-only', (e) => (e as HTMLInputElement).checked)).toBe(true);

    const badPath = join(files, 'bad.json');
    writeFileSync(badPath, JSON.stringify({ format: EXPORT_FORMAT, version: 1, defaultMode: 'always', floor: 'public-interface-only', sites: { 'https://x.example': 'maybe' } }));
    await importFile(badPath);
    await opts.waitForFunction((t) => document.getElementById('import-result')?.textContent?.startsWith(t), { timeout: 10_000 }, en('optionsImportRefused', ['bad.json']));
    const keys = await opts.$$eval('#import-result li code', (els) => els.map((e) => e.textContent));
    expect(keys.sort()).toEqual(['defaultMode', 'sites']);
    expect(await opts.$eval('#import-result', (e) => e.getAttribute('role'))).toBe('alert');
    expect(await settings()).toEqual(applied);

    const junkPath = join(files, 'junk.json');
    writeFileSync(junkPath, 'this is not JSON');
    await importFile(junkPath);
    await opts.waitForFunction((t) => document.getElementById('import-result')?.textContent?.startsWith(t), { timeout: 10_000 }, en('optionsImportRefused', ['junk.json']));
    expect(await text('import-result')).toContain('is not JSON');
    expect(await settings()).toEqual(applied);
  });

  it('export downloads a JSON file that parseSettingsFile accepts, holding the current settings', async () => {
    await ui(site, { ui: 'set-site', site: 'https://exported.example', mode: 'off' });
    const downloads = join(files, 'downloads');
    const cdp = await b.browser.target().createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
    await opts.click('#export');
    const name = await until(
      'a finished download',
      async () => (existsSync(downloads) ? readdirSync(downloads) : []),
      (names) => names.some((n) => n.endsWith('.json')) && !names.some((n) => n.endsWith('.crdownload')),
    ).then((names) => names.find((n) => n.endsWith('.json'))!);
    expect(name).toMatch(/^iceguard-settings-\d{4}-\d{2}-\d{2}\.json$/);
    const parsed = parseSettingsFile(readFileSync(join(downloads, name), 'utf8'));
    const now = await settings();
    expect(parsed).toEqual({ ok: true, value: now });
    expect(now.sites['https://exported.example']).toBe('off');
    await cdp.detach();
  });

  it('a corrupt store shows a repair notice at once (other settings kept); Dismiss clears it', async () => {
    await fresh();
    await ui(site, { ui: 'set-setting', key: 'floor', value: 'disable-non-proxied-udp' });
    await ui(site, { ui: 'set-site', site: 'https://survivor.example', mode: 'relay-only' });
    expect(await opts.$eval('#problems', (e) => (e as HTMLElement).hidden)).toBe(true);
    // Written behind the background's back: the open page learns of it through storage.onChanged.
    await backgroundCall(site, { type: 'storage-set', items: { defaultMode: 42 } });
    await opts.waitForSelector('#problems:not([hidden])', { timeout: 10_000 });
    expect(await opts.$$eval('#problems-list li code', (els) => els.map((e) => e.textContent))).toEqual(['defaultMode']);
    expect(await text('problems-title')).toBe(en('optionsProblemsTitle'));
    const s = await settings();
    expect(s).toEqual({ ...defaultSettings(), floor: 'disable-non-proxied-udp', sites: { 'https://survivor.example': 'relay-only' } });
    expect(await opts.$eval('#default-srflx-only', (e) => (e as HTMLInputElement).checked)).toBe(true);
    await until('survivor listed', siteRows, (r) => r.some((x) => x.site === 'https://survivor.example'));

    await opts.click('#problems-dismiss');
    await opts.waitForSelector('#problems[hidden]', { timeout: 10_000 });
    expect((await state(site)).problems).toEqual([]);
    await ui(site, { ui: 'set-setting', key: 'floor', value: 'none' });
  });

  it('lists the background\'s error log, newest first, with where each happened (issue #18)', async () => {
    const before = await opts.$$eval('#errors-list li', (lis) => lis.length);
    await backgroundCall(site, { type: 'record-error', where: 'test-site-a', message: 'first thing that failed' });
    await backgroundCall(site, { type: 'record-error', where: 'test-site-b', message: 'second thing that failed' });
    await fresh();
    const items = await opts.$$eval('#errors-list li', (lis) => lis.map((li) => li.textContent ?? ''));
    expect(items).toHaveLength(before + 2);
    expect(items[0]).toContain('test-site-b: Error: second thing that failed');
    expect(items[1]).toContain('test-site-a: Error: first thing that failed');
    expect(await opts.$eval('#errors', (e) => (e as HTMLElement).hidden)).toBe(false);
    expect(await text('errors-title')).toBe(en('optionsErrorsTitle'));
  });

  it('follows changes made elsewhere (popup, prompt) without a reload', async () => {
    await ui(site, { ui: 'set-site', site: 'https://elsewhere.example', mode: 'direct' });
    await ui(site, { ui: 'set-setting', key: 'defaultMode', value: 'off' });
    await until('row from elsewhere', siteRows, (r) => r.some((x) => x.site === 'https://elsewhere.example' && x.mode === 'direct'));
    await until('default from elsewhere', () => opts.$eval('#default-off', (e) => (e as HTMLInputElement).checked), (c) => c);
    await ui(site, { ui: 'set-setting', key: 'defaultMode', value: 'srflx-only' });
  });

  it('reads at 320 px wide and in dark mode', async () => {
    const long = `https://${'very-long-label-'.repeat(3)}x.${'another-long-label.'.repeat(3)}example`;
    await ui(site, { ui: 'set-site', site: long, mode: 'relay-only' });
    await until('long row', siteRows, (r) => r.some((x) => x.site === long));
    await opts.setViewport({ width: 320, height: 700 });
    const overflow = await opts.evaluate(() => ({ page: document.documentElement.scrollWidth, view: window.innerWidth }));
    expect(overflow.page).toBeLessThanOrEqual(overflow.view);
    const bg = () => opts.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await opts.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
    const light = await bg();
    await opts.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    const dark = await bg();
    expect(light).toBe('rgb(255, 255, 255)');
    expect(dark).not.toBe(light);
    const [r, g, bl] = dark.match(/\d+/g)!.map(Number);
    expect(r! + g! + bl!).toBeLessThan(150);
    await opts.emulateMediaFeatures([]);
    await opts.setViewport({ width: 900, height: 900 });
  });
});

describe('chromium: the options page in German', () => {
  let b: RunningBrowser;
  beforeAll(async () => {
    // Chromium on Linux takes its UI language (and so chrome.i18n's) from LANGUAGE.
    const saved = process.env.LANGUAGE;
    process.env.LANGUAGE = 'de';
    try {
      b = await launch('chromium', { host: bed.lan, chromiumArgs: ['--lang=de'] });
    } finally {
      if (saved === undefined) delete process.env.LANGUAGE;
      else process.env.LANGUAGE = saved;
    }
  });
  afterAll(async () => {
    await b?.close();
  });

  it('every text comes from the German messages', async () => {
    const de = JSON.parse(readFileSync(join(DIST, 'test/chrome/_locales/de/messages.json'), 'utf8')) as Record<string, { message: string }>;
    const p = await b.browser.newPage();
    await p.goto(`chrome-extension://${b.extensionId}/options.html`);
    await p.waitForSelector('#main[aria-busy="false"]', { timeout: 10_000 });
    expect(await p.title()).toBe(de.optionsTitle!.message);
    expect(await p.evaluate(() => document.documentElement.lang)).toMatch(/^de/);
    const body = await p.$eval('body', (e) => (e as HTMLElement).innerText);
    for (const key of ['optionsLanNamesHelp', 'optionsFloorProxyHelp', 'optionsHelperAbout', 'modeRelayOnlyHelp']) expect(body).toContain(de[key]!.message);
    expect(body).not.toContain(en('optionsLanNamesHelp'));
    expect(body.match(/\b(options|mode)[A-Z]\w+/g)).toBeNull();
  });
});
