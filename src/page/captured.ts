// Runs in the page's world: no extension APIs.
// Built-ins captured once, at document_start, before any page script can replace them
// (docs/security.md "Page-world code"). The shim calls them only through these references, and
// keeps raw data out of anything whose prototype a page could hook: no arrays, no Object.prototype
// lookups, no String/RegExp methods on raw strings (the policy runs in the ISOLATED world instead).

const R = Reflect;
const O = Object;

export const apply = R.apply;
export const construct = R.construct;
export const ownKeys = R.ownKeys;
export const deleteProp = R.deleteProperty;
const getDescRaw = O.getOwnPropertyDescriptor;
export const defineProp = O.defineProperty;
export const getProto = O.getPrototypeOf;
export const setProto = O.setPrototypeOf;
export const create = O.create;
const hasOwnFn = O.prototype.hasOwnProperty;
/** Whether `o` has an own property `k` (`in` would consult the prototype chain a page can extend). */
export const hasOwn = (o: object, k: PropertyKey): boolean => apply(hasOwnFn, o, [k]) as boolean;
/**
 * A property descriptor with no prototype: reading a field it lacks (`get` of a data property) must
 * not reach a getter a page defined on Object.prototype.
 */
export function getDesc(o: object, k: PropertyKey): PropertyDescriptor | undefined {
  const d = getDescRaw(o, k);
  if (d !== undefined) setProto(d, null);
  return d;
}
export const freeze = O.freeze;
export const defineData = (o: object, k: PropertyKey, v: unknown, enumerable = true): void => void defineProp(o, k, dataDesc(v, enumerable));
export const jsonStringify = JSON.stringify;
export const isArray = Array.isArray;
export const jsonParse = JSON.parse;
export const ProxyCtor = Proxy;

const wm = WeakMap.prototype;
const ws = WeakSet.prototype;
const mp = Map.prototype;
const WeakMapCtor = WeakMap;
const WeakSetCtor = WeakSet;
const MapCtor = Map;
const wmGet = wm.get;
const wmSet = wm.set;
const wmHas = wm.has;
const wsAdd = ws.add;
const wsHas = ws.has;
const mapGet = mp.get;
const mapSet = mp.set;
const mapHas = mp.has;
const mapForEach = mp.forEach;
const mapDelete = mp.delete;
const mapSize = getDesc(mp, 'size')!.get!;

type AnyNative = (...args: never[]) => unknown;
/** The natives a keyed collection is read and written through (Map's or WeakMap's, taken at start). */
interface KeyedNatives {
  get: AnyNative;
  set: AnyNative;
  has: AnyNative;
}
const WEAK_MAP_NATIVES: KeyedNatives = { get: wmGet, set: wmSet, has: wmHas };
const MAP_NATIVES: KeyedNatives = { get: mapGet, set: mapSet, has: mapHas };

/** get/set/has of a Map or WeakMap no page script ever sees, through its captured natives. */
class SafeKeyed<K, V> {
  constructor(
    protected readonly m: object,
    private readonly natives: KeyedNatives,
  ) {}
  get(k: K): V | undefined {
    return apply(this.natives.get, this.m, [k]) as V | undefined;
  }
  set(k: K, v: V): void {
    apply(this.natives.set, this.m, [k, v]);
  }
  has(k: K): boolean {
    return apply(this.natives.has, this.m, [k]) as boolean;
  }
}

/** A WeakMap whose methods a page cannot intercept. */
export class SafeWeakMap<K extends object, V> extends SafeKeyed<K, V> {
  constructor() {
    super(new WeakMapCtor<K, V>(), WEAK_MAP_NATIVES);
  }
}

/** A WeakSet whose methods a page cannot intercept. */
export class SafeWeakSet<T extends object> {
  private readonly s = new WeakSetCtor<T>();
  add(v: T): void {
    apply(wsAdd, this.s, [v]);
  }
  has(v: T): boolean {
    return apply(wsHas, this.s, [v]) as boolean;
  }
}

/** A Map whose methods a page cannot intercept. */
export class SafeMap<K, V> extends SafeKeyed<K, V> {
  constructor() {
    super(new MapCtor<K, V>(), MAP_NATIVES);
  }
  delete(k: K): void {
    apply(mapDelete, this.m, [k]);
  }
  forEach(fn: (v: V, k: K) => void): void {
    apply(mapForEach, this.m, [fn]);
  }
  get size(): number {
    return apply(mapSize, this.m, []) as number;
  }
}

const WeakRefCtor = WeakRef;
const derefFn = WeakRef.prototype.deref;
/** A weak reference whose target a page cannot intercept: `deref` is the one taken at start. */
export const weakRef = <T extends object>(target: T): WeakRef<T> => new WeakRefCtor(target);
export const deref = <T extends object>(ref: WeakRef<T>): T | undefined => apply(derefFn, ref, []) as T | undefined;

