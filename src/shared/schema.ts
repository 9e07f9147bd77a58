// A tiny schema vocabulary for what crosses a process or world boundary (extension pages -> background,
// background <-> LAN helper). Each channel declares its message kinds once, as a table of field
// schemas; the TypeScript union and the runtime reader both come from that table, so they cannot drift.
//
// Reading is parsing, not guarding: a reader returns a fresh value holding only the declared keys, or a
// message naming the field that is wrong. It never throws (a hostile getter or proxy is a rejection too),
// and a `__proto__` key is refused outright, so a value it returns is safe to spread or assign.
import { fail, ok, type Result } from '../policy/result';

export interface Schema<T> {
  /** `v` as a T, or why not; `at` names the field for the message ('' at the top). */
  read(v: unknown, at: string): Result<T>;
  /** Set by optional(): the field may be missing from its object. */
  readonly optional?: true;
}

/** The type a schema reads. */
export type Infer<S> = S extends Schema<infer T> ? T : never;

/** Object fields: name -> schema. */
export type Shape = Readonly<Record<string, Schema<unknown>>>;

type Flat<T> = T extends unknown ? { [K in keyof T]: T[K] } : never;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends { optional: true } ? K : never }[keyof S];
/** The object type a shape describes: optional() fields become optional properties. */
export type ObjectOf<S extends Shape> = Flat<
  { [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> }
>;

const problem = <T>(at: string, text: string): Result<T> => fail(at ? `${at} ${text}` : text);
const field = (at: string, key: string) => (at ? `${at}.${key}` : key);

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The keys of prototype pollution (`__proto__` assigned key by key, `constructor.prototype` in a deep
 * merge). No IceGuard message has a use for them, so they are refused wherever they stand.
 */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** A schema from a reading function; any exception while reading (a getter, a proxy trap) is a rejection. */
export function custom<T>(read: (v: unknown, at: string) => Result<T>): Schema<T> {
  return {
    read(v, at) {
      try {
        return read(v, at);
      } catch {
        return problem(at, 'could not be read');
      }
    },
  };
}

export function string(maxLength = 2048): Schema<string> {
  return custom((v, at) =>
    typeof v !== 'string' ? problem(at, 'is not a string') : v.length > maxLength ? problem(at, `is longer than ${maxLength} characters`) : ok(v),
  );
}

/** A finite number; `integer`: a safe integer. */
export function number(opts: { integer?: boolean; min?: number; max?: number } = {}): Schema<number> {
  const { integer = false, min = -Infinity, max = Infinity } = opts;
  return custom((v, at) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) return problem(at, 'is not a number');
    if (integer && !Number.isSafeInteger(v)) return problem(at, 'is not a whole number');
    return v < min || v > max ? problem(at, `is not between ${min} and ${max}`) : ok(v);
  });
}

// Marked pure so that a bundle that imports this file for nothing it uses (the relay, through the
// test bridge's tag) leaves the schemas out.
export const boolean: Schema<boolean> = /* @__PURE__ */ custom((v, at) => (typeof v === 'boolean' ? ok(v) : problem(at, 'is not true or false')));

/** Any value, as it is: for items another part checks one by one (and may refuse one by one). */
export const anything: Schema<unknown> = /* @__PURE__ */ custom((v) => ok(v));

/** One of a list of literals (a union of string literals, usually). */
export function oneOf<const V extends readonly (string | number | boolean)[]>(values: V): Schema<V[number]> {
  const allowed: readonly unknown[] = values;
  return custom((v, at) => (allowed.includes(v) ? ok(v as V[number]) : problem(at, `is not one of ${values.join(', ')}`)));
}

/** The field may be missing (or undefined). */
export function optional<T>(s: Schema<T>): Schema<T | undefined> & { readonly optional: true } {
  return { optional: true, read: (v, at) => (v === undefined ? ok(undefined) : s.read(v, at)) };
}

export function nullable<T>(s: Schema<T>): Schema<T | null> {
  return custom((v, at) => (v === null ? ok(null) : s.read(v, at)));
}

