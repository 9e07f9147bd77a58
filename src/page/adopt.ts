// Runs in the page's world: no extension APIs. Evaluated before any other module of the shim.
//
// A frame's first Window is kept when its first real document is same-origin with it (HTML
// "navigate": srcdoc, blob:, about:blank written into, a same-origin src, a same-origin pop-up). The
// shim of the document that made the frame patched that Window the moment the page could reach it;
// between then and the new document's document_start the page may have replaced anything in it
// (JSON, Reflect, Object's statics, EventTarget.prototype…). A shim starting there would take those
// replacements as its built-ins and hand them the channel's traffic and raw candidates (found by the
// fuzzer, issue #16). So the new document's shim stands down: the realm keeps the patches made while
// it was clean, and the patching shim adopts the new document (its insertion sweeps) in its own,
// clean code (`realms.ts` offerAdoption).
//
// The patching shim leaves a function under ADOPT_KEY as an own, non-configurable property of the
// Window, which no page can replace or delete. Nothing here calls any built-in a page could have
// replaced: only property access on `window` (unforgeable), `typeof`, `delete` and a call.

/** Own property of a patched child Window: the patching shim's adoption function. */
export const ADOPT_KEY = '__iceguardRealm';

/**
 * Strict mode: `delete` throws a TypeError on a non-configurable own property, and succeeds for
 * anything else (no property, a configurable one, or one the prototype chain answers for), which
 * a page could have put there itself.
 */
function placedByOurShim(): boolean {
  try {
    delete (window as unknown as Record<string, unknown>)[ADOPT_KEY];
    return false;
  } catch {
    return true;
  }
}

/** True when this document was adopted by the shim that patched its Window: this shim does nothing. */
export const adopted: boolean = (() => {
  try {
    const adopt: unknown = (window as unknown as Record<string, unknown>)[ADOPT_KEY];
    return typeof adopt === 'function' && placedByOurShim() && adopt() === true;
  } catch {
    return false;
  }
})();
