// Runs in the page's world: no extension APIs.
// Built-ins captured once, at document_start, before any page script can replace them
// (STYLE.md "Capture built-ins once"). The shim calls them only through these references, and
// keeps raw data out of anything whose prototype a page could hook: no arrays, no Object.prototype
// lookups, no String/RegExp methods on raw strings (the policy runs in the ISOLATED world instead).

const R = Reflect;
const O = Object;

export const apply = R.apply;
export const construct = R.construct;
export const ownKeys = R.ownKeys;
export const getDesc = O.getOwnPropertyDescriptor;
export const defineProp = O.defineProperty;
export const getProto = O.getPrototypeOf;
export const create = O.create;
export const freeze = O.freeze;
export const jsonStringify = JSON.stringify;
export const isArray = Array.isArray;
export const jsonParse = JSON.parse;
export const ProxyCtor = Proxy;
export const promiseThen = Promise.prototype.then;

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

/** A WeakMap whose methods a page cannot intercept. */
export class SafeWeakMap<K extends object, V> {
  private readonly m = new WeakMapCtor<K, V>();
  get(k: K): V | undefined {
    return apply(wmGet, this.m, [k]) as V | undefined;
  }
  set(k: K, v: V): void {
    apply(wmSet, this.m, [k, v]);
  }
  has(k: K): boolean {
    return apply(wmHas, this.m, [k]) as boolean;
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
export class SafeMap<K, V> {
  readonly m = new MapCtor<K, V>();
  get(k: K): V | undefined {
    return apply(mapGet, this.m, [k]) as V | undefined;
  }
  set(k: K, v: V): void {
    apply(mapSet, this.m, [k, v]);
  }
  has(k: K): boolean {
    return apply(mapHas, this.m, [k]) as boolean;
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
  push(v: T): void {
    this.items[this.tail++] = v;
  }
  peek(): T | undefined {
    return this.head < this.tail ? this.items[this.head] : undefined;
  }
  shift(): void {
    if (this.head < this.tail) delete this.items[this.head++];
  }
  clear(): void {
    this.items = create(null) as Record<number, T>;
    this.head = this.tail = 0;
  }
}

/** A fresh object with no prototype: no page-defined getter or setter is ever consulted on it. */
export function bare<T extends object>(props: T): T {
  const o = create(null) as T;
  const keys = ownKeys(props);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    defineProp(o, k, { value: (props as Record<PropertyKey, unknown>)[k as string], enumerable: true, writable: true, configurable: true });
  }
  return o;
}
