// Built-ins captured at load and hook-free helpers, so a page cannot observe or steer the policy code.
// Why: this folder is bundled into the page shim (docs/security.md "Page-world code"). A page that later
// replaces String.prototype.slice, RegExp.prototype.exec, Map.prototype.get or an Array.prototype index
// setter would be called with our raw candidate strings as `this`/arguments (a leak) or could lie to our
// checks (a bypass). So the policy code only indexes strings within bounds, concatenates, compares, calls
// the bound methods below, and keeps lookups in null-prototype dictionaries and typed arrays. The shim
// evaluates this module at document_start, before any page script runs.

const call = Function.prototype.call;

/** String.prototype.slice, bound once: `slice(s, start, end)`. */
export const slice = call.bind(String.prototype.slice) as (s: string, start: number, end?: number) => string;
/** String.prototype.charCodeAt, bound once: `charCodeAt(s, i)`. */
export const charCodeAt = call.bind(String.prototype.charCodeAt) as (s: string, i: number) => number;
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

/** Character classes (bits), by code; non-ASCII is in none. One table load per character. */
export const DIGIT = 1;
export const HEX = 2;
/** ice-char = ALPHA / DIGIT / "+" / "/" (RFC 8839 §5.1). */
export const ICE = 4;
/** Letters, digits, '.' and '-': RFC 4566 §9 FQDN characters (RFC 1123 host names). */
export const NAME = 8;
/** VCHAR (RFC 5234) or SP. */
export const TEXT = 16;
/** Letters, digits and "._~%-": what we accept in an IPv6 zone id (RFC 6874 §2 unreserved, plus '%'). */
export const ZONE = 32;
const CLASSES = new U8(128);
const HEX_VALUES = new U8(128);
for (let c = 0; c < 128; c++) {
  const digit = c >= 48 && c <= 57;
  const letter = (c | 32) >= 97 && (c | 32) <= 122;
  const hex = digit || ((c | 32) >= 97 && (c | 32) <= 102);
  const ch = String.fromCharCode(c);
  CLASSES[c] = (c >= 32 && c < 127 ? TEXT : 0) | (digit ? DIGIT : 0) | (hex ? HEX : 0) | (digit || letter ? ICE | NAME | ZONE : 0) |
    (ch === '+' || ch === '/' ? ICE : 0) | (ch === '.' || ch === '-' ? NAME | ZONE : 0) | (ch === '_' || ch === '~' || ch === '%' ? ZONE : 0);
  HEX_VALUES[c] = digit ? c - 48 : hex ? (c | 32) - 87 : 0;
}

/** The class bits of s[i] (0 outside ASCII). */
export const charClass = (s: string, i: number): number => CLASSES[charCodeAt(s, i)] ?? 0;

/** True when `s` has min..max characters, all of class `cls`. */
export function allOf(s: string, cls: number, min: number, max: number): boolean {
  if (s.length < min || s.length > max) return false;
  for (let i = 0; i < s.length; i++) if ((charClass(s, i) & cls) === 0) return false;
  return true;
}

/** Value of the hexadecimal digit s[i], or undefined. */
export const hexValue = (s: string, i: number): number | undefined =>
  (charClass(s, i) & HEX) === 0 ? undefined : HEX_VALUES[charCodeAt(s, i)];
export const isDigit = (c: string): boolean => c >= '0' && c <= '9';
/** True when `s` is 1..max characters, all decimal digits. */
export const isDigits = (s: string, max: number): boolean => allOf(s, DIGIT, 1, max);
/** Letters, digits, '.' and '-', at least one. */
export const isNameChars = (s: string): boolean => allOf(s, NAME, 1, Infinity);

/** Code of s[i], ASCII upper case folded to lower case. */
const lowerCode = (s: string, i: number): number => {
  const c = charCodeAt(s, i);
  return c >= 65 && c <= 90 ? c | 32 : c;
};
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';

/** ASCII lower case without String.prototype.toLowerCase (other characters are kept). */
export function lower(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = charCodeAt(s, i);
    out += c >= 65 && c <= 90 ? (ALPHABET[c - 65] as string) : (s[i] as string);
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
  for (let i = 0; i < suffix.length; i++) if (lowerCode(s, off + i) !== charCodeAt(suffix, i)) return false;
  return true;
}
