// Runs in the page's world: no extension APIs.
// Entry of the MAIN-world shim, injected at document_start into every frame (docs/design.md "Page shim"). It
// must stay an IIFE bundle that leaves no global behind (test/unit/build.test.ts checks it).
import { adopted } from './adopt';
import { topWindow } from './captured';
import { ask, connected, openChannel } from './channel';
import { retryHeld } from './hold';
import { forgetMode } from './connection';
import { patchRealm } from './realms';
import { markInjected } from './test-probe';

if (!adopted) start();

function start(): void {
  const started = __TEST__ ? performance.now() : 0;
  let failure: unknown = null;
  try {
    openChannel(() => {
      forgetMode();
      retryHeld();
    });
    patchRealm(topWindow);
  } catch (err) {
    failure = err;
  }
  if (__TEST__) markInjected(topWindow, { connected, failure: failure === null ? null : String(failure), evalMs: performance.now() - started, roundTripMs });
}

/** Test builds: the mean time of `n` requests for the mode, each a full round trip through the channel. */
function roundTripMs(n: number): number {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) ask({ t: 'mode' });
  return (performance.now() - t0) / n;
}
