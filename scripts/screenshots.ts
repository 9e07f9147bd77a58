// `npm run screenshots`: pictures of IceGuard's pages for docs/screenshots/ and the store kit
// (docs/store/, docs/store.md), light and dark, taken in headless Chromium inside the test bed (a real
// site, real connections, a real prompt), so they show what a person sees rather than a mock-up. Needs
// the test build (its bridge finds the prompt) and root (the bed's network namespaces), like the
// browser tests.
//
//   docs/screenshots/popup-{light,dark}.png    the toolbar popup (320 px) for a tab where a site
//                                              gathered candidates
//   docs/screenshots/prompt-{light,dark}.png   the question window, opened by trigger (a): a camera
//                                              site got raw host addresses from the browser
//   docs/screenshots/options-{light,dark}.png  the options page
//   docs/store/{popup,prompt,options}-{1280x800,640x400}.png  each of them on a plain page with a
//                                              caption, at the sizes the stores take
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { backgroundCall, createBed, gather, launch, serveFixtures, type RunningBrowser } from '../test/e2e/harness';
import { repoRoot, runScript } from '../test/e2e/harness/sys';

const OUT = join(repoRoot(), 'docs/screenshots');
const STORE = join(repoRoot(), 'docs/store');
const SCHEMES = ['light', 'dark'] as const;
type Scheme = (typeof SCHEMES)[number];
/** The popup and the options page say when they have filled themselves from the background. */
const FILLED = '#main[aria-busy="false"]';
/** The question window takes answers (its buttons stop looking disabled) a moment after it is shown. */
const ARMED = 'html[data-armed="true"] #site:not(:empty)';

interface Shot {
  name: string;
  /** The extension page and its query. */
  path: string;
  width: number;
  height: number;
  /** A selector that matches once the page has filled itself from the background and is ready to use. */
  ready: string;
  /** Only the body (the popup's and the prompt's own size), the whole page, or what the viewport shows. */
  clip: 'body' | 'page' | 'viewport';
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

/** Pictures of one page in each colour scheme, written to docs/screenshots/ unless `save` is false. */
async function take(b: RunningBrowser, shot: Shot, save = true): Promise<Record<Scheme, Uint8Array>> {
  const out: Partial<Record<Scheme, Uint8Array>> = {};
  for (const scheme of SCHEMES) {
    const page: Page = await b.browser.newPage();
    try {
      await page.setViewport({ width: shot.width, height: shot.height, deviceScaleFactor: shot.scale });
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
      await page.goto(`chrome-extension://${b.extensionId}/${shot.path}`, { waitUntil: 'load' });
      await page.waitForSelector(shot.ready, { timeout: 10_000 });
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      const body = await page.$('body');
      if (!body) throw new Error(`${shot.path}: no body`);
      const png = shot.clip === 'body' ? await body.screenshot() : await page.screenshot({ fullPage: shot.clip === 'page' });
      out[scheme] = png;
      if (save) write(join(OUT, `${shot.name}-${scheme}.png`), png);
    } finally {
      await page.close();
    }
  }
  return out as Record<Scheme, Uint8Array>;
}

function write(file: string, png: Uint8Array): void {
  writeFileSync(file, png);
  console.log(`wrote ${file}`);
}

/** A store picture: a caption beside (or above) the page's picture, on a plain page. */
interface StoreShot {
  name: string;
  title: string;
  text: string;
  png: Uint8Array;
  /** Caption beside a tall picture (popup, prompt) or above a wide one (options). */
  layout: 'beside' | 'above';
}

/** The store's two sizes: 1280x800 drawn as it is, 640x400 the same drawing at half the pixels. */
const STORE_SIZES = [
  { suffix: '1280x800', scale: 1 },
  { suffix: '640x400', scale: 0.5 },
] as const;

function storePage(shot: StoreShot): string {
  const src = `data:image/png;base64,${Buffer.from(shot.png).toString('base64')}`;
  const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const beside = shot.layout === 'beside';
  return `<!doctype html><html><head><meta charset="utf-8"><style>
    html, body { margin: 0; width: 1280px; height: 800px; overflow: hidden; }
    body { display: flex; flex-direction: ${beside ? 'row' : 'column'}; align-items: center; justify-content: center; gap: ${beside ? 56 : 28}px;
      background: #eef2f6; color: #1f2328; font-family: system-ui, sans-serif; box-sizing: border-box; padding: 48px 64px; }
    .words { max-width: ${beside ? '430px' : '1100px'}; text-align: ${beside ? 'left' : 'center'}; }
    .brand { font-size: 22px; font-weight: 700; color: #1a56c4; margin: 0 0 12px; }
    h1 { font-size: 40px; line-height: 1.15; margin: 0 0 16px; }
    p { font-size: 21px; line-height: 1.45; margin: 0; color: #3b434c; }
    img { display: block; max-width: ${beside ? 660 : 1100}px; max-height: ${beside ? 700 : 480}px;
      border-radius: 10px; box-shadow: 0 10px 40px rgb(0 0 0 / 0.18), 0 0 0 1px rgb(0 0 0 / 0.12); }
  </style></head><body>
    <div class="words"><p class="brand">IceGuard</p><h1>${esc(shot.title)}</h1><p>${esc(shot.text)}</p></div>
    <img alt="" src="${src}">
  </body></html>`;
}

async function store(b: RunningBrowser, shot: StoreShot): Promise<void> {
  const page = await b.browser.newPage();
  try {
    await page.setContent(storePage(shot), { waitUntil: 'load' });
    await page.evaluate(() => Promise.all([document.fonts.ready, ...[...document.images].map((i) => i.decode())]).then(() => undefined));
    for (const size of STORE_SIZES) {
      await page.setViewport({ width: 1280, height: 800, deviceScaleFactor: size.scale });
      write(join(STORE, `${shot.name}-${size.suffix}.png`), await page.screenshot());
    }
  } finally {
    await page.close();
  }
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) {
    console.error('the screenshots are taken inside private network namespaces, which needs root: sudo npm run screenshots');
    process.exit(1);
  }
  mkdirSync(OUT, { recursive: true });
  mkdirSync(STORE, { recursive: true });
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
    const popup = await take(b, { name: 'popup', path: `popup.html?tab=${tabId}`, width: 320, height: 600, clip: 'body', scale: 2, ready: FILLED });

