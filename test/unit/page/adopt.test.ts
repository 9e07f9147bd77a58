// adopt.ts: a document's shim stands down only for an adoption function that the patching shim left as
// an own, non-configurable property of its Window, which no page can have put there or replaced.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadShimModule } from './shim-env';

const KEY = '__iceguardRealm';
const adoptedWith = async (win: object) => (await loadShimModule<typeof import('../../../src/page/adopt')>('../../../src/page/adopt', win)).adopted;

afterEach(() => vi.unstubAllGlobals());

describe('adopt.ts: standing down in a reused Window', () => {
  it('stands down when the patching shim left its function (non-configurable) and its channel is up', async () => {
    const calls: number[] = [];
    const win = {};
    Object.defineProperty(win, KEY, { value: () => (calls.push(1), true) });
    expect(await adoptedWith(win)).toBe(true);
    expect(calls).toEqual([1]);
  });

  it('runs on its own when that shim says its channel is down', async () => {
    const win = {};
    Object.defineProperty(win, KEY, { value: () => false });
    expect(await adoptedWith(win)).toBe(false);
  });

  it('runs on its own, without calling it, for a function a page could have put there (configurable) and removes it', async () => {
    const called: string[] = [];
    const win: Record<string, unknown> = {};
    Object.defineProperty(win, KEY, { value: () => (called.push('page'), true), configurable: true });
    expect(await adoptedWith(win)).toBe(false);
    expect(called).toEqual([]);
    expect(Object.hasOwn(win, KEY)).toBe(false);
  });

  it('runs on its own for a function inherited through the prototype chain (a page getter on Object.prototype)', async () => {
    const called: string[] = [];
    const win = Object.create({ [KEY]: () => (called.push('page'), true) }) as object;
    expect(await adoptedWith(win)).toBe(false);
    expect(called).toEqual([]);
  });

  it('runs on its own when there is nothing, something that is no function, or a function that throws', async () => {
    expect(await adoptedWith({})).toBe(false);
    const notFn = {};
    Object.defineProperty(notFn, KEY, { value: 'yes' });
    expect(await adoptedWith(notFn)).toBe(false);
    const throwing = {};
    Object.defineProperty(throwing, KEY, {
      value: () => {
        throw new Error('gone');
      },
    });
    expect(await adoptedWith(throwing)).toBe(false);
  });
});