const et = EventTarget.prototype;
export const addListener = et.addEventListener;
export const removeListener = et.removeEventListener;
export const dispatch = et.dispatchEvent;
export const CustomEventCtor = CustomEvent;
export const stopImmediate = Event.prototype.stopImmediatePropagation;
/** isTrusted is an own, unforgeable accessor of each event ([LegacyUnforgeable]): a page cannot fake it. */
export const eventIsTrusted = (e: Event): boolean => {
  const d = getDesc(e, 'isTrusted');
  return (d?.get ? apply(d.get, e, []) : d?.value) === true;
};
export const customDetail = getDesc(CustomEvent.prototype, 'detail')!.get!;
export const setTimeoutFn = setTimeout;
export const clearTimeoutFn = clearTimeout;
export const MutationObserverCtor = MutationObserver;
export const observeMutations = MutationObserver.prototype.observe;
export const now = Date.now;
export const topWindow = window;

/**
 * A first-in first-out queue in a null-prototype object: raw data never sits in an Array, whose
 * prototype methods and index setters a page could hook.
 */
export class SafeQueue<T> {
  private items = create(null) as Record<number, T>;
  private head = 0;
  private tail = 0;
  get length(): number {
    return this.tail - this.head;
  }
  add(v: T): void {
    this.items[this.tail++] = v;
  }
  peek(): T | undefined {
    return this.head < this.tail ? this.items[this.head] : undefined;
  }
  /** Removes the first item. */
  drop(): void {
    if (this.head < this.tail) delete this.items[this.head++];
  }
  clear(): void {
    this.items = create(null) as Record<number, T>;
    this.head = this.tail = 0;
  }
}

/**
 * A writable, enumerable, configurable data descriptor with no prototype: defineProperty reads a
 * descriptor's fields with HasProperty/Get, so on an ordinary object a page's Object.prototype.get
 * would turn it into an accessor (or make defineProperty throw).
 */
export function dataDesc(value: unknown, enumerable = true): PropertyDescriptor {
  const d = create(null) as PropertyDescriptor;
  d.value = value;
  d.writable = true;
  d.enumerable = enumerable;
  d.configurable = true;
  return d;
}

/**
 * A fresh object with no prototype: no page-defined getter or setter is ever consulted on it.
 * Plain assignment is safe on it (a [[Set]] on an object without a prototype finds no setter on any
 * chain, `__proto__` included), and much cheaper than defineProperty on the hot path.
 */
export function bare<T extends object>(props: T): T {
  const o = create(null) as Record<PropertyKey, unknown>;
  const keys = ownKeys(props);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    o[k] = (props as Record<PropertyKey, unknown>)[k];
  }
  return o as T;
}

/** JSON.parse, every object and array of the result without a prototype (answers of the relay). */
export function parseBare(text: string): unknown {
  const v = jsonParse(text) as unknown;
  unproto(v, 0);
  return v;
}
function unproto(v: unknown, depth: number): void {
  if (typeof v !== 'object' || v === null || depth > 32) return;
  setProto(v, null);
  // for-in once the prototype is gone walks the own keys alone (JSON.parse makes them all enumerable),
  // without the key array ownKeys would build for every object of every answer.
  // eslint-disable-next-line no-restricted-syntax -- no prototype left to walk (set just above)
  for (const k in v as Record<string, unknown>) {
    const child = (v as Record<string, unknown>)[k];
    if (typeof child === 'object') unproto(child, depth + 1);
  }
}

export const iteratorSymbol = Symbol.iterator;

/**
 * An array for the browser to read (a WebIDL sequence): no prototype, and its own iterator, since
 * the browser iterates sequences with @@iterator and `next`, which a page can replace on
 * Array.prototype and %ArrayIteratorPrototype% to show the browser other values than we checked.
 */
export function browserList(items: { length: number; [i: number]: unknown }): unknown[] {
  const out: unknown[] = [];
  setProto(out, null);
  for (let i = 0; i < items.length; i++) defineProp(out, i, dataDesc(items[i]));
  const n = out.length;
  defineProp(
    out,
    iteratorSymbol,
    dataDesc(() => {
      let i = 0;
      const it = create(null) as { next(): IteratorResult<unknown> };
      it.next = () => {
        const r = create(null) as { value: unknown; done: boolean };
        r.done = i >= n;
        r.value = r.done ? undefined : out[i++];
        return r;
      };
      return it;
    }, false),
  );
  return out;
}

/**
 * `then` on a native promise that may settle with raw data, consulting nothing a page can hook: an
 * own `constructor` of undefined makes SpeciesConstructor use the realm's own %Promise% (ECMA-262
 * SpeciesConstructor, step 2), so no page getter for `constructor` or @@species ever sees it.
 */
export function thenSafe(then: AnyFn, p: object, onFulfilled: AnyFn, onRejected?: AnyFn): unknown {
  defineProp(p, 'constructor', dataDesc(undefined, false));
  return apply(then, p, [onFulfilled, onRejected]);
}
type AnyFn = (...args: never[]) => unknown;
