// Checks on what a page hands the browser: remote candidates and STUN/TURN servers (docs/design.md "Modes").
import { endsWithLower, isDigits, isNameChars, lower } from './chars';
import { classifyIp, isPublicClass } from './address-class';
import { parseCandidate, type Candidate } from './candidate';
import type { Result } from './result';
import { endsInNumber, parseIp, parseIpv6 } from './ip';
import { isUuidV4LocalName } from './mdns-names';
import type { Mode } from './mode';

export type RefuseReason =
  | 'off' | 'unparsable' | 'local-address' | 'numeric-address' | 'localhost' | 'local-name' | 'fqdn'
  | 'unknown-scheme' | 'malformed';
/**
 * A decision with its reason either way (an allowed candidate says why too). The one result shape that is
 * not a Result (result.ts): there the value or the error carries the payload, here both sides are reasons.
 */
export type Verdict =
  | { readonly allow: true; readonly reason: 'direct' | 'end-of-candidates' | 'public-address' | 'mdns-name' | 'hostname' | 'no-servers' | 'all-servers-allowed' }
  | { readonly allow: false; readonly reason: RefuseReason };

const refuse = (reason: RefuseReason): Verdict => ({ allow: false, reason });

/**
 * A page could otherwise confirm guessed LAN addresses (the "guess oracle") or scan the LAN through ICE
 * connectivity checks. Refused: IP addresses of a local class (see isPublicClass), inet_aton spellings
 * (`127.1`, `0x7f.1`, `2130706433`: resolvers read them as addresses), `localhost` and `*.localhost`
 * (RFC 6761 §6.3), and `.local` names (RFC 6762) except, in candidates, the `<UUIDv4>.local` names
 * browsers generate: those only reach a peer that registered that random name, while `printer.local`
 * would reach the printer. Other host names: allowed for STUN/TURN servers (they must be; a name that
 * resolves to a LAN address is left to the browser floor, as we cannot resolve here); refused in
 * candidates, which RFC 8839 §5.1 says to ignore anyway ("MUST ignore candidate lines that include
 * candidates with FQDN").
 */
function checkHost(host: string, inCandidate: boolean): Verdict {
  const ip = parseIp(host);
  if (ip) return isPublicClass(classifyIp(ip)) ? { allow: true, reason: 'public-address' } : refuse('local-address');
  if (endsInNumber(host)) return refuse('numeric-address');
  const h = lower(host);
  if (h === 'localhost' || h === 'localhost.' || endsWithLower(h, '.localhost') || endsWithLower(h, '.localhost.')) return refuse('localhost');
  if (inCandidate && isUuidV4LocalName(host)) return { allow: true, reason: 'mdns-name' };
  if (endsWithLower(h, '.local') || endsWithLower(h, '.local.')) return refuse('local-name');
  return inCandidate ? refuse('fqdn') : { allow: true, reason: 'hostname' };
}

/** For addIceCandidate: `line` as in RTCIceCandidateInit.candidate. In `direct` everything is allowed. */
export function checkRemoteCandidate(line: string, mode: Mode): Verdict {
  if (line === '' && (mode === 'srflx-only' || mode === 'relay-only')) return { allow: true, reason: 'end-of-candidates' };
  return checkParsedRemote(parseCandidate(line), mode);
}

/** checkRemoteCandidate for a non-empty line already parsed (`p`). */
export function checkParsedRemote(p: Result<Candidate>, mode: Mode): Verdict {
  if (mode === 'direct') return { allow: true, reason: 'direct' };
  if (mode !== 'srflx-only' && mode !== 'relay-only') return refuse('off');
  return p.ok ? checkHost(p.value.address, true) : refuse('unparsable');
}

