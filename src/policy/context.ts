// Per-session host addresses and per-connection state for the transform.
import { dict } from './chars';
import type { Candidate } from './candidate';
import { parseCandidate } from './candidate';
import { Foundations } from './foundations';
import { ipKey, parseIp, type Ip } from './ip';
import type { NameSource, RandomSource } from './mdns-names';

/**
 * Every address seen as a host address, by canonical key, so that no spelling of one can come back
 * (as a srflx/prflx address, in a c= line, anywhere in an SDP). Share one instance between the
 * connections of a page: a local prflx of one connection can be the host address of another.
 * Besides the addresses learned from this document's candidates, it holds adopted ones: this machine's
 * addresses known from elsewhere (another document of the site, the LAN helper), matched alike.
 */
export class HostAddresses {
  readonly #keys = dict<true>();
  readonly #learned = dict<true>();
  #listener: ((key: string) => void) | undefined;

  /** `listener` hears each address the first time this document learns it (add/addKey); adopting is not learning. */
  onLearn(listener: (key: string) => void): void {
    this.#listener = listener;
  }

  /** Records an address text; non-addresses and the unspecified addresses (which reveal nothing) are ignored. */
  add(address: string): void {
    const ip = parseIp(address);
    if (ip) this.addKey(ipKey(ip));
  }

  addKey(key: string): void {
    if (key === '0.0.0.0' || key === '::') return;
    this.#keys[key] = true;
    if (this.#learned[key]) return;
    this.#learned[key] = true;
    this.#listener?.(key);
  }

  /** An address this machine has, known from elsewhere: matched like a learned one, not heard by the listener. */
  adopt(address: string): void {
    const ip = parseIp(address);
    const key = ip && ipKey(ip);
    if (key && key !== '0.0.0.0' && key !== '::') this.#keys[key] = true;
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

/**
 * State of one RTCPeerConnection: give the trickled candidates and every SDP of it the same context.
 * Names, host addresses and foundations are the document's (pass the shared instances); the memo is
 * this connection's, and goes with it.
 */
export class ConnectionContext {
  readonly names: NameSource;
  readonly hosts: HostAddresses;
  readonly #foundations: Foundations;
  readonly #owner: number;
  readonly #memo = dict<Address | null>();
  #memoSize = 0;

  /**
   * `foundations`: the document's shared map, or a random source for a map of this context alone;
   * `owner`: the connection's id in the shared map (Foundations.release forgets what it showed).
   */
  constructor(names: NameSource, foundations: Foundations | RandomSource, hosts: HostAddresses = new HostAddresses(), owner = 0) {
    this.names = names;
    this.#owner = owner;
    this.#foundations = typeof foundations === 'function' ? new Foundations(foundations) : foundations;
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

  /** The random foundation for an original one (see Foundations): the same wherever the map is shared. */
  foundation(original: string): string {
    return this.#foundations.of(original, this.#owner);
  }
}
