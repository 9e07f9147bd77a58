// Re-randomised ICE foundations (docs/design.md "Modes", Foundations): one map per document.
import { dict } from './chars';
import type { RandomSource } from './mdns-names';

/** More distinct foundations than a real document has: past it the map starts afresh (bounded memory). */
export const MAX_FOUNDATIONS = 4096;

/**
 * Original foundation -> a fresh random one (older browsers derived foundations from the IP address; a
 * consistent map keeps ICE's grouping). One instance per document, shared by all its connections:
 * the browser's foundation is itself stable per type, base address, protocol and server (RFC 8445
 * §5.1.1.3), so one original shown as different random ones on different surfaces (an icecandidate
 * event, an SDP, getStats of the connection or of its ICE transport) or connections would only break
 * the page's grouping, and a map per document links nothing that the browser's own values did not.
 */
export class Foundations {
  readonly #random: RandomSource;
  #map = dict<string>();
  #used = dict<true>();
  #size = 0;
  /**
   * Which connections showed each original, and what each showed: when the last of them closes the
   * entry goes, so a page that churns connections keeps a map the size of its live ones (Chromium
   * seeds foundations per connection, so every new connection brings new originals). Entries no
   * connection owns (asked for as connection 0: reads of a closed connection, and of an ICE transport,
   * sender or receiver no open connection holds, src/page/owners.ts) stay until the map is full.
   */
  readonly #owners = new Map<string, Set<number>>();
  readonly #owned = new Map<number, string[]>();

  constructor(random: RandomSource) {
    this.#random = random;
  }

  /** How many originals have a foundation now (bounded by MAX_FOUNDATIONS). */
  get size(): number {
    return this.#size;
  }

  /** The random foundation for `original` as connection `owner` (0: none) shows it: unsigned 32-bit decimal. */
  of(original: string, owner = 0): string {
    const have = this.#map[original];
    if (owner !== 0) this.#own(original, owner);
    if (have !== undefined) return have;
    if (this.#size >= MAX_FOUNDATIONS) this.#makeRoom(original, owner);
    const bytes = new Uint8Array(4);
    // 32 random bits can collide (about 1 in 10^7 for 20 foundations): draw again a few times.
    for (let tries = 0; tries < 4; tries++) {
      this.#random(bytes);
      const f = '' + ((bytes[0] as number) * 0x1000000 + (bytes[1] as number) * 0x10000 + (bytes[2] as number) * 0x100 + (bytes[3] as number));
      if (!this.#used[f]) {
        this.#used[f] = true;
        this.#size++;
        return (this.#map[original] = f);
      }
    }
    throw new Error('random source repeated itself');
  }

  /** Connection `owner` closed: the originals only it showed are forgotten. */
  release(owner: number): void {
    const originals = this.#owned.get(owner);
    if (!originals) return;
    this.#owned.delete(owner);
    for (const original of originals) {
      const owners = this.#owners.get(original);
      owners?.delete(owner);
      if (owners?.size !== 0) continue;
      this.#owners.delete(original);
      const f = this.#map[original];
      if (f === undefined) continue;
      delete this.#map[original];
      delete this.#used[f];
      this.#size--;
    }
  }

  /**
   * Full: what no live connection showed goes first (connection 0's); only a document that holds
   * that many foundations on live connections starts afresh.
   */
  #makeRoom(original: string, owner: number): void {
    for (const o of Object.keys(this.#map)) {
      if (this.#owners.has(o)) continue;
      delete this.#used[this.#map[o]!];
      delete this.#map[o];
      this.#size--;
    }
    if (this.#size < MAX_FOUNDATIONS) return;
    this.#map = dict<string>();
    this.#used = dict<true>();
    this.#size = 0;
    this.#owners.clear();
    this.#owned.clear();
    if (owner !== 0) this.#own(original, owner);
  }

  #own(original: string, owner: number): void {
    let owners = this.#owners.get(original);
    if (!owners) this.#owners.set(original, (owners = new Set()));
    if (owners.has(owner)) return;
    owners.add(owner);
    const list = this.#owned.get(owner);
    if (list) list.push(original);
    else this.#owned.set(owner, [original]);
  }
}
