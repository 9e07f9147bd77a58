// `npm run screenshots`: pictures of IceGuard's pages for docs/screenshots/, light and dark, taken in
// headless Chromium inside the test bed (a real site, real connections, a real prompt), so they show
// what a person sees rather than a mock-up. Needs the test build (its bridge finds the prompt) and root
// (the bed's network namespaces), like the browser tests.
//
//   popup-{light,dark}.png    the toolbar popup (320 px) for a tab where a site gathered candidates
//   prompt-{light,dark}.png   the permission prompt, opened by trigger (a): a camera site got raw
//                             host addresses from the browser
//   options-{light,dark}.png  the options page
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { backgroundCall, createBed, gather, launch, serveFixtures, type RunningBrowser } from '../test/e2e/harness';
import { repoRoot, runScript } from '../test/e2e/harness/sys';

const OUT = join(repoRoot(), 'docs/screenshots');
const SCHEMES = ['light', 'dark'] as const;

interface Shot {
  name: string;
  /** The extension page and its query. */
  path: string;
  width: number;
  height: number;
  /** Only the body (the popup's and the prompt's own size), or the whole page. */
  clip: 'body' | 'page';
  scale: number;
}

async function within<T>(what: string, ms: number, get: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (v !== null) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function take(b: RunningBrowser, shot: Shot): Promise<void> {
  for (const scheme of SCHEMES) {
    const page: Page = await b.browser.newPage();
    try {
      await page.setViewport({ width: shot.width, height: shot.height, deviceScaleFactor: shot.scale });
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
      await page.goto(`chrome-extension://${b.extensionId}/${shot.path}`, { waitUntil: 'load' });
      // The pages fill themselves from the background; the popup says when it is done.
      await page.waitForFunction(() => document.getElementById('main')?.getAttribute('aria-busy') !== 'true', { timeout: 10_000 });
      await new Promise((r) => setTimeout(r, 300));
      const file = join(OUT, `${shot.name}-${scheme}.png`) as `${string}.png`;
      if (shot.clip === 'body') {
        const body = await page.$('body');
        if (!body) throw new Error(`${shot.path}: no body`);
        await body.screenshot({ path: file });
      } else {
        await page.screenshot({ path: file, fullPage: true });
      }
      console.log(`wrote ${file}`);
    } finally {
      await page.close();
    }
  }
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) {
    console.error('the screenshots are taken inside private network namespaces, which needs root: sudo npm run screenshots');
    process.exit(1);
  }
  mkdirSync(OUT, { recursive: true });
  const bed = await createBed();
  const server = await serveFixtures(bed.lan.ns);
  const b = await launch('chromium', { host: bed.lan });
  try {
    const [site, camera] = server.origins;
    // A site that connected: the popup has a mode, counts and "in use" to show.
    const tab = await b.browser.newPage();
    await tab.goto(`${site}/gather.html`);
    await gather(tab, { iceServers: bed.iceServers });
    await gather(tab, { iceServers: bed.iceServers });
    const { tabId } = await backgroundCall<{ tabId: number }>(tab, { type: 'badge' });
    await within('the counts', 10_000, async () => {
      const r = await backgroundCall<{ reply: { tab?: { addressesHidden: number } } }>(tab, { type: 'ui', request: { ui: 'tab-state', tabId } });
      return (r.reply.tab?.addressesHidden ?? 0) > 0 ? true : null;
    });
    await new Promise((r) => setTimeout(r, 1000)); // the relay's last batched report
    await take(b, { name: 'popup', path: `popup.html?tab=${tabId}`, width: 320, height: 600, clip: 'body', scale: 2 });

    // A camera site: with camera access Chromium hands the page raw host addresses, and the background
    // asks the user (trigger a). The prompt window is a real one; the picture is of the same page.
    const call = await b.browser.newPage();
    await call.goto(`${camera}/gather.html`);
    await gather(call, { iceServers: bed.iceServers, getUserMedia: true });
    const prompt = await within('the prompt', 10_000, async () => {
      const r = await backgroundCall<{ prompt: { id: string } | null }>(call, { type: 'open-prompt' });
      return r.prompt;
    });
    await take(b, { name: 'prompt', path: `prompt.html?id=${encodeURIComponent(prompt.id)}`, width: 460, height: 520, clip: 'body', scale: 2 });

    await take(b, { name: 'options', path: 'options.html', width: 900, height: 800, clip: 'page', scale: 1 });
  } finally {
    await b.close();
    server.close();
    bed.close();
  }
}

runScript(main);
