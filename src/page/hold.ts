// Runs in the page's world: no extension APIs.
// Work that waits for the relay (the site's mode, mDNS names): retried whenever the relay notifies,
// and given up (fail closed: nothing released) after HOLD_LIMIT_MS.
import { apply, clearTimeoutFn, now, SafeMap, setTimeoutFn, topWindow } from './captured';

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
  // Both the timer and the entry hold `attempt` and `giveUp`, and through them the connection: both
  // are dropped as soon as the work is done, so a closed connection is not kept alive for HOLD_LIMIT_MS
  // (a page churning connections would reach Chromium's limit of live ones; test/e2e/churn.test.ts).
  const timer = apply(setTimeoutFn, topWindow, [
    () => {
      if (!done) {
        finish();
        giveUp();
      }
    },
    HOLD_LIMIT_MS,
  ]);
  const finish = () => {
    done = true;
    waiting.delete(key);
    apply(clearTimeoutFn, topWindow, [timer]);
  };
  waiting.set(key, () => {
    if (done) return;
    if (attempt()) finish();
    else if (now() - started > HOLD_LIMIT_MS) {
      finish();
      giveUp();
    }
  });
}
