// Runs in the page's world: no extension APIs.
// Every realm the page can reach gets the same patches before page code can use it: this window at
// document_start, and same-origin child windows (iframes, pop-ups) as soon as the page can get hold
// of them (docs/security.md "Realms").
//
// Measured (Chromium 156, Firefox ESR 153): the browser itself runs the shim synchronously in the
// initial about:blank document of a frame without `src`, however it was inserted; a frame with `src`
// or `srcdoc` has an initial realm that no content script runs in until it navigates. Such a realm
// is reachable through contentWindow/contentDocument (wrapped here), window.open (wrapped), and
// `window[i]`/`frames[i]`/`window[name]`, which no script can intercept. So after anything that can
// insert a frame, every child window of the document is patched (`sweep`):
// - each known insertion method and setter, after it returns, sweeps the window of the document it
//   inserted into (which may be another realm's: `frameA.Node.prototype.appendChild.call(ourNode)`);
// - a MutationObserver on each patched document sweeps at the next microtask checkpoint: whatever the
//   insertion path (Range, table setters, execCommand, the HTML parser), the frame is patched before
//   the next task, and before the next parser-inserted script (the parser performs a microtask
//   checkpoint before running one: HTML "The end" / script end tag steps).
// What remains (a frame with `src` inserted by a path not listed here, read by index in the same task)
// is in docs/security.md, and the browser floor covers it.
import { ADOPT_KEY } from './adopt';
import {
  addListener,
  apply,
  construct,
  create,
  defineData,
  defineProp,
  deleteProp,
  getDesc,
  MutationObserverCtor,
  observeMutations,
  ownKeys,
  SafeWeakMap,
  SafeWeakSet,
  topWindow,
} from './captured';
import { connected } from './channel';
import { patchIceTransport } from './ice-transport';
import { patchPeerConnection } from './peer-connection';
import type { AnyFn, Realm } from './realm-tools';
import { patchStats } from './stats';
import { markInjected } from './test-probe';
import { redefine, wrapAccessor, wrapMethod, patchToString } from './wrap';

const patched = new SafeWeakSet<object>();

const nodeDocument = getDesc(Node.prototype, 'ownerDocument')!.get as AnyFn;
const documentView = getDesc(Document.prototype, 'defaultView')!.get as AnyFn;

/** Patches `win` if it is a same-origin window we have not patched yet. Never throws. */
export function patchRealm(win: unknown): void {
  if (typeof win !== 'object' || win === null || patched.has(win)) return;
  // The fuzzer's broken-build control (test/fuzz/): only the shim's own window. Compiled out elsewhere.
  if (__FUZZ_BROKEN__ && win !== topWindow) return;
  let realm: Realm;
  try {
    realm = win as Realm;
    // Throws for a cross-origin window (its own shim, if any, patches it).
    if (typeof realm.Function !== 'function') return;
  } catch {
    return;
  }
  patched.add(win);
  // Never throws into the page: this runs inside the page's own calls (insertions, getters, custom
  // element callbacks) and listeners, where an exception of ours would change what the page sees.
  try {
    patchToString(realm);
    patchPeerConnection(realm, patchStats(realm));
    patchIceTransport(realm);
    hookChildRealms(realm);
    if (win !== topWindow) offerAdoption(realm);
  } catch {
    /* a realm we could not patch whole: what was patched stays, and the browser floor is the backstop */
  }
}

/** Per patched window: its own `length` getter, taken before the page could replace `length`. */
interface Frames {
  length: AnyFn | undefined;
}
const framesOf = new SafeWeakMap<object, Frames>();

/** Patches the windows of all frames currently in `win`'s document. */
function sweep(win: unknown): void {
  if (typeof win !== 'object' || win === null) return;
  const f = framesOf.get(win);
  let n = 0;
  try {
    n = f?.length ? (apply(f.length, win, []) as number) : 0;
  } catch {
    return;
  }
  for (let i = 0; i < n && i < 1000; i++) {
    let child: unknown;
    try {
      child = (win as Record<number, unknown>)[i]; // WindowProxy indexed access: not interceptable
    } catch {
      continue;
    }
    patchRealm(child);
    // A frame's own frames: its document may hold frames the page inserted before we saw it.
    sweep(child);
  }
}

/** The window of the document `node` belongs to (a Document is its own). */
function windowOfNode(node: unknown): unknown {
  try {
    const doc = apply(nodeDocument, node, []) ?? node; // a Document's ownerDocument is null
    return apply(documentView, doc, []);
  } catch {
    return null;
  }
}

function hookChildRealms(realm: Realm): void {
  const lengthDesc = getDesc(realm, 'length');
  framesOf.set(realm, { length: lengthDesc?.get as AnyFn | undefined });
  observe(realm);
  hookHandles(realm);
  hookInsertions(realm);
  hookCustomElements(realm);
}

