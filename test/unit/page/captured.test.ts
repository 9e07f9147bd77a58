// captured.ts: the shim's hook-free helpers keep working, and hand a page nothing, after the page
// replaced the built-ins they would otherwise consult (the Array iterator, Object.prototype getters,
// Promise species).
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadShimModule } from './shim-env';

type Captured = typeof import('../../../src/page/captured');
let c: Captured;
beforeAll(async () => {
  c = await loadShimModule<Captured>('../../../src/page/captured');
});

/**
 * Runs `fn` with `key` of `target` replaced, and puts it back before returning: the test runner
 * itself uses these built-ins, so no hook may outlive the code under test.
 */
function hooked<T>(target: object, key: PropertyKey, desc: PropertyDescriptor, fn: () => T): T {
  const before = Object.getOwnPropertyDescriptor(target, key);
  Object.defineProperty(target, key, { configurable: true, ...desc });
  try {
    return fn();
  } finally {
    if (before) Object.defineProperty(target, key, before);
    else delete (target as Record<PropertyKey, unknown>)[key];
  }
}
afterEach(() => vi.unstubAllGlobals());

describe('captured.ts under a hostile page', () => {
  it('browserList iterates its own items when Array.prototype[Symbol.iterator] and next are replaced', () => {
    const list = c.browserList({ length: 2, 0: 'a', 1: 'b' });
    const seen: unknown[] = [];
    const got = hooked(Array.prototype, Symbol.iterator, { value: function* () { seen.push('page iterator'); yield 'forged'; }, writable: true }, () => {
      const out = Object.create(null) as Record<number, unknown>;
      let n = 0;
      for (const v of list as Iterable<unknown>) out[n++] = v; // the browser reads a sequence this way
      return [out[0], out[1], n];
    });
    expect(got).toEqual(['a', 'b', 2]);
    expect(seen).toEqual([]);
    expect(Object.getPrototypeOf(list)).toBeNull();
  });

  it('bare, dataDesc and parseBare make objects no Object.prototype getter is consulted on', () => {
    const handed: unknown[] = [];
    const secret = { get(this: unknown) { handed.push(this); return 'page'; } };
    const [b, parsed] = hooked(Object.prototype, 'secret', secret, () => {
      const p = c.parseBare('{"a":{"b":[{"c":1}]}}') as { a: { b: Array<Record<string, unknown>> } };
      const bb = c.bare({ candidate: 'raw' }) as Record<string, unknown>;
      return [[bb.secret, Object.getPrototypeOf(bb)], [p.a.b[0]!.secret, Object.getPrototypeOf(p.a), Object.getPrototypeOf(p.a.b[0])]];
    });
    expect(b).toEqual([undefined, null]);
    expect(parsed).toEqual([undefined, null, null]);
    // defineProperty reads get/set/value with HasProperty: a page `get` on Object.prototype must not turn it into an accessor.
    const o = {};
    hooked(Object.prototype, 'get', { get() { handed.push('get'); return () => 'forged'; } }, () => c.defineData(o, 'x', 'ours'));
    expect(Object.getOwnPropertyDescriptor(o, 'x')).toMatchObject({ value: 'ours', writable: true });
    expect(handed).toEqual([]);
  });

  it('thenSafe settles through the realm Promise: no page constructor getter or @@species sees the value', async () => {
    const seen: unknown[] = [];
    const raw = Promise.resolve('raw candidate');
    // SpeciesConstructor runs inside then(), synchronously: the hook is in place exactly then.
    const settled = hooked(Promise.prototype, 'constructor', { get() { seen.push('constructor'); return Promise; } }, () =>
      c.thenSafe(Promise.prototype.then as never, raw, ((v: string) => v.toUpperCase()) as never),
    );
    const out = await (settled as Promise<string>);
    expect(out).toBe('RAW CANDIDATE');
    expect(seen).toEqual([]);
  });

  it('SafeMap, SafeWeakMap and SafeQueue work when Map and WeakMap methods are replaced', () => {
    const m = new c.SafeMap<string, number>();
    const wm = new c.SafeWeakMap<object, number>();
    const key = {};
    const got = hooked(Map.prototype, 'set', { value: () => { throw new Error('page'); }, writable: true }, () =>
      hooked(WeakMap.prototype, 'get', { value: () => 'forged', writable: true }, () => {
        m.set('a', 1);
        wm.set(key, 2);
        return [m.get('a'), m.size, wm.get(key)];
      }),
    );
    expect(got).toEqual([1, 1, 2]);
    const q = new c.SafeQueue<string>();
    q.add('x');
    q.add('y');
    q.drop();
    expect([q.length, q.peek()]).toEqual([1, 'y']);
  });

  it('hasOwn and getDesc ignore the prototype chain a page can extend', () => {
    const value = hooked(Object.prototype, 'value', { get() { return 'forged'; } }, () => c.getDesc({ get x() { return 1; } }, 'x')!.value);
    expect(value).toBeUndefined();
    expect(c.hasOwn(Object.create({ inherited: 1 }) as object, 'inherited')).toBe(false);
  });
});
