// Built-ins captured at load and hook-free helpers, so a page cannot observe or steer the policy code.
// Why: this folder is bundled into the page shim (STYLE.md "Capture built-ins once"). A page that later
// replaces String.prototype.slice, RegExp.prototype.exec, Map.prototype.get or an Array.prototype index
// setter would be called with our raw candidate strings as `this`/arguments (a leak) or could lie to our
// checks (a bypass). So the policy code only indexes strings within bounds, concatenates, compares, uses
// the bound `slice` below, and keeps lookups in null-prototype dictionaries. The shim evaluates this
// module at document_start, before any page script runs.

const call = Function.prototype.call;

/** String.prototype.slice, bound once: `slice(s, start, end)`. */
export const slice = call.bind(String.prototype.slice) as (s: string, start: number, end?: number) => string;
/** String.prototype.indexOf, bound once: `indexOf(s, search, from)`. */
export const indexOf = call.bind(String.prototype.indexOf) as (s: string, search: string, from?: number) => number;

/** Array.isArray as it was at load (page input is checked with it). */
export const isArray = Array.isArray;

/** Uint8Array as it was at load: a page that swaps it later must not see or choose our random bytes. */
export const U8 = Uint8Array;

/** A dictionary with no prototype: no inherited getters or setters can run on lookups or stores. */
export function dict<T>(): Record<string, T> {
  return { __proto__: null } as unknown as Record<string, T>;
}

const HEX = dict<number>();
const LOWER = dict<string>();
for (let i = 0; i < 22; i++) HEX['0123456789abcdefABCDEF'[i] as string] = i < 16 ? i : i - 6;
for (let i = 0; i < 26; i++) LOWER['ABCDEFGHIJKLMNOPQRSTUVWXYZ'[i] as string] = 'abcdefghijklmnopqrstuvwxyz'[i] as string;

/** Value of one hexadecimal digit, or undefined. */
export const hexValue = (c: string): number | undefined => HEX[c];
export const isDigit = (c: string): boolean => c >= '0' && c <= '9';

/** True when `s` is 1..max characters, all decimal digits. */
export function isDigits(s: string, max: number): boolean {
  if (s.length === 0 || s.length > max) return false;
  for (let i = 0; i < s.length; i++) if (!isDigit(s[i] as string)) return false;
  return true;
}

/** ASCII lower case without String.prototype.toLowerCase. */
export function lower(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    out += LOWER[c] ?? c;
  }
  return out;
}

export function startsWith(s: string, prefix: string): boolean {
  if (s.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (s[i] !== prefix[i]) return false;
  return true;
}

/** Case-insensitive ASCII suffix test (`suffix` given in lower case). */
export function endsWithLower(s: string, suffix: string): boolean {
  const off = s.length - suffix.length;
  if (off < 0) return false;
  for (let i = 0; i < suffix.length; i++) {
    const c = s[off + i] as string;
    if ((LOWER[c] ?? c) !== suffix[i]) return false;
  }
  return true;
}

/** Letters, digits, '.' and '-': the FQDN alphabet of RFC 4566 §9 (and RFC 1123 host names). */
export function isNameChars(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (!(isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '.' || c === '-')) return false;
  }
  return s.length > 0;
}
