// Replaces every spelling of a known host address inside free text (SDP lines we do not otherwise parse).
import { hexValue, isDigit, slice } from './builtins';
import type { HostAddresses } from './context';
import { parseIp } from './ip';

const isRunChar = (c: string): boolean => c === ':' || c === '.' || hexValue(c) !== undefined;

/**
 * Fail-closed net for SDP lines with no rule of their own (o=, a=remote-candidates, unknown attributes):
 * each maximal run of hex digits, ':' and '.' is read as an address (without a lone leading or trailing
 * ':' or '.', e.g. `a=x:fe80::1`, `198.51.100.10.`); failing that, each run of digits and dots inside it
 * (the tail of `::ffff:198.51.100.10`, or `198.51.100.10:5000`). A run that is a known host address
 * becomes `::` or `0.0.0.0`. Linear: every character is visited at most twice and parsers see only short
 * runs. Text without host addresses comes back identical.
 */
export function scrubHostAddresses(text: string, hosts: HostAddresses): string {
  let out = '';
  let copied = 0;
  const n = text.length;
  let i = 0;
  const replace = (start: number, end: number, v6: boolean): void => {
    out += slice(text, copied, start) + (v6 ? '::' : '0.0.0.0');
    copied = end;
  };
  while (i < n) {
    if (!isRunChar(text[i] as string)) {
      i++;
      continue;
    }
    let j = i;
    let colon = false;
    let dot = false;
    while (j < n && isRunChar(text[j] as string)) {
      if (text[j] === ':') colon = true;
      else if (text[j] === '.') dot = true;
      j++;
    }
    if (colon || dot) {
      let a = i;
      let b = j;
      if (b - a > 1 && text[a] !== text[a + 1] && (text[a] === ':' || text[a] === '.')) a++;
      if (b - a > 1 && text[b - 1] !== text[b - 2] && (text[b - 1] === ':' || text[b - 1] === '.')) b--;
      const ip = b - a <= 45 ? parseIp(slice(text, a, b)) : undefined;
      if (ip && hosts.hasIp(ip)) replace(a, b, ip.v === 6);
      else if (dot) {
        for (let p = i; p < j; ) {
          if (!(isDigit(text[p] as string) || text[p] === '.')) {
            p++;
            continue;
          }
          let q = p;
          while (q < j && (isDigit(text[q] as string) || text[q] === '.')) q++;
          let s = p;
          let e = q;
          while (s < e && text[s] === '.') s++;
          while (e > s && text[e - 1] === '.') e--;
          if (e - s >= 7 && e - s <= 15 && hosts.has(slice(text, s, e))) replace(s, e, false);
          p = q;
        }
      }
    }
    i = j;
  }
  return copied === 0 ? text : out + slice(text, copied);
}
