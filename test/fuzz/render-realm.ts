// Page code for the fuzzer's realm axes (program.ts FrameRealm): put a frame into a document by one
// insertion path, reach its window by one access path at one moment, and hand back that window (`T`).
import type { Access, FrameKind, FrameRealm, Insertion, Timing } from './program';

/** The frame's name (window[name] and getElementsByName find it by this). */
export const FRAME_NAME = 'fz-frame';

/** The frame's attributes per kind; `BLOB` is replaced at run time by a blob: URL of this page. */
const ATTRIBUTES: Record<FrameKind, Array<[string, string]>> = {
  'no src': [],
  srcdoc: [['srcdoc', '<p>srcdoc</p>']],
  // Answered 204 by the fixture server: the navigation never commits, the first realm stays.
  'src (no commit)': [['src', '/no-content']],
  'src (page)': [['src', '/leaks/blank.html']],
  'data:': [['src', 'data:text/html,<p>data</p>']],
  'blob:': [['src', 'BLOB']],
  sandbox: [['sandbox', 'allow-same-origin'], ['srcdoc', '<p>sandboxed</p>']],
};

/** The frame as markup, for the parser's static copy (no blob: there: program.ts isValid). */
export function staticMarkup(kind: FrameKind): string {
  const attrs = ATTRIBUTES[kind].map(([k, v]) => ` ${k}="${v.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`).join('');
  return `<iframe name="${FRAME_NAME}"${attrs}></iframe>`;
}

/** Statements of `function insert(W, d, b)`: insert the frame into document d (body b), return the element. */
const INSERT: Record<Insertion, (depth: 1 | 2) => string> = {
  appendChild: () => 'const f = element(d); b.appendChild(f); return f;',
  append: () => 'const f = element(d); b.append(f); return f;',
  insertBefore: () => 'const f = element(d); b.insertBefore(f, null); return f;',
  replaceWith: () => "const f = element(d); b.appendChild(d.createElement('span')).replaceWith(f); return f;",
  replaceChildren: () => "const f = element(d); b.appendChild(d.createElement('div')).replaceChildren(f); return f;",
  innerHTML: () => "const box = b.appendChild(d.createElement('div')); box.innerHTML = markup(); return box.firstElementChild;",
  outerHTML: () => "const box = b.appendChild(d.createElement('div')); box.appendChild(d.createElement('span')).outerHTML = markup(); return box.firstElementChild;",
  insertAdjacentHTML: () => "b.insertAdjacentHTML('beforeend', markup()); return b.lastElementChild;",
  insertAdjacentElement: () => "return b.insertAdjacentElement('beforeend', element(d));",
  'Range.createContextualFragment': () =>
    'const r = d.createRange(); r.selectNodeContents(b); const frag = r.createContextualFragment(markup()); const f = frag.firstElementChild; b.append(frag); return f;',
  'Range.insertNode': () => 'const f = element(d); const r = d.createRange(); r.selectNodeContents(b); r.collapse(false); r.insertNode(f); return f;',
  setHTMLUnsafe: () => "const box = b.appendChild(d.createElement('div')); box.setHTMLUnsafe(markup()); return box.firstElementChild;",
  'shadowRoot.appendChild': () => "const sr = b.appendChild(d.createElement('div')).attachShadow({ mode: 'open' }); return sr.appendChild(element(d));",
  'shadowRoot.innerHTML': () => "const sr = b.appendChild(d.createElement('div')).attachShadow({ mode: 'open' }); sr.innerHTML = markup(); return sr.firstElementChild;",
  importNode: () => "const t = d.createElement('template'); t.innerHTML = markup(); const f = d.importNode(t.content.firstElementChild, true); b.appendChild(f); return f;",
  adoptNode: () => "const other = new W.DOMParser().parseFromString('<body>' + markup(), 'text/html'); const f = d.adoptNode(other.body.firstElementChild); b.appendChild(f); return f;",
  'Document.parseHTMLUnsafe': () =>
    "const other = W.Document.parseHTMLUnsafe('<body>' + markup()); const f = d.adoptNode(other.body.firstElementChild); b.appendChild(f); return f;",
  // A pop-up: `f` stands in for the frame element (the access is contentWindow, program.ts isValid).
  'window.open': () =>
    "const url = ATTRS.length ? value(ATTRS[ATTRS.length - 1][1]) : ''; popup = W.open(url, 'fz-popup' + n); return { contentWindow: popup, addEventListener: (t, fn) => popup.addEventListener(t, fn) };",
  moveBefore: () =>
    "const from = b.appendChild(d.createElement('div')); const to = b.appendChild(d.createElement('div')); const f = from.appendChild(element(d)); to.moveBefore(f, null); return f;",
  // Depth 1: the frame is in the page's own markup, before the program's script. Depth 2: the child
  // document is rewritten by the parser.
  parser: (depth) =>
    depth === 1
      ? `return d.getElementsByName(${JSON.stringify(FRAME_NAME)})[0];`
      : `d.open(); d.write('<!doctype html><body>' + markup()); d.close(); return d.getElementsByName(${JSON.stringify(FRAME_NAME)})[0];`,
  // Depth 1: written while this page is being parsed; depth 2: into the loaded child (an implicit open).
  'document.write': (depth) =>
    depth === 1
      ? `d.write(markup()); return d.getElementsByName(${JSON.stringify(FRAME_NAME)})[0];`
      : `d.write('<body>' + markup()); d.close(); return d.getElementsByName(${JSON.stringify(FRAME_NAME)})[0];`,
};