/** The first schema that reads the value (its own message when none does). */
export function either<A, B>(a: Schema<A>, b: Schema<B>, what: string): Schema<A | B> {
  return custom((v, at) => {
    const first: Result<A | B> = a.read(v, at);
    if (first.ok) return first;
    const second: Result<A | B> = b.read(v, at);
    return second.ok ? second : problem(at, `is not ${what}`);
  });
}

export function arrayOf<T>(item: Schema<T>, maxItems: number): Schema<T[]> {
  return custom((v, at) => {
    if (!Array.isArray(v)) return problem(at, 'is not a list');
    if (v.length > maxItems) return problem(at, `has more than ${maxItems} items`);
    const out: T[] = [];
    for (let i = 0; i < v.length; i++) {
      const r = item.read(v[i], `${at}[${i}]`);
      if (!r.ok) return r;
      out.push(r.value);
    }
    return ok(out);
  });
}

/**
 * A list read leniently: items that do not read are left out, and the list is cut at `maxItems`. For
 * lists from a peer updated apart from us (the LAN helper), where one odd item must not cost the rest.
 */
export function someOf<T>(item: Schema<T>, maxItems: number): Schema<T[]> {
  return custom((v, at) => {
    if (!Array.isArray(v)) return problem(at, 'is not a list');
    const out: T[] = [];
    for (let i = 0; i < v.length && out.length < maxItems; i++) {
      const r = item.read(v[i], at);
      if (r.ok) out.push(r.value);
    }
    return ok(out);
  });
}

/** The own keys of a plain record, or why it is not one (shared by record() and object()). */
function ownKeys(v: unknown, at: string): Result<string[]> {
  if (!isRecord(v)) return problem(at, 'is not an object');
  const keys = Object.keys(v);
  const bad = keys.find((k) => FORBIDDEN_KEYS.has(k));
  return bad === undefined ? ok(keys) : problem(field(at, bad), 'is not an allowed key');
}

/** string -> T, with at most `maxKeys` keys. */
export function record<T>(value: Schema<T>, maxKeys: number): Schema<Record<string, T>> {
  return custom((v, at) => {
    const keys = ownKeys(v, at);
    if (!keys.ok) return keys;
    if (keys.value.length > maxKeys) return problem(at, `has more than ${maxKeys} keys`);
    const out: Record<string, T> = {};
    for (const k of keys.value) {
      const r = value.read((v as Record<string, unknown>)[k], field(at, k));
      if (!r.ok) return r;
      out[k] = r.value;
    }
    return ok(out);
  });
}

/**
 * An object with exactly these fields. Unknown keys are refused (`extra: 'reject'`), or left out of the
 * value read (`'ignore'`: for a peer that is updated apart from us and may add fields, the LAN helper).
 */
export function object<S extends Shape>(shape: S, extra: 'reject' | 'ignore' = 'reject'): Schema<ObjectOf<S>> {
  const read = fieldsReader(shape, extra);
  return custom((v, at) => read(v, at, undefined, {}) as Result<ObjectOf<S>>);
}

/**
 * Reads the fields of `shape` from `v` into `out` (`skip`: a key that is not a field, a channel's tag).
 * Taken apart from object() so that a channel reads a message in one pass, without copying it first.
 */
function fieldsReader(shape: Shape, extra: 'reject' | 'ignore') {
  const entries = Object.entries(shape);
  return (v: unknown, at: string, skip: string | undefined, out: Record<string, unknown>): Result<Record<string, unknown>> => {
    const keys = ownKeys(v, at);
    if (!keys.ok) return keys;
    if (extra === 'reject') {
      for (const k of keys.value) if (k !== skip && !Object.hasOwn(shape, k)) return problem(field(at, k), 'is not expected here');
    }
    for (const [k, s] of entries) {
      const given = Object.hasOwn(v as object, k) ? (v as Record<string, unknown>)[k] : undefined;
      if (given === undefined && !s.optional) return problem(field(at, k), 'is missing');
      const r = s.read(given, field(at, k));
      if (!r.ok) return r;
      if (r.value !== undefined) out[k] = r.value;
    }
    return ok(out);
  };
}

