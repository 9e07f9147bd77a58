// Hooks around any write that can change a site's mode (decisions, the default, "once" grants), so
// that what mirrors the modes elsewhere (the mode hints, hints.ts) is taken down before the write and
// put back after it: it never states an old mode. Kept apart so the stores need not import hints.ts.
import { logTo } from './error-log';

let before: () => Promise<void> = () => Promise.resolve();
let after: () => void = () => undefined;

export function onModeChange(hooks: { before: () => Promise<void>; after: () => void }): void {
  before = hooks.before;
  after = hooks.after;
}

/** Awaits the `before` hook; a failing hook does not stop the user's change (`after` re-syncs). */
export function modeWillChange(): Promise<void> {
  return before().catch(logTo('mode hints'));
}

export function modeChanged(): void {
  after();
}
