// The fuzzer's grammar (issue #16): a hostile page program is a record of values chosen on independent
// axes. It is data, so it can be generated from a seed, counted for coverage, shrunk by the minimiser
// and rendered (render.ts) into the page code that runs it. Pure code: no browser, no Node APIs.
import { Prng, seedOf } from './prng';

/** How the frame whose realm gives the constructor is put into its document. */
export const INSERTIONS = [
  'appendChild', 'append', 'insertBefore', 'replaceWith', 'replaceChildren', 'innerHTML', 'outerHTML',
  'insertAdjacentHTML', 'insertAdjacentElement', 'Range.createContextualFragment', 'Range.insertNode', 'setHTMLUnsafe',
  'shadowRoot.appendChild', 'shadowRoot.innerHTML', 'importNode', 'adoptNode', 'Document.parseHTMLUnsafe', 'moveBefore',
  'parser', 'document.write', 'window.open',
] as const;
/**
 * `window.open` makes a pop-up instead of a frame: its kind is what it opens ('no src' is about:blank,
 * a same-origin page, a 204, a blob: URL: the last three keep the first Window when same-origin), and
 * the page has it from open()'s return value only.
 */
const POPUP_KINDS: readonly FrameKind[] = ['no src', 'src (page)', 'src (no commit)', 'blob:'];
/**
 * What the frame loads. `src (no commit)` is a same-origin URL answered 204: the frame keeps its first
 * realm, which no content script runs in. `sandbox` is `allow-same-origin` with a srcdoc (a same-origin realm).
 */
export const FRAME_KINDS = ['no src', 'srcdoc', 'src (no commit)', 'src (page)', 'data:', 'blob:', 'sandbox'] as const;
/** How the page gets from the frame to its window. */
export const ACCESSES = ['contentWindow', 'contentDocument.defaultView', 'frames[i]', 'window[i]', 'window[name]'] as const;
/**
 * When, after the insertion, the page takes the constructor. `sync, used after load`: taken at once
 * (the frame's hooks installed at once too), used only once the frame has loaded (a saved constructor).
 */
export const TIMINGS = ['sync', 'microtask', 'MutationObserver', 'load', 'sync, used after load'] as const;
/**
 * What the page hooks before it acts (each hook is a transparent recorder: it calls through, and
 * notes everything it is handed). docs/security.md "Page-world code" lists what the shim avoids.
 */
export const HOOKS = [
  'Object.prototype then getter', 'Object.prototype descriptor-field getters', 'Object.prototype data-field setters',
  'Object.prototype toJSON', 'Array.prototype index setters', 'Array.prototype[Symbol.iterator]', 'ArrayIterator next',
  'Array.prototype methods', 'Promise.prototype.then', 'Promise.prototype constructor getter', 'Map and Set members',
  'String.prototype methods', 'RegExp.prototype methods', 'JSON members', 'Function.prototype call/apply/bind',
  'EventTarget.prototype members', 'CustomEvent', 'Reflect members', 'Object statics', 'Error.prepareStackTrace',
] as const;
/** Where the page reads what it learns. */
export const CHANNELS = [
  'listener capture before', 'listener bubble before', 'listener added after the first candidate', 'onicecandidate',
  'other realm addEventListener', 'other realm event and candidate getters', 'localDescription getters',
  'other realm description getters', 'createOffer result', 'createAnswer result', 'getStats forEach', 'getStats entries',
  'getStats values', 'getStats get', 'getStats iterator', 'other realm RTCStatsReport forEach', 'ICE transport',
  'icecandidateerror', 'errors after munged SDP',
] as const;
/** ICE servers, from the bed's STUN/TURN (`bad TURN credential` makes icecandidateerror events). */
export const ICE_SETUPS = ['none', 'STUN', 'TURN', 'STUN and TURN', 'bad TURN credential'] as const;
/** What the connection does after its first gathering. */
export const FLOWS = ['gather', 'connect', 'restartIce', 'renegotiate'] as const;

export type Insertion = (typeof INSERTIONS)[number];
export type FrameKind = (typeof FRAME_KINDS)[number];
export type Access = (typeof ACCESSES)[number];
export type Timing = (typeof TIMINGS)[number];
export type Hook = (typeof HOOKS)[number];
export type Channel = (typeof CHANNELS)[number];
export type IceSetup = (typeof ICE_SETUPS)[number];
export type Flow = (typeof FLOWS)[number];

/** A realm other than this window: a frame (in a frame, for depth 2). */
export interface FrameRealm {
  insertion: Insertion;
  frame: FrameKind;
  access: Access;
  timing: Timing;
  /** 2: the frame is inserted into an about:blank child frame's document, with that realm's methods. */
  depth: 1 | 2;
}

