// Runs in the page's world: no extension APIs.
// Test builds only: leaves a read-only, non-enumerable marker so a fixture page's first inline script
// can prove the shim ran before it (docs/design.md "Page shim": document_start, all frames), and tests can
// see whether this frame's shim reached its relay.

import { create, defineProp, freeze } from './captured';

export function markInjected(
  win: typeof globalThis,
  state: { connected: () => boolean; failure: string | null; evalMs: number; adopted?: boolean; roundTripMs?: (n: number) => number },
): void {
  const document = win.document;
  const probe = freeze({
    get connected() {
      return state.connected();
    },
    failure: state.failure,
    evalMs: state.evalMs,
    readyState: document.readyState,
    // Scripts already in the document when the shim ran: 0 means it ran before the page's first.
    scriptsBefore: document.scripts.length,
    href: win.location.href,
    // Adopted by the shim that patched its reused Window (adopt.ts): that shim's channel serves it.
    adopted: state.adopted === true,
    // The channel's own cost (bench-shim BENCH_ONLY=channel): ms per request, the cheapest one, n times.
    roundTripMs: state.roundTripMs,
  });
  const d = create(null) as PropertyDescriptor;
  d.value = probe;
  defineProp(win, '__iceguardProbe', d);
}
