// Per-session host addresses and per-connection state (re-randomised foundations) for the transform.
import { U8, dict } from './builtins';
import type { Candidate } from './candidate';
import { parseCandidate } from './candidate';
import { ipKey, parseIp, type Ip } from './ip';
import type { NameSource, RandomSource } from './mdns-names';

/**
 * Every address seen as a host address, by canonical key, so that no spelling of one can come back
 * (as a srflx/prflx address, in a c= line, anywhere in an SDP). Share one instance between the
 * connections of a page: a local prflx of one connection can be the host address of another.
 */
export class HostAddresses {
  readonly #keys = dict<true>();

  /** Records an address text; non-addresses and the unspecified addresses (which reveal nothing) are ignored. */
  add(address: string): void {
    const ip = parseIp(address);
    if (ip) this.addKey(ipKey(ip));
  }

  addKey(key: string): void {
    if (key !== '0.0.0.0' && key !== '::') this.#keys[key] = true;
  }

  has(address: string): boolean {
    const ip = parseIp(address);
    return ip !== undefined && this.hasIp(ip);
  }

  hasIp(ip: Ip): boolean {
    return this.hasKey(ipKey(ip));
  }

  hasKey(key: string): boolean {
    return this.#keys[key] === true;
  }
}

/** A parsed address and its canonical key. */
export interface Address {
  readonly ip: Ip;
  readonly key: string;
}

/** State of one RTCPeerConnection: give the trickled candidates and every SDP of it the same context. */
export class ConnectionContext {
  readonly names: NameSource;
  readonly hosts: HostAddresses;
  readonly #random: RandomSource;
  readonly #foundations = dict<string>();
  readonly #used = dict<true>();
  readonly #memo = dict<Address | null>();
  #memoSize = 0;

  constructor(names: NameSource, random: RandomSource, hosts: HostAddresses = new HostAddresses()) {
    this.names = names;
    this.#random = random;
    this.hosts = hosts;
  }

  /**
   * Learns host addresses from a raw candidate line: the address of a host candidate, and the raddr of a
   * srflx/prflx candidate, which is its base, i.e. a host address (RFC 8445 §5.1.1.2, RFC 8839 §5.1).
   * A relay's raddr is the mapped (public) address, not a host address. Returns false if unparsable.
   */
  learn(line: string): boolean {
    const p = parseCandidate(line);
    if (p.ok) this.learnCandidate(p.value);
    return p.ok;
  }

  learnCandidate(c: Candidate): void {
    const text = c.type === 'host' ? c.address : c.type === 'relay' ? undefined : c.raddr;
    const a = text === undefined ? undefined : this.address(text);
    if (a) this.hosts.addKey(a.key);
  }

  /**
   * An address text parsed, or undefined when it is not an IP address. Memoised: the same few addresses
   * recur in every candidate and SDP of a connection (bounded, so odd input cannot grow it without end).
   */
  address(text: string): Address | undefined {
    const known = this.#memo[text];
    if (known !== undefined) return known ?? undefined;
    const ip = parseIp(text);
    const a = ip ? { ip, key: ipKey(ip) } : null;
    if (this.#memoSize < 256) {
      this.#memo[text] = a;
      this.#memoSize++;
    }
    return a ?? undefined;
  }

  /**
   * A fresh random foundation for an original one, the same within this connection. Older browsers
   * derived foundations from the IP address; a consistent map keeps ICE's grouping (RFC 8445 §5.1.1.3).
   * Chromium-style unsigned 32-bit decimal.
   */
  foundation(original: string): string {
    const have = this.#foundations[original];
    if (have !== undefined) return have;
    const bytes = new U8(4);
    // 32 random bits can collide (about 1 in 10^7 for 20 foundations): draw again a few times.
    for (let tries = 0; tries < 4; tries++) {
      this.#random(bytes);
      const f = '' + ((bytes[0] as number) * 0x1000000 + (bytes[1] as number) * 0x10000 + (bytes[2] as number) * 0x100 + (bytes[3] as number));
      if (!this.#used[f]) {
        this.#used[f] = true;
        return (this.#foundations[original] = f);
      }
    }
    throw new Error('random source repeated itself');
  }
}
