// The relay's view of its document's site: mode, LAN-names setting and the mDNS names the background
// allocated, fetched at document_start and kept up to date. Nothing here is decided locally: the
// background owns names (one per address, site and browser session) and modes.
import browser from 'webextension-polyfill';
import { HostAddresses, NameAllocator, addressKey, type NameSource } from '../policy';
import { isSiteInfo, MAX_ADDRESSES_PER_REQUEST, type RelayMessage } from '../shared/messages';
import { stricter } from '../policy';
import { isSiteMode, type SiteMode } from '../shared/modes';

/** Thrown by `names.nameFor` for an address whose name has not arrived yet. */
export class NamePending extends Error {}

const random = (bytes: Uint8Array) => void crypto.getRandomValues(bytes);

/** What the page requests need of the site: its mode and names (SiteState, or a test's fake). */
export interface SiteView {
  readonly mode: SiteMode | null;
  readonly lanNames: boolean;
  readonly hosts: HostAddresses;
  readonly names: NameSource;
  hasName(address: string): boolean;
  request(address: string): void;
}

export class SiteState implements SiteView {
  mode: SiteMode | null = null;
  /** Where the mode came from: a hint at document_start, or the background's answer (which wins). */
  modeFrom: 'hint' | 'background' | null = null;
  lanNames = true;
  /** Every host address this document's connections revealed: none may reach the page. */
  readonly hosts = new HostAddresses();
  private readonly allocator = new NameAllocator(random);
  /** Canonical address -> name, as adopted from the background. */
  private readonly known = new Map<string, string>();

  private lookup(address: string): string | undefined {
    const key = addressKey(address);
    return key === undefined ? undefined : this.known.get(key);
  }
  private readonly wanted = new Set<string>();
  /** The LAN helper is there: names count only once registered (a `names` answer for the address). */
  private register = false;
  private readonly registered = new Set<string>();
  private flushing = false;

  /** Names known so far; asks the background for the missing ones and throws NamePending meanwhile. */
  readonly names: NameSource = {
    nameFor: (address: string) => {
      const known = this.lookup(address);
      if (known !== undefined) return known;
      this.request(address);
      throw new NamePending(address);
    },
  };

  constructor(
    private readonly origin: string,
    private readonly changed: () => void,
  ) {}

  hasName(address: string): boolean {
    if (this.lookup(address) === undefined) return false;
    if (!this.register) return true;
    const key = addressKey(address);
    return key !== undefined && this.registered.has(key);
  }

  request(address: string): void {
    const key = addressKey(address);
    if (key === undefined || this.wanted.has(key)) return;
    this.wanted.add(key);
    if (!this.flushing) {
      this.flushing = true;
      queueMicrotask(() => void this.flush());
    }
  }

  /**
   * A mode hint (src/background/hints.ts), synchronous at document_start. Taken only until the
   * background answers, only in a document with a real origin, and in Firefox, whose patterns have
   * no port, a site hint only on the default port. Several hints: the strictest.
   */
  hint(kind: unknown, mode: unknown, where: { origin: string; port: string; firefox: boolean }): void {
    if (this.modeFrom === 'background' || !isSiteMode(mode) || (kind !== 'site' && kind !== 'default')) return;
    if (where.origin === 'null' || where.origin !== this.origin) return;
    if (where.firefox && kind === 'site' && where.port !== '') return;
    this.mode = this.mode === null ? mode : stricter(this.mode, mode);
    this.modeFrom = 'hint';
    this.changed();
  }

  async start(): Promise<void> {
    await this.ask({ type: 'hello', origin: this.origin });
  }

  private async flush(): Promise<void> {
    this.flushing = false;
    const addresses = [...this.wanted].slice(0, MAX_ADDRESSES_PER_REQUEST);
    if (!addresses.length) return;
    const ok = await this.ask({ type: 'names', origin: this.origin, addresses });
    for (const a of addresses) {
      this.wanted.delete(a);
      if (ok) this.registered.add(a);
    }
    if (ok && this.register) this.changed();
    if (this.wanted.size) void this.flush();
  }

  private async ask(message: RelayMessage): Promise<boolean> {
    let reply: unknown;
    try {
      reply = await browser.runtime.sendMessage(message);
    } catch {
      return false; // no background (extension reloading): stay pending, the shim fails closed
    }
    if (!isSiteInfo(reply)) return false;
    this.register = reply.register === true;
    this.mode = reply.mode;
    this.modeFrom = 'background';
    this.lanNames = reply.lanNames;
    for (const [address, name] of Object.entries(reply.names)) {
      const key = addressKey(address);
      if (typeof name === 'string' && key !== undefined && this.allocator.adopt(address, name)) this.known.set(key, name.toLowerCase());
    }
    this.changed();
    return true;
  }
}