/** An expression for the frame's window, from element f in window W where it has index i. */
const ACCESS: Record<Access, string> = {
  contentWindow: 'f.contentWindow',
  'contentDocument.defaultView': 'f.contentDocument.defaultView',
  'frames[i]': 'W.frames[i]',
  'window[i]': 'W[i]',
  'window[name]': `W[${JSON.stringify(FRAME_NAME)}]`,
};

/** Statements that, after `insertAt(W, d)` has inserted, set `T` to the frame's window at the chosen moment. */
const TIMING: Record<Timing, { before: string; after: string }> = {
  sync: { before: '', after: 'T = take();' },
  microtask: { before: '', after: 'await P.resolve(); T = take();' },
  // The page's observer is created after the shim's, so it is called after the shim's (DOM: in order of creation).
  MutationObserver: {
    before: `let observed;
    const mutated = new P((resolve) => { observed = resolve; });
    const mo = new W.MutationObserver(() => { mo.disconnect(); try { T = take(); } catch (e) { rec('take in MutationObserver', e); } observed(); });
    mo.observe(d, { childList: true, subtree: true });`,
    after: 'await within(mutated, 1000); if (!T) T = take();',
  },
  load: { before: '', after: "await within(new P((resolve) => f.addEventListener('load', resolve)), 2000); T = take();" },
  'sync, used after load': { before: '', after: "T = take();\n  const frameLoaded = new P((resolve) => f.addEventListener('load', resolve));" },
};

/** Page code after the frame's hooks are installed: waits that come before the constructor is used. */
export function beforeUseCode(r: FrameRealm | null): string {
  return r?.timing === 'sync, used after load' ? 'await within(frameLoaded, 2000);' : '';
}

/** Page code that ends with `T` set to the realm the constructor comes from. */
export function realmCode(r: FrameRealm | null): string {
  if (!r) return 'const T = W0;';
  const attrs = JSON.stringify(ATTRIBUTES[r.frame]);
  const outer =
    r.depth === 2
      ? `// Depth 2: an about:blank child, and the frame inserted into its document with its realm's methods.
    const holder = document.createElement('iframe');
    document.body.appendChild(holder);
    const W = holder.contentWindow;`
      : 'const W = W0;';
  return `const ATTRS = ${attrs};
  const blob = ATTRS.some((a) => a[1] === 'BLOB') ? URL.createObjectURL(new Blob(['<p>blob</p>'], { type: 'text/html' })) : '';
  const value = (v) => (v === 'BLOB' ? blob : v);
  const element = (d) => {
    const f = d.createElement('iframe');
    f.setAttribute('name', ${JSON.stringify(FRAME_NAME)});
    for (let k = 0; k < ATTRS.length; k++) f.setAttribute(ATTRS[k][0], value(ATTRS[k][1]));
    return f;
  };
  const markup = () => {
    let s = '<iframe name="${FRAME_NAME}"';
    for (let k = 0; k < ATTRS.length; k++) s += ' ' + ATTRS[k][0] + '="' + value(ATTRS[k][1]).replace(/&/g, '&amp;').replace(/"/g, '&quot;') + '"';
    return s + '></iframe>';
  };
  ${outer}
  const d = W.document;
  const b = d.body || d.documentElement;
  const i = ${r.insertion === 'parser' && r.depth === 1 ? 'W.length - 1' : 'W.length'};
  let f = null;
  let T = null;
  const take = () => ${ACCESS[r.access]};
  ${TIMING[r.timing].before}
  f = (function insert() { ${INSERT[r.insertion](r.depth)} })();
  ${TIMING[r.timing].after}
  rec('realm', T === W0 ? 'this window' : 'a frame');`;
}
