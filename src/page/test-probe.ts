// Runs in the page's world: no extension APIs.
// Test builds only: leaves a read-only, non-enumerable marker so a fixture page's first inline script
// can prove the shim ran before it (docs/design.md "Page shim": document_start, all frames), and tests can
// see whether this frame's shim reached its relay.

import { create, defineProp, freeze } from './captured';

export function markInjected(state: { connected: () => boolean; failure: string | null; evalMs: number }): void {
  const probe = freeze({
    get connected() {
      return state.connected();
    },
    failure: state.failure,
    evalMs: state.evalMs,
    readyState: document.readyState,
    // Scripts already in the document when the shim ran: 0 means it ran before the page's first.
    scriptsBefore: document.scripts.length,
    href: location.href,
  });
  const d = create(null) as PropertyDescriptor;
  d.value = probe;
  defineProp(window, '__iceguardProbe', d);
}
