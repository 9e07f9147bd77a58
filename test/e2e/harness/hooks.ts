// Vitest hooks shared by the browser test files (kept out of index.ts, which the Node scripts use too).
import { afterAll, beforeAll } from 'vitest';
import { createBed, type Bed, type BedOptions } from './bed';
import type { BrowserKind } from './browsers';
import { serveFixtures, type FixtureServer } from './fixture-server';
import { launchPair, type BrowserPair } from './leak-tools';

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
