// The fast tier of the page shim (issue #18): its modules run in Node, against the built-ins Node has,
// with the few browser globals they capture at load replaced by small stand-ins. What depends on the
// DOM itself (insertions, events on connections) stays with the real-browser tests.
import { vi } from 'vitest';

/** Makes `window` (and the DOM constructors the shim captures at load) exist, then loads `module` afresh. */
export async function loadShimModule<T>(module: string, win: object = globalThis): Promise<T> {
  vi.resetModules();
  vi.stubGlobal('window', win);
  vi.stubGlobal('__TEST__', false);
  vi.stubGlobal('__BROWSER__', 'chrome');
  vi.stubGlobal('__FUZZ_BROKEN__', false);
  if (typeof (globalThis as { MutationObserver?: unknown }).MutationObserver === 'undefined') {
    vi.stubGlobal(
      'MutationObserver',
      class {
        observe(): void {}
      },
    );
  }
  return (await import(module)) as T;
}
