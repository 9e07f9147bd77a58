// What kind of network an IP address belongs to, and which kinds a page may see or send to.
import { embeddedIpv4, parseIp, type Ip } from './ip';

export type AddressClass =
  | 'unspecified' | 'loopback' | 'private' | 'link-local' | 'cgnat'
  | 'multicast' | 'reserved' | 'documentation' | 'public';

function classify4(b: readonly number[]): AddressClass {
  const a = b[0] as number;
  const x = b[1] as number;
  if (a === 0) return 'unspecified'; // 0/8 "this network" (RFC 1122 §3.2.1.3)
  if (a === 127) return 'loopback'; // RFC 1122 §3.2.1.3
  if (a === 10 || (a === 172 && x >= 16 && x < 32) || (a === 192 && x === 168)) return 'private'; // RFC 1918 §3
  if (a === 169 && x === 254) return 'link-local'; // RFC 3927
  if (a === 100 && x >= 64 && x < 128) return 'cgnat'; // RFC 6598
  if (a >= 224) return a < 240 ? 'multicast' : 'reserved'; // RFC 5771; 240/4 and broadcast (RFC 1112 §4, RFC 919)
  // RFC 5737 TEST-NET-1/2/3
  if ((a === 192 && x === 0 && b[2] === 2) || (a === 198 && x === 51 && b[2] === 100) || (a === 203 && x === 0 && b[2] === 113)) return 'documentation';
  return 'public';
}

export function classifyIp(ip: Ip): AddressClass {
  const b = ip.b;
  if (ip.v === 4) return classify4(b);
  // IPv4-mapped/compatible (RFC 4291 §2.5.5) and NAT64 well-known-prefix 64:ff9b::/96 (RFC 6052 §2.1)
  // addresses reach the embedded IPv4 address, so they are what that address is.
  let nat64 = b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b;
  let zero = true;
  for (let i = 0; i < 15; i++) {
    if (b[i] !== 0) zero = false;
    if (i < 12 && i !== 1 && i !== 2 && i !== 3 && b[i] !== 0) nat64 = false;
  }
  const v4 = nat64 ? [b[12] as number, b[13] as number, b[14] as number, b[15] as number] : embeddedIpv4(b);
  if (v4) return classify4(v4);
  if (zero) return b[15] === 0 ? 'unspecified' : 'loopback'; // ::/128, ::1/128 (RFC 4291 §2.5.2-3)
  const a = b[0] as number;
  const x = b[1] as number;
  if ((a & 0xfe) === 0xfc) return 'private'; // unique local fc00::/7 (RFC 4193)
  if (a === 0xfe && (x & 0xc0) === 0x80) return 'link-local'; // fe80::/10 (RFC 4291 §2.5.6)
  if (a === 0xfe && (x & 0xc0) === 0xc0) return 'private'; // site-local fec0::/10, deprecated (RFC 3879)
  if (a === 0xff) return 'multicast'; // ff00::/8 (RFC 4291 §2.7)
  // 2001:db8::/32 (RFC 3849), 3fff::/20 (RFC 9637)
  if ((a === 0x20 && x === 0x01 && b[2] === 0x0d && b[3] === 0xb8) || (a === 0x3f && x === 0xff && ((b[2] as number) & 0xf0) === 0)) return 'documentation';
  return 'public';
}

/** Class of an address text, or undefined when it is not an IP address. */
export function classifyAddress(s: string): AddressClass | undefined {
  const ip = parseIp(s);
  return ip && classifyIp(ip);
}

/**
 * Whether a page may see (in candidates) or target (in remote candidates and STUN/TURN URLs) an address
 * of this class. Documentation ranges count as public: they are never routed, so they reach nothing on
 * the LAN, and the test network uses them as stand-ins for public addresses. Every other non-public class
 * (loopback, private, link-local, CGNAT, unspecified, multicast, reserved) is local: hidden or refused.
 */
export const isPublicClass = (c: AddressClass): boolean => c === 'public' || c === 'documentation';
