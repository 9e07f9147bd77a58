// Vitest hooks shared by the browser test files (kept out of index.ts, which the Node scripts use too).
import { afterAll, beforeAll } from 'vitest';
import { createBed, type Bed, type BedOptions } from './bed';
import type { Page } from 'puppeteer-core';
import { launch, type BrowserKind, type RunningBrowser } from './browsers';
import { serveFixtures, type FixtureServer } from './fixture-server';
import { launchPair, type BrowserPair } from './leak-tools';
import { backgroundCall } from './page-tools';

/**
 * One bed and one fixture server for the whole file: made before its first test, handed to `take`,
 * closed after its last.
 */
export function useBed(take: (bed: Bed, server: FixtureServer) => void, opts: BedOptions = {}): void {
  let bed: Bed | undefined;
  let server: FixtureServer | undefined;
  beforeAll(async () => {
    bed = await createBed(opts);
    server = await serveFixtures(bed.lan.ns);
    take(bed, server);
  });
  afterAll(() => {
    server?.close();
    bed?.close();
  });
}

/** One browser with and one without the extension for the enclosing describe block (leak-tools). */
export function usePair(kind: BrowserKind, bed: () => Bed, take: (pair: BrowserPair) => void): void {
  let pair: BrowserPair | undefined;
  beforeAll(async () => {
    pair = await launchPair(kind, bed());
    take(pair);
  });
  afterAll(async () => {
    await pair?.close();
  });
}

/**
 * One browser with the extension, on the bed's LAN, and one page of it at `url()`, for the enclosing
 * describe block; prompts off (a prompt window is not what such a block tests, and one opening under
 * WebDriver BiDi can stall Firefox's next navigation).
 */
export function useQuietPage(kind: BrowserKind, bed: () => Bed, url: () => string, take: (page: Page, browser: RunningBrowser) => void): void {
  let b: RunningBrowser | undefined;
  beforeAll(async () => {
    b = await launch(kind, { host: bed().lan });
    const page = await b.browser.newPage();
    await page.goto(url());
    await backgroundCall(page, { type: 'ui', request: { ui: 'set-setting', key: 'prompts', value: { rawHost: false, failed: false, firstUse: false } } });
    take(page, b);
  });
  afterAll(async () => {
    await b?.close();
  });
}