/** Direct handles on a child window: the frame elements' getters, getSVGDocument, window.open. */
function hookHandles(realm: Realm): void {
  const handles = ['HTMLIFrameElement', 'HTMLFrameElement', 'HTMLObjectElement'];
  for (let i = 0; i < handles.length; i++) {
    const proto = (realm[handles[i] as keyof Realm] as { prototype?: object } | undefined)?.prototype;
    if (!proto) continue;
    wrapAccessor(proto, 'contentWindow', (orig, self) => {
      const v = apply(orig, self, []);
      if (v) patchRealm(v);
      return v;
    });
    wrapAccessor(proto, 'contentDocument', (orig, self) => {
      const v = apply(orig, self, []);
      if (v) patchRealm(windowOfNode(v));
      return v;
    });
  }
  const getSVGDocument = realm.HTMLIFrameElement?.prototype;
  if (getSVGDocument) {
    wrapMethod(getSVGDocument, 'getSVGDocument', (orig, self, args) => {
      const v = apply(orig, self, args);
      if (v) patchRealm(windowOfNode(v));
      return v;
    });
  }
  // window.open's pop-up.
  wrapMethod(realm, 'open', (orig, self, args) => {
    const w = apply(orig, self, args);
    patchRealm(w);
    return w;
  });
}

/**
 * Every known way to put a frame into a document: after the call, patch every frame of that
 * document's window (frames[i] and window[i] cannot be intercepted, so they must be patched by then).
 */
function hookInsertions(realm: Realm): void {
  const after = (target: object | undefined, names: string[], where: (self: unknown, args: unknown[]) => unknown) => {
    if (!target) return;
    for (let i = 0; i < names.length; i++) {
      wrapMethod(target, names[i]!, (orig, self, args) => {
        try {
          return apply(orig, self, args);
        } finally {
          sweep(where(self, args));
          sweep(realm);
        }
      });
    }
  };
  const afterSet = (target: object | undefined, names: string[]) => {
    if (!target) return;
    for (let i = 0; i < names.length; i++) {
      const d = getDesc(target, names[i]!);
      if (!d || typeof d.set !== 'function') continue;
      wrapAccessor(target, names[i]!, undefined, (orig, self, value) => {
        try {
          apply(orig as AnyFn, self, [value]);
        } finally {
          sweep(windowOfNode(self));
          sweep(realm);
        }
      });
    }
  };
  const ofSelf = (self: unknown) => windowOfNode(self);
  after(realm.Node?.prototype, ['appendChild', 'insertBefore', 'replaceChild'], ofSelf);
  after(realm.Element?.prototype, ['append', 'prepend', 'before', 'after', 'replaceWith', 'replaceChildren', 'insertAdjacentElement', 'insertAdjacentHTML', 'setHTMLUnsafe', 'moveBefore'], ofSelf);
  after(realm.Document?.prototype, ['write', 'writeln', 'append', 'prepend', 'replaceChildren', 'execCommand', 'moveBefore'], ofSelf);
  after(realm.DocumentFragment?.prototype, ['append', 'prepend', 'replaceChildren', 'moveBefore'], ofSelf);
  after(realm.CharacterData?.prototype, ['before', 'after', 'replaceWith'], ofSelf);
  after(realm.ShadowRoot?.prototype, ['setHTMLUnsafe'], ofSelf);
  // A Range inserts into its start container's document.
  const rangeStart = realm.Range ? (getDesc(realm.Range.prototype, 'startContainer')?.get as AnyFn | undefined) : undefined;
  after(realm.Range?.prototype, ['insertNode', 'surroundContents'], (self) => windowOfNode(rangeStart ? apply(rangeStart, self, []) : null));
  after(realm.HTMLTableElement?.prototype, ['createTHead', 'createTFoot', 'createTBody', 'createCaption', 'insertRow'], ofSelf);
  afterSet(realm.Element?.prototype, ['innerHTML', 'outerHTML']);
  afterSet(realm.ShadowRoot?.prototype, ['innerHTML']);
  afterSet(realm.HTMLIFrameElement?.prototype, ['src', 'srcdoc']);
  afterSet(realm.HTMLTableElement?.prototype, ['tHead', 'tFoot', 'caption']);
  afterSet(realm.Document?.prototype, ['body']);
}

/**
 * Page code that the browser runs in the middle of an insertion, before our wrapper's sweep: custom
 * element reactions (connectedCallback and the others run before the inserting call returns). The
 * browser takes a definition's callbacks from the prototype once, inside define() (HTML "element
 * definition", step "Get(prototype, callbackName)"), so for that moment each is replaced by one that
 * sweeps first, and the prototype is put back as it was the moment define() returns.
 */
