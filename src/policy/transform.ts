// The policy for one local candidate: keep, rewrite or drop it under the site's mode (docs/design.md
// "Modes").
import { isDigits } from './chars';
import { classifyIp, isPublicClass } from './address-class';
import { eachExtension, isIceChars, parseCandidate, serializeCandidate, type Candidate } from './candidate';
import type { ConnectionContext } from './context';
import { isUuidV4LocalName } from './mdns-names';
import type { TransformOptions } from './mode';

/**
 * `candidate`: the line shown, parsed (what `parseCandidate(line)` gives), wherever the transform
 * parsed the original: callers need not parse the line again (the relay runs cold, issue #15).
 */
export type TransformResult =
  | { readonly action: 'keep'; readonly line: string; readonly reason: 'direct' | 'end-of-candidates' | 'unchanged'; readonly candidate?: Candidate }
  | { readonly action: 'rewrite'; readonly line: string; readonly reason: 'mdns-name' | 'scrubbed'; readonly candidate: Candidate }
  | {
      readonly action: 'drop';
      readonly line: undefined;
      readonly reason: 'off' | 'unparsable' | 'not-relay' | 'lan-names-off' | 'bad-address' | 'local-address' | 'host-address' | 'internal-error';
    };

/**
 * Related port of scrubbed candidates. RFC 8839 §5.1 says port 0 for a hidden rel-addr, while
 * draft-ietf-rtcweb-mdns-ice-candidates §3.1.2.2 says 9 and uses 9 with 0.0.0.0 for the c=/m= lines
 * (§3.1.2.4, as RFC 8840 §4.1.1 does for "no candidates yet"). We use 9 everywhere: one convention for
 * "nothing to see here" across candidates and SDP, and port 0 has its own meaning in m= lines.
 */
export const SCRUBBED_PORT = '9';

const drop = (reason: Extract<TransformResult, { action: 'drop' }>['reason']): TransformResult =>
  ({ action: 'drop', line: undefined, reason });

/**
 * Applies the site's mode to one local candidate line (as in RTCIceCandidate.candidate or an SDP
 * a=candidate line). Learns host addresses from the line first, so a srflx candidate that arrives before
 * its host candidate is still judged by its raddr. Never throws; anything unexpected drops (fail closed).
 */
export function transformCandidate(line: string, ctx: ConnectionContext, opts: TransformOptions): TransformResult {
  const mode = opts.mode;
  if (mode === 'direct') return { action: 'keep', line, reason: 'direct' };
  if (mode !== 'srflx-only' && mode !== 'relay-only') return drop('off');
  // The empty candidate marks the end of gathering (W3C webrtc-pc, RTCPeerConnectionIceEvent); it reveals nothing.
  if (line === '') return { action: 'keep', line, reason: 'end-of-candidates' };
  const p = parseCandidate(line);
  return p.ok ? transformParsed(p.value, line, ctx, opts) : drop('unparsable');
}

/** transformCandidate for a line already parsed (`c`), in srflx-only or relay-only. */
export function transformParsed(c: Candidate, line: string, ctx: ConnectionContext, opts: TransformOptions): TransformResult {
  try {
    ctx.learnCandidate(c);
    return decide(c, line, ctx, opts);
  } catch {
    return drop('internal-error');
  }
}

/** The decision for a parsed candidate whose host addresses the context has already learned. */
export function decide(c: Candidate, line: string, ctx: ConnectionContext, opts: TransformOptions): TransformResult {
  if (opts.mode === 'relay-only' && c.type !== 'relay') return drop('not-relay');
  let address = c.address;
  const a = ctx.address(address);
  if (c.type === 'host') {
    // Host candidates only ever appear as mDNS names; the "LAN names" setting off drops them all.
    if (!opts.lanNames) return drop('lan-names-off');
    if (a) address = ctx.names.nameFor(a.key);
    else if (!isUuidV4LocalName(address)) return drop('bad-address'); // FQDN, numeric or chosen .local name
  } else {
    // Browsers never put names here (RFC 8839 §5.1: "MUST NOT use FQDN addresses" for local candidates).
    if (!a) return drop('bad-address');
    if (!isPublicClass(classifyIp(a.ip))) return drop('local-address');
    // No NAT (a global IPv6 address, a host with a public IPv4), or a STUN server on the LAN: the
    // "reflexive" address is one of this machine's (ctx.hosts: learned from this document's candidates,
    // or adopted from the background: other documents of the site, the LAN helper's interface list).
    // Rule: dropped, in every mode, never renamed. Its base's host candidate has the same transport
    // address (shown as its name where names are shown), so it adds nothing (a redundant candidate,
    // RFC 8445 §5.1.3; Chromium keeps it only because its host candidate is an mDNS name), and a name
    // here would reach no peer that the host candidate's name does not. One rule, no name to wait for.
    if (ctx.hosts.hasKey(a.key)) return drop('host-address');
  }
  const shown: Candidate = {
    prefix: c.prefix,
    foundation: ctx.foundation(c.foundation),
    component: c.component,
    transport: c.transport,
    priority: c.priority,
    address,
    port: c.port,
    type: c.type,
    // 0.0.0.0 or :: (RFC 8839 §5.1) in the family of the related address, else of the candidate's own.
    raddr: c.raddr === undefined ? undefined : (ctx.address(c.raddr) ?? a)?.ip.v === 6 ? '::' : '0.0.0.0',
    rport: c.rport === undefined ? undefined : SCRUBBED_PORT,
    ext: knownExtensions(c.ext),
  };
  const out = serializeCandidate(shown);
  if (out === line) return { action: 'keep', line, reason: 'unchanged', candidate: shown };
  return { action: 'rewrite', line: out, reason: c.type === 'host' && a ? 'mdns-name' : 'scrubbed', candidate: shown };
}

/**
 * The tail of pairs `filterExtensions` keeps whole: every pair known, with a value of its shape. One
 * native match, where the loop runs as cold code in each new document (issue #15).
 */
const ALL_KNOWN_TAIL = /^(?: (?:(?:generation|network-id|network-cost) \d{1,10}|ufrag [A-Za-z0-9+/]{1,256}|tcptype (?:active|passive|so))(?= |$))*$/;

/** filterExtensions, at once when browsers' own tails keep every pair (most lines). */
export function knownExtensions(ext: string): string {
  return ALL_KNOWN_TAIL.test(ext) ? ext : filterExtensions(ext);
}

/**
 * Keeps only the extensions browsers emit, with values of their expected shape; any other pair could
 * carry an address or an interface name. Receivers "MUST ignore any name/value pairs [they don't]
 * understand" (RFC 8839 §5.1), so dropping them costs nothing.
 */
export function filterExtensions(ext: string): string {
  let out = '';
  eachExtension(ext, (name, value) => {
    const good =
      name === 'ufrag' ? isIceChars(value, 256) // RFC 8839 §5.4
      : name === 'tcptype' ? value === 'active' || value === 'passive' || value === 'so' // RFC 6544 §4.5
      : (name === 'generation' || name === 'network-id' || name === 'network-cost') && isDigits(value, 10);
    if (good) out += ' ' + name + ' ' + value;
    return true;
  });
  return out;
}
