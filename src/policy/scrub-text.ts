// Replaces every spelling of a known host address inside free text (SDP lines we do not otherwise parse).
import type { HostAddresses } from './context';
import { parseIp } from './ip';

// Character classes by code, as bits: 1 part of an address run (hex digit, ':' or '.'), 2 decimal digit
// or '.', 4 ':' or '.', 8 '.'.
const CLASS = new Uint8Array(128);
for (let c = 48; c <= 57; c++) CLASS[c] = 3;
for (let c = 65; c <= 70; c++) CLASS[c] = CLASS[c + 32] = 1;
CLASS[58] = 5;
CLASS[46] = 15;
const cls = (text: string, i: number): number => CLASS[text.charCodeAt(i)] ?? 0;

/**
 * Fail-closed net for SDP lines with no rule of their own (o=, a=remote-candidates, unknown attributes):
 * each maximal run of hex digits, ':' and '.' that holds a ':' or '.' is read as an address (without a
 * lone leading or trailing ':' or '.', e.g. `a=x:fe80::1`, `198.51.100.10.`); failing that, each run of
 * digits and dots inside it (the tail of `::ffff:198.51.100.10`, or `198.51.100.10:5000`). A run that is
 * a known host address becomes `::` or `0.0.0.0`. Text without host addresses comes back identical.
 * Linear: runs are found from the next '.' or ':' (native search, each position cached until passed),
 * every character is visited at most twice, and the parsers only see runs of at most 45 characters.
 */
export function scrubHostAddresses(text: string, hosts: HostAddresses): string {
  return mayHoldAddress(text) ? scanHostAddresses(text, hosts) : text;
}

// Both shortcuts are exact, and native matches: the scan runs cold in each new document (issue #15).
/** Two marks in one run: only such a run can be an address (see below). */
const TWO_MARKS = /[.:][0-9A-Fa-f]*[.:]/;
/**
 * The whole text one run of hex digits and colons too long for any address even after trimming
 * (a certificate fingerprint): the scan parses no run over 45 characters and looks for IPv4 only
 * where there are dots.
 */
const LONG_COLON_RUN = /^[0-9A-Fa-f:]{48,}$/;
const mayHoldAddress = (text: string): boolean => TWO_MARKS.test(text) && !LONG_COLON_RUN.test(text);

/** scrubHostAddresses without the shortcuts (tests hold the two equal). */
export function scanHostAddresses(text: string, hosts: HostAddresses): string {
  let out = '';
  let copied = 0;
  const n = text.length;
  const replace = (start: number, end: number, v6: boolean): void => {
    out += text.slice(copied, start) + (v6 ? '::' : '0.0.0.0');
    copied = end;
  };
  let from = 0;
  let dot = -2;
  let colon = -2;
  for (;;) {
    if (dot !== -1 && dot < from) dot = text.indexOf('.', from);
    if (colon !== -1 && colon < from) colon = text.indexOf(':', from);
    const p = dot < 0 ? colon : colon < 0 || dot < colon ? dot : colon;
    if (p < 0) break;
    let i = p;
    let j = p;
    let marks = 0; // ':' and '.' in the run
    let dots = 0;
    for (let k = i > from ? cls(text, i - 1) : 0; k !== 0; k = i > from ? cls(text, i - 1) : 0) {
      i--;
      marks += (k >> 2) & 1;
      dots += k >> 3;
    }
    for (let k = cls(text, j); k !== 0; k = j < n ? cls(text, j) : 0) {
      j++;
      marks += (k >> 2) & 1;
      dots += k >> 3;
    }
    from = j;
    // An IPv6 address has two colons at least, an IPv4 address three dots.
    if (marks < 2) continue;
    let a = i;
    let b = j;
    if (text[a] !== text[a + 1] && (text[a] === ':' || text[a] === '.')) a++;
    if (text[b - 1] !== text[b - 2] && (text[b - 1] === ':' || text[b - 1] === '.')) b--;
    const ip = b - a <= 45 ? parseIp(text.slice(a, b)) : undefined;
    if (ip && hosts.hasIp(ip)) {
      replace(a, b, ip.v === 6);
      continue;
    }
    if (dots < 3) continue;
    for (let q = i; q < j; ) {
      if ((cls(text, q) & 2) === 0) {
        q++;
        continue;
      }
      let e = q;
      while (e < j && (cls(text, e) & 2) !== 0) e++;
      let s = q;
      const end = e;
      while (s < e && text[s] === '.') s++;
      while (e > s && text[e - 1] === '.') e--;
      if (e - s >= 7 && e - s <= 15 && hosts.has(text.slice(s, e))) replace(s, e, false);
      q = end;
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}