/** `{ key, value }` where `key` names an entry of `table` and `value` is what that entry reads. */
export type EntryOf<T extends Shape> = { [K in keyof T & string]: { key: K; value: Infer<T[K]> } }[keyof T & string];

/**
 * A key of `table` and a value of its schema (a setting and its value): messages name the key itself
 * ("floor is not one of ..."), as the user knows it; an unknown key is `<key> is not <what>`.
 */
export function entryOf<T extends Shape>(table: T, what: string): Schema<EntryOf<T>> {
  return custom((v, at) => {
    const keys = ownKeys(v, at);
    if (!keys.ok) return keys;
    const m = v as Record<string, unknown>;
    const extraKey = keys.value.find((k) => k !== 'key' && k !== 'value');
    if (extraKey !== undefined) return problem(field(at, extraKey), 'is not expected here');
    if (typeof m.key !== 'string' || !Object.hasOwn(table, m.key)) return problem(at, `${String(m.key).slice(0, 40)} is not ${what}`);
    const r = (table[m.key] as Schema<unknown>).read(m.value, m.key);
    return r.ok ? ok({ key: m.key, value: r.value } as EntryOf<T>) : r;
  });
}

/** A channel's table: message kind -> its fields (a shape), or a schema of its fields (entryOf). */
export type KindTable = Readonly<Record<string, Shape | Schema<object>>>;

type BodyOf<B> = B extends Schema<infer T> ? T : B extends Shape ? ObjectOf<B> : never;

/** The message union a table declares: `{ [tag]: kind } & fields`, one member per kind. */
export type MessageOf<Tag extends string, T extends KindTable> = {
  [K in keyof T & string]: Flat<{ [P in Tag]: K } & BodyOf<T[K]>>;
}[keyof T & string];

export interface Channel<M> {
  /**
   * A message of this channel, or why not (`unknown <noun> "<kind>"` for a kind the table lacks). There is
   * no type guard on purpose: use the message read, which holds only the declared keys.
   */
  read(v: unknown): Result<M>;
}

const isSchema = (b: Shape | Schema<object>): b is Schema<object> => typeof (b as Schema<object>).read === 'function';

export interface ChannelOptions {
  /** Unknown keys, as in object() (an entryOf body always refuses them). */
  extra?: 'reject' | 'ignore';
  /** What a message is called in the message for an unknown kind ("request"). */
  noun?: string;
}

/** The reader of a channel: `tag` is the field naming the kind (`ui`, `type`), `table` the kinds. */
export function channel<Tag extends string, T extends KindTable>(tag: Tag, table: T, options: ChannelOptions = {}): Channel<MessageOf<Tag, T>> {
  const { extra = 'reject', noun = 'message' } = options;
  type Body = { schema: Schema<object> } | { fields: ReturnType<typeof fieldsReader> };
  const bodies = new Map<string, Body>();
  for (const [kind, body] of Object.entries(table)) bodies.set(kind, isSchema(body) ? { schema: body } : { fields: fieldsReader(body, extra) });
  const readBody = custom((v, at): Result<MessageOf<Tag, T>> => {
    if (!isRecord(v)) return problem(at, 'is not an object');
    const m = v;
    const kind = Object.hasOwn(m, tag) ? m[tag] : undefined;
    if (typeof kind !== 'string') return problem(field(at, tag), 'is not a string');
    const body = bodies.get(kind);
    if (!body) return problem(at, `unknown ${noun} ${JSON.stringify(kind.slice(0, 40))}`);
    // The body judges the fields only: a shape reads them past the tag, in one pass.
    if ('fields' in body) return body.fields(m, at, tag, { [tag]: kind }) as Result<MessageOf<Tag, T>>;
    const keys = ownKeys(m, at);
    if (!keys.ok) return keys;
    const rest: Record<string, unknown> = {};
    for (const k of keys.value) if (k !== tag) rest[k] = m[k];
    const r = body.schema.read(rest, at);
    return r.ok ? ok({ [tag]: kind, ...r.value } as MessageOf<Tag, T>) : r;
  });
  return { read: (v) => readBody.read(v, '') };
}
