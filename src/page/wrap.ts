// Runs in the page's world: no extension APIs.
// Wrapping through property descriptors (redefined with the attributes they had): each wrapper
// is a Proxy of the original function, so `name`, `length` and `prototype` stay the browser's, and a
// Function.prototype.toString proxy in every patched realm prints the original's native source for it.
import { apply, create, defineProp, getDesc, hasOwn, ProxyCtor, SafeWeakMap } from './captured';

type AnyFn = (...args: unknown[]) => unknown;

/**
 * defineProperty with a null-prototype copy of the descriptor: the engine reads descriptor fields
 * through the prototype chain, where a page may have defined `get` or `value` on Object.prototype.
 */
export function redefine(target: object, key: PropertyKey, d: PropertyDescriptor): void {
  const bareD = create(null) as PropertyDescriptor;
  if (hasOwn(d, 'value')) {
    bareD.value = d.value;
    bareD.writable = d.writable;
  } else {
    bareD.get = d.get;
    bareD.set = d.set;
  }
  bareD.enumerable = d.enumerable;
  bareD.configurable = d.configurable;
  defineProp(target, key, bareD);
}

/** wrapper -> original, for toString. Shared by every realm the shim patches. */
const originals = new SafeWeakMap<object, AnyFn>();

/**
 * A Proxy of `original` with `handler`'s apply/construct traps. The handler the Proxy keeps has no
 * prototype: the engine looks up every trap by name on it (get, getOwnPropertyDescriptor, ...), and
 * on an ordinary object a trap a page defined on Object.prototype would be handed the original.
 */
export function disguise<T extends AnyFn>(original: AnyFn, handler: ProxyHandler<AnyFn>): T {
  const traps = create(null) as ProxyHandler<AnyFn>;
  if (handler.apply) traps.apply = handler.apply;
  if (handler.construct) traps.construct = handler.construct;
  const proxy = new ProxyCtor(original, traps) as T;
  originals.set(proxy, original);
  return proxy;
}

/** Replaces a method by `fn(original, thisArg, args)`; quietly does nothing where it does not exist. */
export function wrapMethod(target: object, name: string, fn: (original: AnyFn, self: unknown, args: unknown[]) => unknown): void {
  const d = getDesc(target, name);
  if (!d || typeof d.value !== 'function') return;
  const original = d.value as AnyFn;
  d.value = disguise(original, { apply: (_t, self, args: unknown[]) => fn(original, self, args) });
  redefine(target, name, d);
}

/** Replaces an accessor's getter and/or setter, keeping the descriptor's shape. */
export function wrapAccessor(
  target: object,
  name: string,
  get?: (original: AnyFn, self: unknown) => unknown,
  set?: (original: AnyFn, self: unknown, value: unknown) => void,
): void {
  const d = getDesc(target, name);
  if (!d || typeof d.get !== 'function') return;
  const g = d.get as AnyFn;
  if (get) d.get = disguise(g, { apply: (_t, self) => get(g, self) });
  if (set && typeof d.set === 'function') {
    const s = d.set as AnyFn;
    d.set = disguise(s, { apply: (_t, self, args: unknown[]) => set(s, self, args[0]) });
  }
  redefine(target, name, d);
}

/** Makes Function.prototype.toString of `realm` print native source for every wrapper. */
export function patchToString(realm: typeof globalThis): void {
  const proto = realm.Function.prototype;
  const d = getDesc(proto, 'toString');
  if (!d || typeof d.value !== 'function') return;
  const realmToString = d.value as AnyFn;
  d.value = disguise(realmToString, {
    apply(_t, self, args: unknown[]) {
      const original = typeof self === 'function' || (typeof self === 'object' && self !== null) ? originals.get(self as object) : undefined;
      return apply(realmToString, original ?? self, args);
    },
  });
  redefine(proto, 'toString', d);
}
