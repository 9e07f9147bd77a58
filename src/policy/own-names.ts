// The browser's own mDNS names, for `direct` sites (RFC 8828 mode 1 by consent, issue #7). Without
// camera permission Chromium and Firefox hide host addresses behind their own `<uuid>.local` names.
// A site the user allowed `direct` should get real host candidates anyway: the LAN helper asks the
// LAN for such a name and the browser's own mDNS responder answers with the address. These helpers
// put a resolved address in place of the name, in a candidate line and in a description.
import { lower } from './chars';
import { parseCandidate, serializeCandidate, type Candidate } from './candidate';
import { parseIp } from './ip';
import { eachLine } from './sdp';
import { isUuidV4LocalName } from './mdns-names';

/** Lower-case name of a host candidate whose address is a `<uuid>.local` name, else undefined. */
export function ownNameOf(line: string): string | undefined {
  const p = parseCandidate(line);
  if (!p.ok || p.value.type !== 'host' || !isUuidV4LocalName(p.value.address)) return undefined;
  return lower(p.value.address);
}

/**
 * The candidate with `address` in place of its `.local` name; the line unchanged when it has no
 * such name or `address` is not an IP address.
 */
export function withOwnAddress(line: string, address: string): string {
  const p = parseCandidate(line);
  if (!p.ok || p.value.type !== 'host' || !isUuidV4LocalName(p.value.address) || !parseIp(address)) return line;
  return serializeCandidate({ ...p.value, address });
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
  return address === undefined || !parseIp(address) ? line : serializeCandidate({ ...c, address });
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
