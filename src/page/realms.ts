// Runs in the page's world: no extension APIs.
// Every realm the page can reach gets the same patches before page code can use it: this window at
// document_start, and same-origin child windows (iframes, pop-ups) as soon as the page can get hold
// of them. Content scripts do not run in a frame's initial about:blank document, and a constructor
// taken from it right after appendChild keeps working after the frame loads, so the parent patches it.
import { apply, getDesc, SafeWeakSet } from './captured';
import { patchIceTransport } from './ice-transport';
import { patchPeerConnection } from './peer-connection';
import type { AnyFn, Realm } from './realm-tools';
import { patchStats } from './stats';
import { wrapAccessor, wrapMethod, patchToString } from './wrap';

const patched = new SafeWeakSet<object>();

/** Patches `win` if it is a same-origin window we have not patched yet. Never throws. */
export function patchRealm(win: unknown): void {
  if (typeof win !== 'object' || win === null || patched.has(win)) return;
  let realm: Realm;
  try {
    realm = win as Realm;
    // Throws for a cross-origin window (its own shim, if any, patches it).
    if (typeof realm.Function !== 'function') return;
  } catch {
    return;
  }
  patched.add(win);
  patchToString(realm);
  patchPeerConnection(realm, patchStats(realm));
  patchIceTransport(realm);
  hookChildRealms(realm);
}

/** Patches the windows of all frames currently in `realm`'s document. */
function sweep(realm: Realm): void {
  let n = 0;
  try {
    n = realm.length; // number of child browsing contexts (frames)
  } catch {
    return;
  }
  for (let i = 0; i < n && i < 1000; i++) {
    let child: unknown;
    try {
      child = realm[i as unknown as keyof Realm];
    } catch {
      continue;
    }
    patchRealm(child);
  }
}

function hookChildRealms(realm: Realm): void {
  // Direct handles on a child window.
  for (const [ctor, prop] of [
    ['HTMLIFrameElement', 'contentWindow'],
    ['HTMLFrameElement', 'contentWindow'],
    ['HTMLObjectElement', 'contentWindow'],
    ['HTMLIFrameElement', 'contentDocument'],
    ['HTMLFrameElement', 'contentDocument'],
    ['HTMLObjectElement', 'contentDocument'],
  ] as const) {
    const proto = (realm[ctor] as { prototype?: object } | undefined)?.prototype;
    if (!proto) continue;
    wrapAccessor(proto, prop, (orig, self) => {
      const v = apply(orig, self, []);
      if (v) patchRealm(prop === 'contentWindow' ? v : (v as Document).defaultView);
      return v;
    });
  }
  // window.open's pop-up.
  wrapMethod(realm, 'open', (orig, self, args) => {
    const w = apply(orig, self, args);
    patchRealm(w);
    return w;
  });
  // Every way to put a frame into the document: after the call, patch every frame now present
  // (frames[i] and window[i] cannot be intercepted, so they must already be patched by then).
  const after = (target: object | undefined, names: string[]) => {
    if (!target) return;
    for (const name of names) {
      wrapMethod(target, name, (orig, self, args) => {
        try {
          return apply(orig, self, args);
        } finally {
          sweep(realm);
        }
      });
    }
  };
  const afterSet = (target: object | undefined, names: string[]) => {
    if (!target) return;
    for (const name of names) {
      const d = getDesc(target, name);
      if (!d || typeof d.set !== 'function') continue;
      wrapAccessor(target, name, undefined, (orig, self, value) => {
        try {
          apply(orig as AnyFn, self, [value]);
        } finally {
          sweep(realm);
        }
      });
    }
  };
  after(realm.Node?.prototype, ['appendChild', 'insertBefore', 'replaceChild']);
  after(realm.Element?.prototype, ['append', 'prepend', 'before', 'after', 'replaceWith', 'replaceChildren', 'insertAdjacentElement', 'insertAdjacentHTML', 'setHTMLUnsafe']);
  after(realm.Document?.prototype, ['write', 'writeln', 'append', 'prepend', 'replaceChildren']);
  after(realm.DocumentFragment?.prototype, ['append', 'prepend', 'replaceChildren']);
  after(realm.CharacterData?.prototype, ['before', 'after', 'replaceWith']);
  afterSet(realm.Element?.prototype, ['innerHTML', 'outerHTML']);
  afterSet(realm.ShadowRoot?.prototype, ['innerHTML']);
  afterSet(realm.HTMLIFrameElement?.prototype, ['src', 'srcdoc']);
}
