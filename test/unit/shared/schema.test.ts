import { describe, expect, it } from 'vitest';
import {
  anything, arrayOf, boolean, channel, custom, either, entryOf, nullable, number, object, oneOf, optional, record, string, type Schema,
} from '../../../src/shared/schema';

const read = <T>(s: Schema<T>, v: unknown) => s.read(v, 'x');
const error = <T>(s: Schema<T>, v: unknown) => {
  const r = read(s, v);
  return r.ok ? undefined : r.error;
};

describe('schema vocabulary', () => {
  it('reads the primitive kinds, and names the field that is wrong', () => {
    expect(read(string(3), 'abc')).toEqual({ ok: true, value: 'abc' });
    expect(error(string(3), 'abcd')).toBe('x is longer than 3 characters');
    expect(error(string(), 1)).toBe('x is not a string');
    expect(read(number(), 1.5)).toEqual({ ok: true, value: 1.5 });
    for (const bad of [NaN, Infinity, '1', null]) expect(error(number(), bad)).toBe('x is not a number');
    expect(error(number({ integer: true }), 1.5)).toBe('x is not a whole number');
    expect(error(number({ integer: true }), 2 ** 60)).toBe('x is not a whole number');
    expect(error(number({ min: 0, max: 2 }), 3)).toBe('x is not between 0 and 2');
    expect(read(boolean, false)).toEqual({ ok: true, value: false });
    expect(error(boolean, 0)).toBe('x is not true or false');
    expect(read(anything, { a: 1 })).toEqual({ ok: true, value: { a: 1 } });
    expect(boolean.read('no', '')).toEqual({ ok: false, error: 'is not true or false' });
  });

  it('literal unions, optional, nullable, either', () => {
    const mode = oneOf(['a', 'b'] as const);
    expect(read(mode, 'b')).toEqual({ ok: true, value: 'b' });
    expect(error(mode, 'c')).toBe('x is not one of a, b');
    expect(error(mode, ['a'])).toBe('x is not one of a, b');
    expect(read(optional(mode), undefined)).toEqual({ ok: true, value: undefined });
    expect(error(optional(mode), null)).toBe('x is not one of a, b');
    expect(read(nullable(mode), null)).toEqual({ ok: true, value: null });
    const id = either(number(), string(4), 'a number or a string');
    expect(read(id, 'ab')).toEqual({ ok: true, value: 'ab' });
    expect(error(id, true)).toBe('x is not a number or a string');
  });

  it('lists: each item read, a bound on their number', () => {
    expect(read(arrayOf(boolean, 2), [true, false])).toEqual({ ok: true, value: [true, false] });
    expect(error(arrayOf(boolean, 2), [true, 1])).toBe('x[1] is not true or false');
    expect(error(arrayOf(boolean, 2), [true, true, true])).toBe('x has more than 2 items');
    expect(error(arrayOf(boolean, 2), { length: 1, 0: true })).toBe('x is not a list');
  });

  it('records: values read, keys bounded, __proto__ refused', () => {
    expect(read(record(boolean, 2), { a: true })).toEqual({ ok: true, value: { a: true } });
    expect(error(record(boolean, 1), { a: true, b: false })).toBe('x has more than 1 keys');
    expect(error(record(boolean, 2), { a: 'yes' })).toBe('x.a is not true or false');
    expect(error(record(boolean, 2), [])).toBe('x is not an object');
    expect(error(record(boolean, 2), JSON.parse('{"__proto__": true}'))).toBe('x.__proto__ is not an allowed key');
    expect(error(record(boolean, 2), { constructor: true })).toBe('x.constructor is not an allowed key');
  });

  it('objects: exactly the declared keys, optional ones may be missing; the value is a fresh copy', () => {
    const s = object({ a: number(), b: optional(string()) });
    const given = { a: 1 };
    const r = read(s, given);
    expect(r).toEqual({ ok: true, value: { a: 1 } });
    expect(r.ok && r.value).not.toBe(given);
    expect(error(s, { b: 'y' })).toBe('x.a is missing');
    expect(error(s, { a: 1, c: 2 })).toBe('x.c is not expected here');
    expect(read(object({ a: number() }, 'ignore'), { a: 1, c: 2 })).toEqual({ ok: true, value: { a: 1 } });
    expect(error(object({ a: number() }, 'ignore'), JSON.parse('{"a": 1, "__proto__": {"polluted": true}}'))).toBe('x.__proto__ is not an allowed key');
    expect(error(object({ inner: object({ n: number() }) }), { inner: { n: 'one' } })).toBe('x.inner.n is not a number');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('never throws: a throwing getter or proxy is a rejection', () => {
    const getter = Object.defineProperty({}, 'a', { enumerable: true, get: () => { throw new Error('boom'); } });
    expect(error(object({ a: number() }), getter)).toBe('x could not be read');
    const proxy = new Proxy({}, { ownKeys: () => { throw new Error('boom'); } });
    expect(error(record(boolean, 9), proxy)).toBe('x could not be read');
    expect(error(custom(() => { throw new Error('boom'); }), 1)).toBe('x could not be read');
  });

  it('entryOf: a known key and a value of its schema, named by the key', () => {
    const s = entryOf({ on: boolean, level: number() }, 'a setting');
    expect(read(s, { key: 'on', value: true })).toEqual({ ok: true, value: { key: 'on', value: true } });
    expect(error(s, { key: 'on', value: 1 })).toBe('on is not true or false');
    expect(error(s, { key: 'other', value: 1 })).toBe('x other is not a setting');
    expect(error(s, { key: 'toString', value: 1 })).toBe('x toString is not a setting');
    expect(error(s, { key: 'on', value: true, more: 1 })).toBe('x.more is not expected here');
  });
});

describe('channel', () => {
  const c = channel('t', { ping: {}, add: { n: number() }, set: entryOf({ on: boolean }, 'a switch') }, { noun: 'request' });

  it('reads each kind with its fields, the tag kept', () => {
    expect(c.read({ t: 'ping' })).toEqual({ ok: true, value: { t: 'ping' } });
    expect(c.read({ t: 'add', n: 2 })).toEqual({ ok: true, value: { t: 'add', n: 2 } });
    expect(c.read({ t: 'set', key: 'on', value: false })).toEqual({ ok: true, value: { t: 'set', key: 'on', value: false } });
  });

  it('refuses unknown kinds, wrong types, extra keys and prototype keys with a reason, never throwing', () => {
    const bad: [unknown, string][] = [
      [null, 'is not an object'],
      [[{ t: 'ping' }], 'is not an object'],
      [{}, 't is not a string'],
      [{ t: 7 }, 't is not a string'],
      [{ t: 'nope' }, 'unknown request "nope"'],
      [{ t: 'hasOwnProperty' }, 'unknown request "hasOwnProperty"'],
      [{ t: 'add', n: '2' }, 'n is not a number'],
      [{ t: 'ping', extra: 1 }, 'extra is not expected here'],
      [JSON.parse('{"t": "ping", "__proto__": {"admin": true}}'), '__proto__ is not an allowed key'],
      [{ t: 'set', key: '__proto__', value: true }, '__proto__ is not a switch'],
    ];
    for (const [v, why] of bad) expect(c.read(v), JSON.stringify(v)).toEqual({ ok: false, error: why });
  });
});
