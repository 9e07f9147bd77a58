// What the consent and enterprise tests share: English messages as the pages show them, polling,
// and stopping the extension's background as the browser may do at any moment.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import type { SettingsState, TabState } from '../../../src/shared/ui-protocol';
import { DIST, type RunningBrowser } from './browsers';
import { backgroundCall } from './page-tools';

type Messages = Record<string, { message: string }>;
let cached: Messages | undefined;

/** An English message of the test build, with its $NAME$ placeholders filled in order, as the browser would. */
export function en(key: string, subs: string[] = []): string {
  cached ??= JSON.parse(readFileSync(join(DIST, 'test/chrome/_locales/en/messages.json'), 'utf8')) as Messages;
  const m = cached[key];
  if (!m) throw new Error(`no message ${key}`);
  let i = 0;
  return m.message.replace(/\$[A-Z_]+\$/g, () => subs[i++] ?? '');
}

/** Polls `get` until `ok` holds; fails with the last value after `ms`. */
export async function until<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const last = await get();
    if (ok(last)) return last;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(last)} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** What `new RTCPeerConnection()` throws in the page (its DOMException name), or null. */
export function constructorError(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    try {
      new RTCPeerConnection().close();
      return null;
    } catch (e) {
      return (e as DOMException).name;
    }
  });
}

/** Stops Chromium's extension service worker through CDP, as the devtools "Stop" button does. */
export async function stopServiceWorker(b: RunningBrowser): Promise<void> {
  const isOurs = (t: { type: string; url: string }) => t.type === 'service_worker' && t.url.includes(b.extensionId!);
  const cdp = await b.browser.target().createCDPSession();
  try {
    const { targetInfos } = await cdp.send('Target.getTargets');
    const sw = targetInfos.filter(isOurs);
    if (sw.length !== 1) throw new Error(`expected one service worker of the extension, found ${sw.length}`);
    await cdp.send('Target.closeTarget', { targetId: sw[0]!.targetId });
    const end = Date.now() + 8000;
    for (;;) {
      const { targetInfos: now } = await cdp.send('Target.getTargets');
      // Gone, or already started again under a new target (an open extension page's message wakes it at once).
      if (!now.some((t) => isOurs(t) && t.targetId === sw[0]!.targetId)) break;
      if (Date.now() > end) throw new Error('the service worker did not stop');
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await cdp.detach();
  }
}

/** What the background answers an extension page (src/shared/ui-protocol.ts), loosely typed for tests. */
export type UiAnswer =
  | { ok: true; state?: SettingsState; tab?: TabState; file?: string }
  | { ok: false; error: string; problems?: { key: string; problem: string }[] };

/** A UI request answered by the background as if an extension page had sent it (test bridge). */
export async function ui(page: Page, request: unknown): Promise<UiAnswer> {
  const r = await backgroundCall<{ ok: boolean; reply?: UiAnswer; error?: string }>(page, { type: 'ui', request });
  if (!r.ok || !r.reply) throw new Error(`test bridge: ${JSON.stringify(r)}`);
  return r.reply;
}

/** The settings state the options page reads. */
export async function state(page: Page): Promise<SettingsState> {
  const r = await ui(page, { ui: 'settings' });
  if (!r.ok || !r.state) throw new Error(`settings: ${JSON.stringify(r)}`);
  return r.state;
}
