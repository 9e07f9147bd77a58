// IPv4/IPv6 text parsing (RFC 4291 §2.2), canonical keys (RFC 5952 §4) and the inet_aton "numeric" test.
import { allOf, HEX, hexValue, isDigit, isDigits, ZONE } from './chars';

/** A parsed address: 4 bytes (v4) or 16 bytes (v6). */
export interface Ip {
  readonly v: 4 | 6;
  readonly b: readonly number[];
}

/**
 * Strict dotted quad: four decimal octets, no leading zeros (RFC 3986 §3.2.2 dec-octet), i.e. what
 * inet_pton(3) accepts. Other inet_aton spellings (`0x7f.1`, `2130706433`, `0177.0.0.1`) are not
 * addresses here; `endsInNumber` flags them so that callers refuse them instead of treating them as names.
 */
export function parseIpv4(s: string): number[] | undefined {
  const L = s.length;
  if (L < 7 || L > 15) return undefined;
  const b = [0, 0, 0, 0];
  let n = 0;
  let v = 0;
  let digits = 0;
  for (let i = 0; i <= L; i++) {
    const c = i < L ? (s[i] as string) : '.';
    if (c === '.') {
      if (digits === 0 || n === 4) return undefined;
      b[n++] = v;
      v = 0;
      digits = 0;
    } else if (isDigit(c) && !(digits === 1 && v === 0)) {
      v = v * 10 + (+c);
      if (++digits > 3 || v > 255) return undefined;
    } else return undefined;
  }
  return n === 4 ? b : undefined;
}

/**
 * RFC 4291 §2.2 text forms: full, `::`-compressed, trailing dotted quad, optional `%zone` (RFC 4007 §11;
 * dropped: the zone does not change which address leaks). Returns 16 bytes.
 */
export function parseIpv6(text: string): number[] | undefined {
  const pct = text.indexOf('%');
  const s = pct < 0 ? text : text.slice(0, pct);
  if (pct >= 0 && !isZone(text.slice(pct + 1))) return undefined;
  const L = s.length;
  if (L < 2 || L > 45) return undefined;
  const g = [0, 0, 0, 0, 0, 0, 0, 0];
  let n = 0;
  let gap = -1;
  let i = 0;
  if (s[0] === ':') {
    if (s[1] !== ':') return undefined;
    gap = 0;
    i = 2;
  }
  while (i < L) {
    if (n === 8) return undefined;
    let v = 0;
    let j = i;
    while (j < L && j - i < 5) {
      const h = hexValue(s, j);
      if (h === undefined) break;
      v = v * 16 + h;
      j++;
    }
    if (j < L && s[j] === '.') {
      const v4 = n <= 6 ? parseIpv4(s.slice(i)) : undefined;
      if (!v4) return undefined;
      g[n++] = (v4[0] as number) * 256 + (v4[1] as number);
      g[n++] = (v4[2] as number) * 256 + (v4[3] as number);
      break;
    }
    if (j === i || j - i > 4) return undefined;
    g[n++] = v;
    if (j === L) break;
    if (s[j] !== ':') return undefined;
    if (j + 1 < L && s[j + 1] === ':') {
      if (gap >= 0) return undefined;
      gap = n;
      i = j + 2;
    } else {
      i = j + 1;
      if (i === L) return undefined; // a trailing single ':'
    }
  }
  // '::' stands for one or more zero groups (RFC 4291 §2.2 item 2).
  if (gap < 0 ? n !== 8 : n > 7) return undefined;
  const b = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (let k = 0; k < n; k++) {
    const at = gap >= 0 && k >= gap ? k + 8 - n : k;
    b[at * 2] = (g[k] as number) >> 8;
    b[at * 2 + 1] = (g[k] as number) & 255;
  }
  return b;
}

const isZone = (z: string): boolean => allOf(z, ZONE, 1, 64);

/**
 * Recent parses, by text: the relay reads the same few addresses many times per candidate (its key,
 * its class, its name, the activity report), mostly in code that has not been optimized yet (each
 * document's isolated world starts cold). Results are frozen, so sharing them is safe; bounded.
 */
const PARSED = new Map<string, Ip | null>();
const PARSED_MAX = 512;

