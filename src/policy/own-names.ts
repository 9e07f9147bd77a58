// The browser's own mDNS names, for `direct` sites (RFC 8828 mode 1 by consent, issue #7). Without
// camera permission Chromium and Firefox hide host addresses behind their own `<uuid>.local` names.
// A site the user allowed `direct` should get real host candidates anyway: the LAN helper asks the
// LAN for such a name and the browser's own mDNS responder answers with the address. These helpers
// put a resolved address in place of the name, in a candidate line and in a description.
import { isDigits, lower } from './chars';
import { eachExtension, isIceChars, parseCandidate, serializeCandidate, type Candidate } from './candidate';
import { parseIp } from './ip';
import { eachLine } from './sdp';
import { isUuidV4LocalName } from './mdns-names';

/** Lower-case name of a host candidate whose address is a `<uuid>.local` name, else undefined. */
export function ownNameOf(line: string): string | undefined {
  const p = parseCandidate(line);
  if (!p.ok || p.value.type !== 'host' || !isUuidV4LocalName(p.value.address)) return undefined;
  return lower(p.value.address);
}

/** `value` as decimal digits (at most ten) for a number from 0 to `max`. */
const upTo = (value: string, max: number): boolean => isDigits(value, 10) && +value <= max;

/**
 * Whether every browser takes this host candidate as it is, so that none rejects the line once its
 * name is an address: Chromium's rejection of a remote description quotes the line it could not
 * parse ("Failed to parse SessionDescription. a=candidate:… Invalid priority"), and a page that
 * wrote a broken line around one of its own names would read the address behind the name there
 * (docs/design.md leak 23). Only what browsers themselves emit is accepted, each field within the
 * range browsers parse it into (RFC 8839 §5.1, RFC 8445 §5.1.2.1, RFC 6544 §4.5; Chromium keeps
 * generation in 32 bits and network-id and network-cost in 16): component 1 to 256, priority up to
 * 2^32-1, no related address, and only the known extensions, each once, tcptype only on TCP. A line
 * outside this keeps its name, which is what the page wrote.
 */
export function acceptedAsIs(c: Candidate): boolean {
  if (c.raddr !== undefined || c.rport !== undefined) return false;
  if (!upTo(c.component, 256) || +c.component < 1 || !upTo(c.priority, 0xffffffff)) return false;
  const tcp = lower(c.transport) === 'tcp';
  const seen: string[] = [];
  return eachExtension(c.ext, (name, value) => {
    if (seen.indexOf(name) >= 0) return false;
    seen.push(name);
    return name === 'generation' ? upTo(value, 0xffffffff)
      : name === 'network-id' || name === 'network-cost' ? upTo(value, 0xffff)
      : name === 'ufrag' ? isIceChars(value, 256)
      : name === 'tcptype' && tcp && (value === 'active' || value === 'passive' || value === 'so');
  });
}

/**
 * The candidate with `address` in place of its `.local` name; the line unchanged when it has no
 * such name, `address` is not an IP address, or a browser could reject the line (acceptedAsIs).
 */
export function withOwnAddress(line: string, address: string): string {
  return resolveCandidateName(line, () => address);
}

/** A candidate whose address is a name `lookup` knows (lower-case), with that address instead. */
export function resolveCandidateName(line: string, lookup: (name: string) => string | undefined): string {
  const p = parseCandidate(line);
  return p.ok ? resolveParsedName(p.value, line, lookup) : line;
}

/** resolveCandidateName for a line already parsed (`c`). */
export function resolveParsedName(c: Candidate, line: string, lookup: (name: string) => string | undefined): string {
  if (c.type !== 'host' || !isUuidV4LocalName(c.address)) return line;
  const address = lookup(lower(c.address));
  return address === undefined || !parseIp(address) || !acceptedAsIs(c) ? line : serializeCandidate({ ...c, address });
}

/**
 * A description with every resolved name replaced: in a=candidate host lines, and in c= lines whose
 * address is a name (then with the family of the address). `lookup` gives the address of a
 * lower-case name, or undefined (that line stays as it is). Other lines, and line endings, are kept.
 * With `keepNames`, a resolved a=candidate line stays and its address version follows it (the
 * candidates a `direct` page was shown: the name first, then its address).
 */
export function resolveOwnNames(sdp: string, lookup: (name: string) => string | undefined, keepNames = false): string {
  let out = '';
  eachLine(sdp, (start, end, eol) => {
    const line = sdp.slice(start, end);
    const resolved = resolveLine(line, lookup);
    const both = keepNames && resolved !== line && line.slice(0, 12) === 'a=candidate:';
    out += (both ? line + eol : '') + resolved + eol;
  });
  return out;
}

function resolveLine(line: string, lookup: (name: string) => string | undefined): string {
  if (line.slice(0, 12) === 'a=candidate:') {
    const name = ownNameOf(line);
    const address = name === undefined ? undefined : lookup(name);
    return address === undefined ? line : withOwnAddress(line, address);
  }
  if (line.slice(0, 9) === 'c=IN IP4 ' || line.slice(0, 9) === 'c=IN IP6 ') {
    const host = line.slice(9);
    if (!isUuidV4LocalName(host)) return line;
    const address = lookup(lower(host));
    if (address === undefined || !parseIp(address)) return line;
    return (address.indexOf(':') >= 0 ? 'c=IN IP6 ' : 'c=IN IP4 ') + address;
  }
  return line;
}
