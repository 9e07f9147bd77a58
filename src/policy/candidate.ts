// ICE candidate lines (RFC 8839 §5.1, RFC 6544 §4.5 tcptype): parse and serialize, byte for byte.
import { allOf, endsWithLower, ICE, isDigits, NAME, TEXT } from './chars';
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

/** ice-char = ALPHA / DIGIT / "+" / "/" (RFC 8839 §5.1), 1..max of them. */
export const isIceChars = (s: string, max: number): boolean => allOf(s, ICE, 1, max);

/**
 * Calls `visit` with each name/value pair of a parsed candidate's `ext`, in order, while it returns
 * true; false once one returned false. Pairs are guaranteed by the parser (single spaces, an even
 * count); still, every step moves forward, whatever `ext` holds.
 */
export function eachExtension(ext: string, visit: (name: string, value: string) => boolean): boolean {
  for (let pos = 1; pos < ext.length; ) {
    const sp = ext.indexOf(' ', pos);
    const nameEnd = sp < 0 ? ext.length : sp;
    const next = ext.indexOf(' ', nameEnd + 1);
    const end = next < 0 ? ext.length : next;
    if (!visit(ext.slice(pos, nameEnd), ext.slice(nameEnd + 1, end))) return false;
    pos = end + 1;
  }
  return true;
}

/** connection-address (RFC 8839 §5.1, from RFC 4566 §9): IPv6 when it holds a colon, else IPv4 or FQDN. */
function isConnectionAddress(s: string): boolean {
  return s.indexOf(':') >= 0 ? parseIpv6(s) !== undefined : allOf(s, NAME, 1, 253);
}

const isPort = (s: string): boolean => isDigits(s, 5) && +s <= 65535;

// Token start offsets of the line being parsed (one spare slot for the end); reused, as parsing is synchronous.
const STARTS = new Int32Array(MAX_CANDIDATE_LENGTH / 2 + 2);

export function parseCandidate(line: string): Result<Candidate> {
  if (typeof line !== 'string') return fail('not a string');
  const n = line.length;
  if (n === 0 || n > MAX_CANDIDATE_LENGTH) return fail('length');
  const prefix = line.startsWith('a=candidate:') ? 'a=candidate:' : line.startsWith('candidate:') ? 'candidate:' : '';
  // Tokens separated by single spaces, as browsers emit (RFC 8839 §5.1 "SP"): no empty token (double,
  // leading or trailing space). Each field's own check admits only its characters; the free extension
  // tokens are checked for VCHAR (RFC 5234) below.
  let count = 0;
  for (let pos = prefix.length; ; ) {
    STARTS[count++] = pos;
    const sp = line.indexOf(' ', pos);
    if (sp < 0) break;
    if (sp === pos || sp === n - 1) return fail('whitespace');
    pos = sp + 1;
  }
  STARTS[count] = n + 1;
  const tok = (k: number): string => (k < count ? line.slice(STARTS[k] as number, (STARTS[k + 1] as number) - 1) : '');
  const foundation = tok(0);
  const component = tok(1);
  const transport = tok(2);
  const priority = tok(3);
  const address = tok(4);
  const port = tok(5);
  const type = tok(7);
  if (!isIceChars(foundation, 32)) return fail('foundation');
  if (!isDigits(component, 3)) return fail('component');
  if (!(transport.length === 3 && (endsWithLower(transport, 'udp') || endsWithLower(transport, 'tcp')))) return fail('transport');
  if (!isDigits(priority, 10)) return fail('priority');
  if (!isConnectionAddress(address)) return fail('address');
  if (!isPort(port)) return fail('port');
  if (tok(6) !== 'typ') return fail('typ');
  if (type !== 'host' && type !== 'srflx' && type !== 'prflx' && type !== 'relay') return fail('type');
  let k = 8;
  let raddr: string | undefined;
  let rport: string | undefined;
  if (tok(k) === 'raddr') {
    raddr = tok(k + 1);
    if (!isConnectionAddress(raddr)) return fail('raddr');
    k += 2;
  }
  if (tok(k) === 'rport') {
    rport = tok(k + 1);
    if (!isPort(rport)) return fail('rport');
    k += 2;
  }
  // The rest are name/value pairs; a missing value leaves an odd count.
  if ((count - k) % 2 !== 0) return fail('extension');
  const ext = k < count ? line.slice((STARTS[k] as number) - 1) : '';
  if (!allOf(ext, TEXT, 0, n)) return fail('extension');
  return ok({ prefix, foundation, component, transport, priority, address, port, type, raddr, rport, ext });
}

export function serializeCandidate(c: Candidate): string {
  return c.prefix + c.foundation + ' ' + c.component + ' ' + c.transport + ' ' + c.priority + ' ' + c.address + ' ' +
    c.port + ' typ ' + c.type + (c.raddr === undefined ? '' : ' raddr ' + c.raddr) +
    (c.rport === undefined ? '' : ' rport ' + c.rport) + c.ext;
}
