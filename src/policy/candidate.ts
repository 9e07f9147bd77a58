// ICE candidate lines (RFC 8839 §5.1, RFC 6544 §4.5 tcptype): parse and serialize, byte for byte.
import { isDigit, isDigits, isNameChars, lower, slice, startsWith } from './builtins';
import { parseIpv6 } from './ip';
import { fail, ok, type Result } from './result';

export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay';

/** Every field is the original text, so `serializeCandidate(parseCandidate(x).value) === x`. */
export interface Candidate {
  /** '', 'candidate:' or 'a=candidate:' as found (the RTCIceCandidate and SDP forms). */
  readonly prefix: '' | 'candidate:' | 'a=candidate:';
  readonly foundation: string;
  readonly component: string;
  /** UDP or TCP in its original case (Firefox writes upper case, Chromium lower). */
  readonly transport: string;
  readonly priority: string;
  readonly address: string;
  readonly port: string;
  readonly type: CandidateType;
  readonly raddr: string | undefined;
  readonly rport: string | undefined;
  /** The extension pairs as found, each preceded by one space (e.g. ' generation 0 ufrag wurx'), or ''. */
  readonly ext: string;
}

/** Longer lines are refused: browsers emit < 200 characters, and a bound keeps every caller linear. */
export const MAX_CANDIDATE_LENGTH = 4096;

/** ice-char = ALPHA / DIGIT / "+" / "/" (RFC 8839 §5.1). */
export function isIceChars(s: string, max: number): boolean {
  if (s.length === 0 || s.length > max) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (!(isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '+' || c === '/')) return false;
  }
  return true;
}

/** connection-address (RFC 8839 §5.1, from RFC 4566 §9): IPv6 when it holds a colon, else IPv4 or FQDN. */
function isConnectionAddress(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s[i] === ':') return parseIpv6(s) !== undefined;
  return s.length <= 253 && isNameChars(s);
}

const isPort = (s: string): boolean => isDigits(s, 5) && +s <= 65535;

export function parseCandidate(line: string): Result<Candidate> {
  const n = line.length;
  if (n === 0 || n > MAX_CANDIDATE_LENGTH) return fail('length');
  // Single spaces between VCHAR tokens only, as browsers emit (RFC 8839 §5.1 "SP", RFC 5234 VCHAR).
  for (let i = 0; i < n; i++) {
    const c = line[i] as string;
    if (c === ' ' ? i === 0 || i === n - 1 || line[i - 1] === ' ' : c < '!' || c > '~') return fail('whitespace or character');
  }
  const prefix = startsWith(line, 'a=candidate:') ? 'a=candidate:' : startsWith(line, 'candidate:') ? 'candidate:' : '';
  let pos = prefix.length;
  const next = (): string => {
    let end = pos;
    while (end < n && line[end] !== ' ') end++;
    const t = slice(line, pos, end);
    pos = end + 1;
    return t;
  };
  const foundation = next();
  const component = next();
  const transport = next();
  const priority = next();
  const address = next();
  const port = next();
  const typ = next();
  const type = next();
  if (!isIceChars(foundation, 32)) return fail('foundation');
  if (!isDigits(component, 3)) return fail('component');
  const t = lower(transport);
  if (t !== 'udp' && t !== 'tcp') return fail('transport');
  if (!isDigits(priority, 10)) return fail('priority');
  if (!isConnectionAddress(address)) return fail('address');
  if (!isPort(port)) return fail('port');
  if (typ !== 'typ') return fail('typ');
  if (type !== 'host' && type !== 'srflx' && type !== 'prflx' && type !== 'relay') return fail('type');
  let raddr: string | undefined;
  let rport: string | undefined;
  let mark = pos;
  let name = next();
  if (name === 'raddr') {
    raddr = next();
    if (!isConnectionAddress(raddr)) return fail('raddr');
    mark = pos;
    name = next();
  }
  if (name === 'rport') {
    rport = next();
    if (!isPort(rport)) return fail('rport');
    mark = pos;
    name = next();
  }
  const extStart = mark - 1;
  // The rest are name/value pairs; a missing value leaves an odd count.
  while (name !== '') {
    if (next() === '') return fail('extension');
    name = next();
  }
  const ext = extStart < n ? slice(line, extStart) : '';
  return ok({ prefix, foundation, component, transport, priority, address, port, type, raddr, rport, ext });
}

export function serializeCandidate(c: Candidate): string {
  return c.prefix + c.foundation + ' ' + c.component + ' ' + c.transport + ' ' + c.priority + ' ' + c.address + ' ' +
    c.port + ' typ ' + c.type + (c.raddr === undefined ? '' : ' raddr ' + c.raddr) +
    (c.rport === undefined ? '' : ' rport ' + c.rport) + c.ext;
}
