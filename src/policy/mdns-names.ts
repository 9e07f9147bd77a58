// mDNS host names for hidden addresses: `<UUIDv4>.local` (draft-ietf-rtcweb-mdns-ice-candidates §3.1.1).
import { dict, endsWithLower, hexValue, lower } from './chars';
import { addressKey } from './ip';

/** Fills `bytes` with cryptographically strong random values; pass `crypto.getRandomValues.bind(crypto)`. */
export type RandomSource = (bytes: Uint8Array) => void;

/** Whatever hands out names: a NameAllocator, or the shim's view of the background's allocator. */
export interface NameSource {
  /** The name for an address (any spelling); the same address gets the same name. */
  nameFor(address: string): string;
}

const HEXCH = '0123456789abcdef';

/** RFC 9562 §5.4: 16 random bytes with version 4 and variant 10xx, in lower-case 8-4-4-4-12 form. */
export function formatUuidV4(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < 16; i++) {
    let v = bytes[i] ?? 0;
    if (i === 6) v = (v & 0x0f) | 0x40;
    if (i === 8) v = (v & 0x3f) | 0x80;
    if (i === 4 || i === 6 || i === 8 || i === 10) out += '-';
    out += (HEXCH[v >> 4] as string) + (HEXCH[v & 15] as string);
  }
  return out;
}

/**
 * `<UUIDv4>.local`, the only form browsers generate (Chromium, Firefox and WebKit all use random v4
 * UUIDs). Case-insensitive, as DNS names compare (RFC 1035 §2.3.3).
 */
export function isUuidV4LocalName(name: string): boolean {
  if (name.length !== 42 || !endsWithLower(name, '.local')) return false;
  for (let i = 0; i < 36; i++) {
    const c = name[i] as string;
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== '-') return false;
    } else if (hexValue(name, i) === undefined) return false;
  }
  return name[14] === '4' && (hexValue(name, 19) as number) >> 2 === 2;
}

/**
 * One name per address within one scope. The scope is (site, browser session): the background keeps one
 * allocator per site for the session (restoring it with `entries()`), and the shim may mirror it with
 * `adopt()`. IPv4 and IPv6 addresses are different keys, hence different names (draft §3.1.1); the two
 * spellings of one address (`::ffff:192.0.2.1`, `192.0.2.1`) are one key. Fresh random names in every
 * scope mean names are never shared across sites (draft §3.3.3).
 */
export class NameAllocator implements NameSource {
  readonly #random: RandomSource;
  readonly #byAddress = dict<string>();
  readonly #taken = dict<true>();

  constructor(random: RandomSource, entries?: Readonly<Record<string, string>>) {
    this.#random = random;
    if (entries) for (const a in entries) this.adopt(a, entries[a] as string);
  }

  nameFor(address: string): string {
    const fast = this.#byAddress[address]; // already a canonical key (what the transform passes)
    if (fast !== undefined) return fast;
    const key = addressKey(address);
    if (key === undefined) throw new TypeError('not an IP address');
    const known = this.#byAddress[key];
    if (known !== undefined) return known;
    const bytes = new Uint8Array(16);
    this.#random(bytes);
    const name = formatUuidV4(bytes) + '.local';
    // 122 random bits never collide; a broken random source must not give two addresses one name.
    if (this.#taken[name]) throw new Error('random source repeated itself');
    this.#taken[name] = true;
    return (this.#byAddress[key] = name);
  }

  /** Takes over a name chosen elsewhere; false when invalid or when it would break one-name-per-address. */
  adopt(address: string, name: string): boolean {
    const key = addressKey(address);
    if (key === undefined || !isUuidV4LocalName(name)) return false;
    name = lower(name);
    const have = this.#byAddress[key];
    if (have !== undefined || this.#taken[name]) return have === name;
    this.#taken[name] = true;
    this.#byAddress[key] = name;
    return true;
  }

  /** Canonical address → name, for storage. */
  entries(): Record<string, string> {
    const out = dict<string>();
    for (const a in this.#byAddress) out[a] = this.#byAddress[a] as string;
    return out;
  }
}