export interface Program {
  /** Hooks installed in this window before anything else. */
  hooks: Hook[];
  /** Where the constructor comes from: null is this window. */
  realm: FrameRealm | null;
  /** Hooks installed in the frame's realm once the page has it, before it constructs (none without a frame). */
  frameHooks: Hook[];
  ice: IceSetup;
  flow: Flow;
  /** At least one. */
  channels: Channel[];
}

/** Every axis, by name, with its values: what coverage is counted over. */
export const AXES = {
  realm: ['this window', 'frame'],
  insertion: INSERTIONS,
  frame: FRAME_KINDS,
  access: ACCESSES,
  timing: TIMINGS,
  depth: ['1', '2'],
  hook: HOOKS,
  frameHook: HOOKS,
  ice: ICE_SETUPS,
  flow: FLOWS,
  channel: CHANNELS,
} as const satisfies Record<string, readonly string[]>;
export type AxisName = keyof typeof AXES;

/** The axis values a program uses (each axis may have several, e.g. its hooks). */
export function axisValues(p: Program): Record<AxisName, string[]> {
  const r = p.realm;
  return {
    realm: [r ? 'frame' : 'this window'],
    insertion: r ? [r.insertion] : [],
    frame: r ? [r.frame] : [],
    access: r ? [r.access] : [],
    timing: r ? [r.timing] : [],
    depth: r ? [String(r.depth)] : [],
    hook: p.hooks,
    frameHook: p.frameHooks,
    ice: [p.ice],
    flow: [p.flow],
    channel: p.channels,
  };
}

/**
 * Combinations that cannot be written: the parser's markup is static, so it has no blob: URL; a frame's
 * own hooks need a frame; a program reads at least one channel; no value twice in a list.
 */
export function isValid(p: Program): boolean {
  if (p.channels.length === 0) return false;
  if (!p.realm && p.frameHooks.length) return false;
  if (p.realm?.insertion === 'parser' && p.realm.frame === 'blob:' && p.realm.depth === 1) return false;
  if (p.realm?.insertion === 'window.open' && (p.realm.access !== 'contentWindow' || p.realm.depth !== 1 || !POPUP_KINDS.includes(p.realm.frame))) return false;
  const distinct = (xs: string[]) => new Set(xs).size === xs.length;
  return distinct(p.hooks) && distinct(p.frameHooks) && distinct(p.channels);
}

/** A few distinct values of `from` (between `min` and `max`), in the order of `from`. */
function some<T>(rng: Prng, from: readonly T[], min: number, max: number): T[] {
  const n = min + rng.int(max - min + 1);
  const picked = new Set<number>();
  while (picked.size < n) picked.add(rng.int(from.length));
  return [...picked].sort((a, b) => a - b).map((i) => from[i]!);
}

/**
 * Frame kinds as drawn: a data: frame is cross-origin, so the page cannot reach its realm and the
 * control rarely shows anything (an inert program): drawn a third as often as the others.
 */
const WEIGHTED_FRAME_KINDS: readonly FrameKind[] = FRAME_KINDS.flatMap((k) => (k === 'data:' ? [k] : [k, k, k]));

/** Program `index` of run `seed`: the same pair always gives the same program. */
export function generate(seed: number, index: number): Program {
  const rng = new Prng(seedOf(seed, index));
  // Most programs reach another realm: that is where bypasses hide; a third stay in this window.
  const realm: FrameRealm | null = rng.int(3) === 0
    ? null
    : { insertion: rng.pick(INSERTIONS), frame: rng.pick(WEIGHTED_FRAME_KINDS), access: rng.pick(ACCESSES), timing: rng.pick(TIMINGS), depth: rng.int(4) === 0 ? 2 : 1 };
  if (realm?.insertion === 'window.open') {
    realm.access = 'contentWindow';
    realm.depth = 1;
    if (!POPUP_KINDS.includes(realm.frame)) realm.frame = 'no src';
  }
  if (realm && !isValid({ hooks: [], realm, frameHooks: [], ice: 'none', flow: 'gather', channels: ['onicecandidate'] })) realm.frame = 'srcdoc';
  return {
    hooks: some(rng, HOOKS, 0, 3),
    realm,
    frameHooks: realm ? some(rng, HOOKS, 0, 2) : [],
    ice: rng.pick(ICE_SETUPS),
    flow: rng.pick(FLOWS),
    channels: some(rng, CHANNELS, 1, 4),
  };
}

/** One line naming a program's axis values, for logs and the reproducer's header. */
export function describe(p: Program): string {
  const r = p.realm;
  const where = r ? `frame ${r.frame} by ${r.insertion}, ${r.access}, ${r.timing}${r.depth === 2 ? ', nested' : ''}` : 'this window';
  const hooks = [...p.hooks, ...p.frameHooks.map((h) => `frame: ${h}`)];
  return `${where}; hooks [${hooks.join(', ')}]; ICE ${p.ice}; ${p.flow}; reads [${p.channels.join(', ')}]`;
}