const LIFECYCLE = ['connectedCallback', 'disconnectedCallback', 'adoptedCallback', 'attributeChangedCallback', 'connectedMoveCallback'];
function hookCustomElements(realm: Realm): void {
  const registry = (realm as { CustomElementRegistry?: { prototype: object } }).CustomElementRegistry?.prototype;
  if (!registry) return;
  wrapMethod(registry, 'define', (orig, self, args) => {
    const ctor = args[1];
    let proto: unknown;
    try {
      proto = typeof ctor === 'function' ? (ctor as { prototype?: unknown }).prototype : undefined;
    } catch {
      proto = undefined;
    }
    if (typeof proto !== 'object' || proto === null) return apply(orig, self, args);
    const saved = create(null) as Record<string, PropertyDescriptor | null>;
    for (let i = 0; i < LIFECYCLE.length; i++) {
      const name = LIFECYCLE[i]!;
      let callback: unknown;
      try {
        callback = (proto as Record<string, unknown>)[name]; // what define() would Get
      } catch {
        continue; // a throwing getter: define() throws the same for itself
      }
      if (typeof callback !== 'function') continue;
      const own = getDesc(proto, name) ?? null;
      if (own && !own.configurable) continue;
      const page = callback as AnyFn;
      try {
        defineData(proto, name, function (this: unknown, ...rest: unknown[]) {
          sweep(realm);
          return apply(page, this, rest);
        }, false);
        saved[name] = own;
      } catch {
        /* a frozen prototype keeps the page's callback */
      }
    }
    try {
      return apply(orig, self, args);
    } finally {
      const names = ownKeys(saved);
      for (let i = 0; i < names.length; i++) {
        const name = names[i] as string;
        const own = saved[name];
        try {
          if (own) redefine(proto, name, own);
          else deleteProp(proto, name);
        } catch {
          /* leave it: define() has taken what it takes */
        }
      }
    }
  });
}

/**
 * The catch-all: a MutationObserver on each document of the realm sweeps at the next microtask
 * checkpoint, whatever inserted the frame. Its callback and its observer are ours (made from this
 * shim's own MutationObserver, which works across realms), so a page can neither disconnect it nor,
 * in a reused Window, hand us its own. Per realm: `document.open()` erases a document's listeners,
 * so the listener is added again on a document we watch.
 */
/** Each document we watch -> the realm it belongs to (open() may be called through another realm's method). */
const watched = new SafeWeakMap<object, Realm>();
function observe(realm: Realm): void {
  const docProto = realm.Document?.prototype;
  if (docProto) {
    wrapMethod(docProto, 'open', (orig, self, args) => {
      const r = apply(orig, self, args);
      const own = typeof self === 'object' && self !== null ? watched.get(self) : undefined;
      if (own) listenForLoad(own, self as object);
      return r;
    });
  }
  watchDocument(realm);
}

/** Starts the sweeps of the realm's current document (once per document). */
function watchDocument(realm: Realm): void {
  let doc: Document | null = null;
  try {
    doc = realm.document;
  } catch {
    return;
  }
  if (!doc || watched.has(doc)) return;
  watched.set(doc, realm);
  listenForLoad(realm, doc);
  try {
    const observer = construct(MutationObserverCtor, [() => sweep(realm)]) as MutationObserver;
    const options = create(null) as MutationObserverInit;
    options.childList = true;
    options.subtree = true;
    apply(observeMutations, observer, [doc, options]);
  } catch {
    /* no observer: the insertion wrappers still sweep */
  }
}

/**
 * A frame's load event runs page handlers, in Firefox even during the insertion (a frame without src
 * loads at once): a capture listener on the document, added before any page listener, sweeps first.
 * (Load events stop at the document: DOM "get the parent" of a Document.) The same function each
 * time, so adding it again to a document that still has it changes nothing.
 */
const onLoadOf = new SafeWeakMap<object, () => void>();
function listenForLoad(realm: Realm, doc: object): void {
  let onLoad = onLoadOf.get(realm);
  if (!onLoad) {
    onLoad = () => sweep(realm);
    onLoadOf.set(realm, onLoad);
  }
  try {
    apply(addListener, doc, ['load', onLoad, true]);
  } catch {
    /* not an event target */
  }
}

/**
 * Leaves, on a child Window we patched, the function its next document's shim calls to stand down
 * (`adopt.ts`): an own, non-enumerable, non-configurable, non-writable property, which no page can
 * replace or delete. Calling it (the page may, too) only starts the sweeps of the Window's current
 * document, once, and says whether our channel is up: if it is not, that shim runs on its own.
 */
function offerAdoption(realm: Realm): void {
  const adopt = (): boolean => {
    watchDocument(realm);
    if (__TEST__) markAdopted(realm);
    return connected();
  };
  const d = create(null) as PropertyDescriptor;
  d.value = adopt;
  try {
    defineProp(realm, ADOPT_KEY, d);
  } catch {
    /* a Window that refuses it: its next document's shim runs on its own */
  }
}

/** Test builds: the adopted document's probe (test-probe.ts), once per Window. */
function markAdopted(realm: Realm): void {
  try {
    markInjected(realm, { connected, failure: null, evalMs: 0, adopted: true });
  } catch {
    /* the Window already has one (the probe is non-configurable) */
  }
}