/**
 * One ICE server URL: `stun:`/`stuns:` host [":" port] (RFC 7064 §3.1), `turn:`/`turns:` host [":" port]
 * ["?transport=" udp|tcp] (RFC 7065 §3.1), host an IPv4 dotted quad, `[IPv6]` or a name (RFC 3986 §3.2.2).
 * Anything else (userinfo, "//", percent-encoding, zone ids, other queries) is refused as malformed:
 * browsers and resolvers disagree about such forms, and a disagreement is a way around the check.
 */
export function checkIceServerUrl(url: string, mode: Mode): Verdict {
  if (mode === 'direct') return { allow: true, reason: 'direct' };
  if (mode !== 'srflx-only' && mode !== 'relay-only') return refuse('off');
  if (typeof url !== 'string' || url.length > 2048) return refuse('malformed');
  const colon = url.indexOf(':');
  const scheme = lower(url.slice(0, colon < 0 ? 0 : colon));
  const turn = scheme === 'turn' || scheme === 'turns';
  if (!turn && scheme !== 'stun' && scheme !== 'stuns') return refuse('unknown-scheme');
  const q = url.indexOf('?');
  const end = q < 0 ? url.length : q;
  if (q >= 0 && !(turn && (lower(url.slice(q)) === '?transport=udp' || lower(url.slice(q)) === '?transport=tcp'))) return refuse('malformed');
  let host: string;
  let rest: string;
  if (colon + 1 < url.length && url[colon + 1] === '[') {
    const close = url.indexOf(']');
    if (close < 0 || close > end) return refuse('malformed');
    host = url.slice(colon + 2, close);
    rest = url.slice(close + 1, end);
    if (!parseIpv6(host) || host.indexOf('%') >= 0) return refuse('malformed');
  } else {
    const pc = url.indexOf(':', colon + 1);
    const hostEnd = pc < 0 || pc > end ? end : pc;
    host = url.slice(colon + 1, hostEnd);
    rest = url.slice(hostEnd, end);
    if (host.length > 253 || !isNameChars(host)) return refuse('malformed');
  }
  if (rest !== '' && (rest[0] !== ':' || !isDigits(rest.slice(1), 5) || +rest.slice(1) > 65535 || +rest.slice(1) === 0)) return refuse('malformed');
  return checkHost(host, false);
}

/**
 * RTCConfiguration.iceServers: every URL of every server must pass; the first refusal is returned with
 * its URL. Pass a snapshot (a plain copy) and hand that same copy to the browser: a page's getters could
 * answer differently on a second read. `url` (singular) is checked too: older browsers honoured it.
 * Index loops only: a page can replace Array.prototype[Symbol.iterator].
 */
export function checkIceServers(servers: unknown, mode: Mode): Verdict & { readonly url: string | undefined } {
  const no = (reason: RefuseReason) => ({ allow: false as const, reason, url: undefined });
  if (mode === 'direct') return { allow: true, reason: 'direct', url: undefined };
  if (mode !== 'srflx-only' && mode !== 'relay-only') return no('off');
  if (servers === undefined || servers === null) return { allow: true, reason: 'no-servers', url: undefined };
  if (!Array.isArray(servers)) return no('malformed');
  for (let i = 0; i < servers.length; i++) {
    const s: unknown = servers[i];
    if (typeof s !== 'object' || s === null) return no('malformed');
    const o = s as { urls?: unknown; url?: unknown };
    if (o.urls === undefined) return no('malformed'); // a required member of RTCIceServer (W3C webrtc-pc)
    const bad = checkUrls(o.urls, mode) ?? checkUrls(o.url, mode);
    if (bad) return bad;
  }
  return { allow: true, reason: 'all-servers-allowed', url: undefined };
}

function checkUrls(urls: unknown, mode: Mode): (Verdict & { readonly url: string | undefined }) | undefined {
  const list = (Array.isArray(urls) ? urls : urls === undefined ? [] : [urls]) as unknown[];
  for (let i = 0; i < list.length; i++) {
    const u = list[i];
    const v = checkIceServerUrl(u as string, mode);
    if (!v.allow) return { ...v, url: typeof u === 'string' ? u : undefined };
  }
  return undefined;
}
