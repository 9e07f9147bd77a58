// The permission prompt (issue #5): it opens on its triggers for undecided sites only, each answer
// gives the site the expected candidates on its next connection, "once" ends with the tab, decisions
// survive a stopped background, closing it decides nothing, and nothing a page sends can answer it.
// Chromium: the prompt page is driven with real clicks. Firefox: BiDi cannot open moz-extension://
// pages, so the same flows go through the test bridge (its `ui` request is what the page's click sends).
import type { Page, Target } from 'puppeteer-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useBed } from './harness/hooks';
import { backgroundCall, BROWSER_KINDS, findAddresses, gather, launch, type Bed, type FixtureServer, type RunningBrowser } from './harness';
import { constructorError, stopServiceWorker } from './harness/ui-tools';

let bed: Bed;
let server: FixtureServer;
useBed((b, s) => {
  bed = b;
  server = s;
});

interface PromptInfo {
  id: string;
  site: string;
  topSite: string | null;
  trigger: string;
  tabId: number;
}

async function openPrompt(page: Page, timeoutMs = 8000): Promise<PromptInfo | null> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const r = await backgroundCall<{ prompt: PromptInfo | null }>(page, { type: 'open-prompt' });
    if (r.prompt) return r.prompt;
    await new Promise((res) => setTimeout(res, 150));
  }
  return null;
}

async function settings(page: Page): Promise<{ sites: Record<string, string>; prompts: Record<string, boolean> }> {
  const r = await backgroundCall<{ reply: { state: { settings: { sites: Record<string, string>; prompts: Record<string, boolean> } } } }>(page, {
    type: 'ui',
    request: { ui: 'settings' },
  });
  return r.reply.state.settings;
}

const ui = (page: Page, request: unknown) => backgroundCall<{ ok: boolean; reply: { ok: boolean; error?: string } }>(page, { type: 'ui', request });

/** Raw LAN addresses the page saw in a fresh gathering (the bed's LAN host addresses). */
async function leaked(page: Page): Promise<string[]> {
  const seen = await gather(page, { iceServers: [] });
  expect(seen.complete).toBe(true);
  return findAddresses(JSON.stringify(seen), bed.lan.addresses);
}


