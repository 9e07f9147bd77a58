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

  constructor(random: RandomSource) {
    this.#random = random;
  }

  /** The random foundation for `original`: Chromium-style unsigned 32-bit decimal. */
  of(original: string): string {
    const have = this.#map[original];
    if (have !== undefined) return have;
    if (this.#size >= MAX_FOUNDATIONS) {
      this.#map = dict<string>();
      this.#used = dict<true>();
      this.#size = 0;
    }
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
}