    // A camera site: with camera access Chromium hands the page raw host addresses, and the background
    // asks the user (trigger a). The prompt window is a real one; the picture is of the same page.
    const call = await b.browser.newPage();
    await call.goto(`${camera}/gather.html`);
    await gather(call, { iceServers: bed.iceServers, getUserMedia: true });
    const prompt = await within('the prompt', 10_000, async () => {
      const r = await backgroundCall<{ prompt: { id: string } | null }>(call, { type: 'open-prompt' });
      return r.prompt;
    });
    const question = await take(b, { name: 'prompt', path: `prompt.html?id=${encodeURIComponent(prompt.id)}`, width: 460, height: 520, clip: 'body', scale: 2, ready: ARMED });

    await take(b, { name: 'options', path: 'options.html', width: 900, height: 800, clip: 'page', scale: 1, ready: FILLED });
    // The store shows the top of the options page at twice the pixels, so the 1280x800 picture is sharp.
    const options = await take(b, { name: 'options', path: 'options.html', width: 680, height: 470, clip: 'viewport', scale: 2, ready: FILLED }, false);

    await store(b, { name: 'popup', layout: 'beside', png: popup.light, title: 'See what a site tried, and decide', text: 'The toolbar button shows how many of your local network addresses IceGuard hid on this tab, and lets you choose what this site may see.' });
    await store(b, { name: 'prompt', layout: 'beside', png: question.light, title: 'Asked first, never assumed', text: "When a site could see your device's addresses on your home or office network, IceGuard holds them back and asks you." });
    await store(b, { name: 'options', layout: 'above', png: options.dark, title: 'A safe default, and your decisions', text: 'Hide local addresses everywhere, and decide for the few sites that need them. Every choice says what it does, in plain words.' });
  } finally {
    await b.close();
    server.close();
    bed.close();
  }
}

runScript(main);
