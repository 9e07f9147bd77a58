// The real-app test files' hook (Vitest); the drivers themselves are in apps.ts, which scripts use too.
import { afterAll, beforeAll } from 'vitest';
import { makeAppBed, type AppBed } from './apps';

export * from './apps';

/** The simple-peer files' setup (`makeAppBed`), one for the whole file. */
export function useAppBed(take: (a: AppBed) => void): void {
  let made: AppBed | undefined;
  beforeAll(async () => {
    made = await makeAppBed();
    take(made);
  });
  afterAll(() => made?.close());
}
