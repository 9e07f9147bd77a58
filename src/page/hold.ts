// Runs in the page's world: no extension APIs.
// Work that waits for the relay (the site's mode, mDNS names): retried whenever the relay notifies,
// and given up (fail closed: nothing released) after HOLD_LIMIT_MS.
import { apply, now, SafeMap, setTimeoutFn, topWindow } from './captured';

export const HOLD_LIMIT_MS = 10_000;

const waiting = new SafeMap<number, () => void>();
let nextKey = 1;

/** The channel calls this when the relay learned something: retry everything that waits. */
export function retryHeld(): void {
  const todo = new SafeMap<number, () => void>();
  waiting.forEach((fn, k) => todo.set(k, fn));
  todo.forEach((fn) => fn());
}

/** Runs `attempt` now and after each notification until it returns true; else `giveUp` at the limit. */
export function retry(attempt: () => boolean, giveUp: () => void): void {
  if (attempt()) return;
  const key = nextKey++;
  const started = now();
  let done = false;
  const finish = () => {
    done = true;
    waiting.delete(key);
  };
  waiting.set(key, () => {
    if (done) return;
    if (attempt()) finish();
    else if (now() - started > HOLD_LIMIT_MS) {
      finish();
      giveUp();
    }
  });
  apply(setTimeoutFn, topWindow, [
    () => {
      if (!done) {
        finish();
        giveUp();
      }
    },
    HOLD_LIMIT_MS,
  ]);
}