/** Either family; IPv6 may be bracketed as in URLs (RFC 3986 §3.2.2). Colon means IPv6 (RFC 8839 §5.1). */
export function parseIp(s: string): Ip | undefined {
  const known = PARSED.get(s);
  if (known !== undefined) return known ?? undefined;
  const ip = parseIpText(s);
  if (s.length <= 64) {
    if (PARSED.size >= PARSED_MAX) PARSED.clear();
    if (ip) Object.freeze(ip.b);
    PARSED.set(s, ip ? Object.freeze(ip) : null);
  }
  return ip;
}

function parseIpText(s: string): Ip | undefined {
  const L = s.length;
  if (L > 2 && s[0] === '[' && s[L - 1] === ']') {
    const b = parseIpv6(s.slice(1, L - 1));
    return b && { v: 6, b };
  }
  if (s.indexOf(':') >= 0) {
    const b = parseIpv6(s);
    return b && { v: 6, b };
  }
  const b = parseIpv4(s);
  return b && { v: 4, b };
}

/** The IPv4 address inside an IPv4-mapped or IPv4-compatible IPv6 address (RFC 4291 §2.5.5), else undefined. */
export function embeddedIpv4(b: readonly number[]): number[] | undefined {
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return undefined;
  const mapped = b[10] === 255 && b[11] === 255;
  const v4 = [b[12] as number, b[13] as number, b[14] as number, b[15] as number];
  // ::/128 and ::1 are the IPv6 unspecified and loopback addresses, not compatible forms.
  if (!mapped && (b[10] !== 0 || b[11] !== 0 || (v4[0] === 0 && v4[1] === 0 && v4[2] === 0 && (v4[3] as number) < 2))) return undefined;
  return v4;
}

const HEXCH = '0123456789abcdef';

/**
 * Canonical key: dotted quad for IPv4 and for IPv4-mapped/compatible IPv6 (one address, one key, however
 * it was spelled), RFC 5952 text for other IPv6. A key is itself a valid spelling of its address.
 */
export function ipKey(ip: Ip): string {
  const b = ip.v === 6 ? embeddedIpv4(ip.b) ?? ip.b : ip.b;
  return b.length === 4 ? b[0] + '.' + b[1] + '.' + b[2] + '.' + b[3] : formatIpv6(b);
}

/** RFC 5952 §4 text of 16 bytes (IPv4-mapped ones in hex, e.g. `::ffff:c000:201`). */
export function formatIpv6(b: readonly number[]): string {
  let best = -1;
  let bestLen = 1;
  for (let k = 0; k < 8; ) {
    let e = k;
    while (e < 8 && b[e * 2] === 0 && b[e * 2 + 1] === 0) e++;
    if (e - k > bestLen) {
      best = k;
      bestLen = e - k;
    }
    k = e > k ? e : k + 1;
  }
  let out = '';
  for (let k = 0; k < 8; k++) {
    if (k === best) {
      out += '::';
      k += bestLen - 1;
      continue;
    }
    if (out.length > 0 && out[out.length - 1] !== ':') out += ':';
    out += hex16(((b[k * 2] as number) << 8) | (b[k * 2 + 1] as number));
  }
  return out;
}

function hex16(v: number): string {
  let out = '';
  for (let shift = 12; shift >= 0; shift -= 4) {
    const d = (v >> shift) & 15;
    if (out.length > 0 || d !== 0 || shift === 0) out += HEXCH[d];
  }
  return out;
}

/** Canonical key of an address text, or undefined when it is not an IP address. */
export function addressKey(s: string): string | undefined {
  const ip = parseIp(s);
  return ip && ipKey(ip);
}

/**
 * The WHATWG URL "ends in a number" check (URL Standard §3.5, host parsing): the last label (after one
 * trailing dot) is all digits or `0x` hex. Such hosts are read as IPv4 numbers by URL parsers and by
 * inet_aton/getaddrinfo (`127.1`, `0x7f.1`, `2130706433`, `0177.0.0.1`), so they are never safe names.
 */
export function endsInNumber(host: string): boolean {
  let end = host.length;
  if (end > 0 && host[end - 1] === '.') end--;
  let start = end;
  while (start > 0 && host[start - 1] !== '.') start--;
  if (start === end) return false;
  const label = host.slice(start, end);
  if (isDigits(label, label.length)) return true;
  if (label.length < 2 || label[0] !== '0' || (label[1] !== 'x' && label[1] !== 'X')) return false;
  return allOf(label.slice(2), HEX, 0, Infinity);
}
