// Page code for the fuzzer's hook axis (program.ts HOOKS): each entry is the body of a function
// `(W, at) => { ... }` that installs the hook in window W, labelling what it records with `at`. Every
// hook is a transparent recorder: it calls the original and notes what it was handed (`rec`), so the
// page keeps working and anything raw that passes through shows up in what the program returns.
// `wrap`, `def`, `rec`, `RA`, `RC`, `DP`, `GOPD`, `GPO`, `STR` come from the prelude (render.ts).
import type { Hook } from './program';

const CANDIDATE_FIELDS = ['candidate', 'sdp', 'address', 'relatedAddress', 'ip', 'type', 'detail', 'foundation', 'usernameFragment', 'url', 'errorText', 'hostCandidate'];

export const HOOK_CODE: Record<Hook, string> = {
  'Object.prototype then getter': `
    DP(W.Object.prototype, 'then', def({ configurable: true, get() { rec(at + 'then getter', this); return undefined; } }));`,
  'Object.prototype descriptor-field getters': `
    const fields = ['get', 'set', 'value', 'writable', 'enumerable', 'configurable'];
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i];
      DP(W.Object.prototype, f, def({ configurable: true, get() { rec(at + 'descriptor field ' + f, this); return undefined; } }));
    }`,
  'Object.prototype data-field setters': `
    const fields = ${JSON.stringify(CANDIDATE_FIELDS)};
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i];
      DP(W.Object.prototype, f, def({
        configurable: true,
        get() { return undefined; },
        set(v) { rec(at + 'set ' + f, v); DP(this, f, def({ value: v, writable: true, enumerable: true, configurable: true })); },
      }));
    }`,
  'Object.prototype toJSON': `
    DP(W.Object.prototype, 'toJSON', def({ configurable: true, writable: true, value: function toJSON() { rec(at + 'toJSON', this); return this; } }));`,
  'Array.prototype index setters': `
    for (let i = 0; i < 16; i++) {
      DP(W.Array.prototype, i, def({
        configurable: true,
        get() { return undefined; },
        set(v) { rec(at + 'array[' + i + '] =', v); DP(this, i, def({ value: v, writable: true, enumerable: true, configurable: true })); },
      }));
    }`,
  'Array.prototype[Symbol.iterator]': `
    const AP = W.Array.prototype;
    const orig = AP[W.Symbol.iterator];
    DP(AP, W.Symbol.iterator, def({ configurable: true, writable: true, value: function values() {
      const it = RA(orig, this, []);
      const next = it.next;
      const self = { next() { const r = RA(next, it, []); if (!r.done) rec(at + 'array iteration', r.value); return r; } };
      self[W.Symbol.iterator] = function () { return this; };
      return self;
    } }));`,
  'ArrayIterator next': `
    const AIP = GPO(RA(W.Array.prototype.entries, [], []));
    const orig = AIP.next;
    DP(AIP, 'next', def({ configurable: true, writable: true, value: function next() {
      const r = RA(orig, this, []);
      if (r && !r.done) rec(at + 'array iterator next', r.value);
      return r;
    } }));`,
  'Array.prototype methods': `
    wrap(W.Array.prototype, ['push', 'map', 'filter', 'join', 'slice', 'concat', 'forEach', 'indexOf', 'includes', 'splice', 'some', 'find'], at + 'Array.prototype', true);`,
  'Promise.prototype.then': `
    const PP = W.Promise.prototype;
    const orig = PP.then;
    DP(PP, 'then', def({ configurable: true, writable: true, value: function then(f, r) {
      rec(at + 'then on', this);
      const onValue = function (v) { rec(at + 'then value', v); return typeof f === 'function' ? f(v) : v; };
      return RA(orig, this, [onValue, typeof r === 'function' ? r : undefined]);
    } }));`,
  'Promise.prototype constructor getter': `
    const PP = W.Promise.prototype;
    const then = PP.then;
    const C = W.Promise;
    let inside = false; // then() itself reads constructor (SpeciesConstructor)
    DP(PP, 'constructor', def({ configurable: true, get() {
      if (!inside) {
        inside = true;
        try { RA(then, this, [function (v) { rec(at + 'promise constructor getter, value', v); }, function () {}]); } catch (e) { /* not a promise */ }
        inside = false;
      }
      return C;
    } }));`,
  'Map and Set members': `
    wrap(W.Map.prototype, ['get', 'set', 'has', 'forEach'], at + 'Map.prototype', false);
    wrap(W.Set.prototype, ['add', 'has'], at + 'Set.prototype', false);
    wrap(W.WeakMap.prototype, ['get', 'set', 'has'], at + 'WeakMap.prototype', false);
    wrap(W.WeakSet.prototype, ['add', 'has'], at + 'WeakSet.prototype', false);`,
  'String.prototype methods': `
    wrap(W.String.prototype, ['split', 'replace', 'replaceAll', 'match', 'matchAll', 'includes', 'indexOf', 'slice', 'substring',
      'startsWith', 'endsWith', 'trim', 'toLowerCase', 'search', 'padStart', 'at', 'charAt'], at + 'String.prototype', true);`,
  'RegExp.prototype methods': `
    const S = W.Symbol;
    wrap(W.RegExp.prototype, ['exec', 'test', S.replace, S.split, S.match, S.matchAll, S.search], at + 'RegExp.prototype', false);`,
  'JSON members': `
    wrap(W.JSON, ['parse', 'stringify'], at + 'JSON', false);`,
  'Function.prototype call/apply/bind': `
    wrap(W.Function.prototype, ['call', 'apply', 'bind'], at + 'Function.prototype', false);`,
  'EventTarget.prototype members': `
    const ET = W.EventTarget.prototype;
    const add = ET.addEventListener;
    const remove = ET.removeEventListener;
    const wrappers = new W.WeakMap();
    const listen = function addEventListener(type, l, o) {
      let w = l;
      if (typeof l === 'function') {
        w = wrappers.get(l);
        if (!w) {
          w = function (e) { rec(at + 'listener ' + type, e); return RA(l, this, arguments); };
          wrappers.set(l, w);
        }
      }
      return RA(add, this, [type, w, o]);
    };
    const unlisten = function removeEventListener(type, l, o) { return RA(remove, this, [type, (typeof l === 'function' && wrappers.get(l)) || l, o]); };
    DP(ET, 'addEventListener', def({ configurable: true, writable: true, value: listen }));
    DP(ET, 'removeEventListener', def({ configurable: true, writable: true, value: unlisten }));
    wrap(ET, ['dispatchEvent'], at + 'EventTarget.prototype', false);`,
  CustomEvent: `
    const C = W.CustomEvent;
    const detail = GOPD(C.prototype, 'detail');
    const F = function CustomEvent(type, init) { rec(at + 'new CustomEvent', init); return RC(C, arguments, new.target || C); };
    F.prototype = C.prototype;
    DP(W, 'CustomEvent', def({ configurable: true, writable: true, value: F }));
    DP(C.prototype, 'detail', def({ configurable: true, enumerable: true, get() { const v = RA(detail.get, this, []); rec(at + 'CustomEvent detail', v); return v; } }));`,
  'Reflect members': `
    wrap(W.Reflect, ['apply', 'construct', 'get', 'set', 'defineProperty', 'getOwnPropertyDescriptor', 'ownKeys', 'getPrototypeOf', 'has'], at + 'Reflect', false);`,
  'Object statics': `
    wrap(W.Object, ['defineProperty', 'defineProperties', 'getOwnPropertyDescriptor', 'getOwnPropertyDescriptors', 'create', 'freeze',
      'keys', 'entries', 'assign', 'getPrototypeOf', 'setPrototypeOf'], at + 'Object', false);`,
  'Error.prepareStackTrace': `
    const E = W.Error;
    const orig = E.prepareStackTrace;
    E.prepareStackTrace = function (err, frames) {
      rec(at + 'prepareStackTrace', err && err.message);
      if (typeof orig === 'function') return orig(err, frames);
      let s = STR(err);
      for (let i = 0; i < frames.length; i++) s += '\\n    at ' + frames[i];
      return s;
    };`,
};
