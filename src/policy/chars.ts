// Character classes and ASCII helpers of the policy core, which parses untrusted text (candidate
// lines, SDP, site patterns) in the relay's ISOLATED world, out of the page's reach. Each character is
// tested through one table load; lower-casing is ASCII-only on purpose (host names, schemes and
// mDNS names are compared as ASCII, RFC 4343), never locale-dependent.

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
const CLASSES = new Uint8Array(128);
const HEX_VALUES = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const digit = c >= 48 && c <= 57;
  const letter = (c | 32) >= 97 && (c | 32) <= 122;
  const hex = digit || ((c | 32) >= 97 && (c | 32) <= 102);
  const ch = String.fromCharCode(c);
  CLASSES[c] = (c >= 32 && c < 127 ? TEXT : 0) | (digit ? DIGIT : 0) | (hex ? HEX : 0) | (digit || letter ? ICE | NAME | ZONE : 0) |
    (ch === '+' || ch === '/' ? ICE : 0) | (ch === '.' || ch === '-' ? NAME | ZONE : 0) | (ch === '_' || ch === '~' || ch === '%' ? ZONE : 0);
  HEX_VALUES[c] = digit ? c - 48 : hex ? (c | 32) - 87 : 0;
}


/** One regular expression per class mask: `^[<the class's ASCII characters>]*$`. */
const CLASS_RES = new Map<number, RegExp>();
function classRe(cls: number): RegExp {
  let re = CLASS_RES.get(cls);
  if (re === undefined) {
    let set = '';
    for (let c = 0; c < 128; c++) if (((CLASSES[c] as number) & cls) !== 0) set += '\\x' + (c < 16 ? '0' : '') + c.toString(16);
    re = new RegExp('^[' + set + ']*$');
    CLASS_RES.set(cls, re);
  }
  return re;
}

/**
 * True when `s` has min..max characters, all of class `cls`. Longer strings through a regular
 * expression, not a loop over the table: this runs for every token the relay parses, mostly in code
 * not optimized yet (each document's isolated world starts cold), where the loop was the largest share
 * of a candidate's time (measured).
 */
export function allOf(s: string, cls: number, min: number, max: number): boolean {
  const n = s.length;
  if (n < min || n > max) return false;
  if (n > 12) return classRe(cls).test(s);
  // Short tokens (ports, priorities, octets): the table, which optimized code runs faster.
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || ((CLASSES[c] as number) & cls) === 0) return false;
  }
  return true;
}

/** Value of the hexadecimal digit s[i], or undefined. */
export const hexValue = (s: string, i: number): number | undefined => {
  const c = s.charCodeAt(i);
  return c < 128 && ((CLASSES[c] as number) & HEX) !== 0 ? HEX_VALUES[c] : undefined;
};
export const isDigit = (c: string): boolean => c >= '0' && c <= '9';
/** True when `s` is 1..max characters, all decimal digits. */
export const isDigits = (s: string, max: number): boolean => allOf(s, DIGIT, 1, max);
/** Letters, digits, '.' and '-', at least one. */
export const isNameChars = (s: string): boolean => allOf(s, NAME, 1, Infinity);

/** Code of s[i], ASCII upper case folded to lower case. */
const lowerCode = (s: string, i: number): number => {
  const c = s.charCodeAt(i);
  return c >= 65 && c <= 90 ? c | 32 : c;
};
/** ASCII lower case (other characters are kept: toLowerCase would fold some non-ASCII into ASCII). */
export const lower = (s: string): string => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

/** Case-insensitive ASCII suffix test (`suffix` given in lower case). */
export function endsWithLower(s: string, suffix: string): boolean {
  const off = s.length - suffix.length;
  if (off < 0) return false;
  for (let i = 0; i < suffix.length; i++) if (lowerCode(s, off + i) !== suffix.charCodeAt(i)) return false;
  return true;
}