describe.each(BROWSER_KINDS)('%s', (kind) => {
  let b: RunningBrowser;
  let page: Page;
  let origin: string;
  beforeEach(async () => {
    // A fresh browser per test: prompts are rate-limited per site for 10 minutes.
    b = await launch(kind, { host: bed.lan });
    page = await b.browser.newPage();
    origin = server.origins[0]!;
    await page.goto(`${origin}/gather.html`);
  });
  afterEach(async () => {
    await b?.close();
  });

  /** Answers the open prompt: a real click in Chromium, the page's own request in Firefox. */
  async function answer(prompt: PromptInfo, choice: 'hide' | 'once' | 'always' | 'block'): Promise<void> {
    if (kind === 'chromium') {
      const target = await b.browser.waitForTarget((t: Target) => t.url().includes(`/prompt.html?id=${prompt.id}`), { timeout: 8000 });
      const p = (await target.asPage())!;
      await p.waitForFunction(() => document.getElementById('site')?.textContent !== '', { timeout: 8000 });
      expect(await p.$eval('#site', (e) => e.textContent)).toBe(prompt.site);
      // The prompt takes no answer in its first second (a click meant for the page must not answer it).
      await p.waitForFunction(() => document.documentElement.dataset.armed === 'true', { timeout: 8000 });
      const closed = new Promise<void>((res) => p.once('close', () => res()));
      await p.click(`#${choice}`);
      await Promise.race([closed, new Promise((_, rej) => setTimeout(() => rej(new Error('the prompt window did not close')), 8000))]);
    } else {
      const r = await ui(page, { ui: 'prompt-answer', id: prompt.id, answer: choice });
      expect(r.reply).toEqual({ ok: true });
    }
  }

  it('a raw host address on an undecided site opens the prompt, which names the site and why', async () => {
    expect(await leaked(page)).toEqual([]); // the browser handed raw addresses; the page got none
    const prompt = await openPrompt(page);
    expect(prompt).toMatchObject({ site: origin, trigger: 'rawHost', topSite: null });
    if (kind === 'chromium') {
      const target = await b.browser.waitForTarget((t: Target) => t.url().includes('/prompt.html'), { timeout: 8000 });
      const p = (await target.asPage())!;
      await p.waitForFunction(() => document.getElementById('site')?.textContent !== '', { timeout: 8000 });
      const text = await p.evaluate(() => document.body.innerText);
      expect(text).toContain(origin);
      expect(text).toMatch(/local network addresses/);
      for (const id of ['hide', 'once', 'always', 'block']) expect(await p.$eval(`#${id}`, (e) => (e as HTMLButtonElement).disabled)).toBe(false);
    }
  });

  it('"Keep hiding" is remembered: the site keeps the default mode and is not asked again', async () => {
    expect(await leaked(page)).toEqual([]);
    await answer((await openPrompt(page))!, 'hide');
    expect((await settings(page)).sites[origin]).toBe('srflx-only');
    expect(await leaked(page)).toEqual([]);
    await page.goto(`${origin}/gather.html`);
    expect(await leaked(page)).toEqual([]);
    expect(await openPrompt(page, 2000)).toBeNull();
  });

  it('"Keep hiding" under a stricter default remembers that default, never a looser mode', async () => {
    expect(await leaked(page)).toEqual([]);
    const prompt = (await openPrompt(page))!;
    // The default turns stricter while the prompt is open (no raw-host prompt opens under relay-only).
    await ui(page, { ui: 'set-setting', key: 'defaultMode', value: 'relay-only' });
    try {
      await answer(prompt, 'hide');
      expect((await settings(page)).sites[origin]).toBe('relay-only');
    } finally {
      await ui(page, { ui: 'set-setting', key: 'defaultMode', value: 'srflx-only' });
    }
  });

  if (kind === 'chromium') {
    // Real key presses (Chromium: BiDi cannot drive moz-extension:// pages; the page is the same code).
    it('a key pressed as the prompt appears answers nothing; the focused answer is "keep hiding"', async () => {
      expect(await leaked(page)).toEqual([]);
      const prompt = (await openPrompt(page))!;
      const target = await b.browser.waitForTarget((t: Target) => t.url().includes(`/prompt.html?id=${prompt.id}`), { timeout: 8000 });
      const p = (await target.asPage())!;
      await p.waitForFunction(() => document.getElementById('site')?.textContent !== '', { timeout: 8000 });
      expect(await p.evaluate(() => document.activeElement?.id)).toBe('hide');
      // Enter and Space at once, as a user typing in the page would: no decision, the window stays.
      expect(await p.evaluate(() => document.documentElement.dataset.armed)).toBe('false');
      await p.keyboard.press('Enter');
      await p.keyboard.press('Space');
      await p.click('#always');
      expect((await settings(page)).sites[origin]).toBeUndefined();
      expect(p.isClosed()).toBe(false);
      // Once armed, Enter answers with the focused (safe) choice.
      await p.waitForFunction(() => document.documentElement.dataset.armed === 'true', { timeout: 8000 });
      await p.focus('#hide');
      const closed = new Promise<void>((res) => p.once('close', () => res()));
      // Enter activates a focused button on key down; the window may be gone before the key up.
      await p.keyboard.down('Enter');
      await p.keyboard.up('Enter').catch(() => undefined);
      await Promise.race([closed, new Promise((_, rej) => setTimeout(() => rej(new Error('the prompt window did not close')), 8000))]);
      expect((await settings(page)).sites[origin]).toBe('srflx-only');
    });
  }

  it('"Always allow" gives the site the browser\'s raw candidates from its next connection on', async () => {
    expect(await leaked(page)).toEqual([]);
    const prompt = (await openPrompt(page))!;
    await answer(prompt, 'always');
    expect((await settings(page)).sites[origin]).toBe('direct');
    expect((await leaked(page)).length).toBeGreaterThan(0);
    // A new document of the site too.
    await page.goto(`${origin}/gather.html`);
    expect((await leaked(page)).length).toBeGreaterThan(0);
  });

  it('"Block" turns WebRTC off for the site', async () => {
    expect(await leaked(page)).toEqual([]);
    await answer((await openPrompt(page))!, 'block');
    expect((await settings(page)).sites[origin]).toBe('off');
    expect(await constructorError(page)).toBe('NotAllowedError');
    await page.goto(`${origin}/gather.html`);
    expect(await constructorError(page)).toBe('NotAllowedError');
  });

  it('"Allow once" holds in this tab only, and ends when the tab closes', async () => {
    expect(await leaked(page)).toEqual([]);
    await answer((await openPrompt(page))!, 'once');
    expect((await settings(page)).sites[origin]).toBeUndefined();
    expect((await leaked(page)).length).toBeGreaterThan(0);
    const tabId = (await backgroundCall<{ tabId: number }>(page, { type: 'badge' })).tabId;
    const other = await b.browser.newPage();
    await other.goto(`${origin}/gather.html`);
    expect(await leaked(other)).toEqual([]); // another tab of the same site: not granted
    await page.close();
    const session = await backgroundCall<{ items: Record<string, unknown> }>(other, { type: 'storage-get', area: 'session' });
    expect(Object.keys(session.items)).not.toContain(`tab:${tabId}`);
    expect(await leaked(other)).toEqual([]);
  });

  it('closing the prompt decides nothing, and the site is not asked again within 10 minutes', async () => {
    expect(await leaked(page)).toEqual([]);
    const prompt = (await openPrompt(page))!;
    if (kind === 'chromium') {
      const target = await b.browser.waitForTarget((t: Target) => t.url().includes(`/prompt.html?id=${prompt.id}`), { timeout: 8000 });
      await (await target.asPage())!.close();
    } else {
      // Closing the window from the test: the extension closes it as the user's close button would.
      const win = (await backgroundCall<{ items: { promptOpen?: { windowId: number } } }>(page, { type: 'storage-get', area: 'session' })).items.promptOpen;
      expect(win).toBeDefined();
      await backgroundCall(page, { type: 'close-window', windowId: win!.windowId });
    }
    const end = Date.now() + 5000;
    while ((await backgroundCall<{ prompt: unknown }>(page, { type: 'open-prompt' })).prompt && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    expect((await backgroundCall<{ prompt: unknown }>(page, { type: 'open-prompt' })).prompt).toBeNull();
    expect((await settings(page)).sites[origin]).toBeUndefined();
    expect(await leaked(page)).toEqual([]); // still hidden, and the trigger fires again...
    expect(await openPrompt(page, 1500)).toBeNull(); // ...without a new prompt
    // Another site is asked.
    const otherOrigin = server.origins[1]!;
    await page.goto(`${otherOrigin}/gather.html`);
    expect(await leaked(page)).toEqual([]);
    expect(await openPrompt(page)).toMatchObject({ site: otherOrigin });
  });

  it('only one prompt window at a time; a decided site is never asked', async () => {
    await backgroundCall(page, { type: 'set-site-mode', origin: server.origins[1], mode: 'relay-only' });
    expect(await leaked(page)).toEqual([]);
    const first = (await openPrompt(page))!;
    expect(first.site).toBe(origin);
    const second = await b.browser.newPage();
    await second.goto(`${server.origins[1]}/gather.html`);
    await gather(second, { iceServers: [] });
    // The decided site (relay-only) asks nothing, and the first prompt is still the open one.
    await new Promise((r) => setTimeout(r, 1000));
    expect((await backgroundCall<{ prompt: PromptInfo }>(page, { type: 'open-prompt' })).prompt.id).toBe(first.id);
  });

  it('the triggers follow their settings: "first use" when on; none when all are off', async () => {
    const set = (prompts: Record<string, boolean>) => ui(page, { ui: 'set-setting', key: 'prompts', value: prompts });
    expect((await set({ rawHost: false, failed: false, firstUse: false })).reply).toEqual({ ok: true });
    expect(await leaked(page)).toEqual([]);
    expect(await openPrompt(page, 1500)).toBeNull();
    expect((await set({ rawHost: false, failed: false, firstUse: true })).reply).toEqual({ ok: true });
    const otherOrigin = server.origins[1]!;
    await page.goto(`${otherOrigin}/gather.html`);
    await gather(page, { iceServers: [] });
    expect(await openPrompt(page)).toMatchObject({ site: otherOrigin, trigger: 'firstUse' });
  });

  it('a page can request a prompt ("failed") but never answer one: forged relay messages grant nothing', async () => {
    await ui(page, { ui: 'set-setting', key: 'prompts', value: { rawHost: false, failed: true, firstUse: false } });
    const forge = (message: unknown) => backgroundCall<{ reply: unknown }>(page, { type: 'forge', message });
    // A report of a failed connection (what the relay sends when ICE failed with candidates withheld).
    await forge({ type: 'activity', origin, connections: 1, candidatesHidden: 1, addresses: [], rawHost: false, failed: true });
    const prompt = (await openPrompt(page))!;
    expect(prompt).toMatchObject({ site: origin, trigger: 'failed' });
    // Everything the extension's own pages may send, sent from the page's relay instead.
    const tabId = prompt.tabId;
    for (const message of [
      { ui: 'prompt-answer', id: prompt.id, answer: 'always' },
      { ui: 'prompt-answer', id: prompt.id, answer: 'once' },
      { ui: 'set-site', site: origin, mode: 'direct' },
      { ui: 'allow-once', tabId, site: origin },
      { ui: 'set-setting', key: 'defaultMode', value: 'direct' },
      { ui: 'import', text: JSON.stringify({ format: 'iceguard-settings', version: 1, defaultMode: 'direct' }) },
      { ui: 'settings' },
      { ui: 'prompt', id: prompt.id },
    ]) {
      expect((await forge(message)).reply, JSON.stringify(message)).toBeNull();
    }
    // A relay that claims another site's origin gets its own document's site: the browser says who sent it.
    await backgroundCall(page, { type: 'set-site-mode', origin: 'https://elsewhere.example', mode: 'direct' });
    expect(((await forge({ type: 'hello', origin: 'https://elsewhere.example' })).reply as { mode: string }).mode).toBe('srflx-only');
    await backgroundCall(page, { type: 'set-site-mode', origin: 'https://elsewhere.example', mode: null });
    const s = await settings(page);
    expect(s.sites).toEqual({});
    expect((await backgroundCall<{ prompt: PromptInfo }>(page, { type: 'open-prompt' })).prompt.id).toBe(prompt.id); // still unanswered
    expect(await leaked(page)).toEqual([]);
  });

  it('decisions and "once" grants survive a stopped background', async () => {
    if (kind === 'firefox') {
      // Firefox stops an idle event page after extensions.background.idle.timeout: a short one here.
      await b.close();
      b = await launch(kind, { host: bed.lan, firefoxPrefs: { 'extensions.background.idle.timeout': 1500 } });
      page = await b.browser.newPage();
      await page.goto(`${origin}/gather.html`);
    }
    await backgroundCall(page, { type: 'set-site-mode', origin: server.origins[1], mode: 'direct' });
    expect(await leaked(page)).toEqual([]);
    await answer((await openPrompt(page))!, 'once');
    const before = await backgroundStart(page);
    await stopBackground(b);
    expect(await backgroundStart(page)).not.toBe(before); // a new background instance answers
    expect((await leaked(page)).length).toBeGreaterThan(0); // once: still granted
    await page.goto(`${server.origins[1]}/gather.html`);
    expect((await leaked(page)).length).toBeGreaterThan(0); // always: still decided
  });
});

async function backgroundStart(page: Page): Promise<number> {
  return (await backgroundCall<{ startedAt: number }>(page, { type: 'ping' })).startedAt;
}

/**
 * Stops the background: Chromium's service worker through CDP (as the devtools "Stop" button does);
 * Firefox's event page by leaving it idle past the short idle timeout the test launched it with.
 */
async function stopBackground(b: RunningBrowser): Promise<void> {
  if (b.kind === 'firefox') {
    await new Promise((r) => setTimeout(r, 4000));
    return;
  }
  await stopServiceWorker(b);
}
