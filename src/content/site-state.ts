// The relay's view of its document's site: mode, LAN-names setting and the mDNS names the background
// allocated, fetched at document_start and kept up to date. Nothing here is decided locally: the
// background owns names (one per address, site and browser session) and modes.
import { runtime } from './runtime';
import { HostAddresses, NameAllocator, addressKey, parseIp, type NameSource } from '../policy';
import { MAX_ADDRESSES_PER_REQUEST, MAX_NAMES_PER_RESOLVE, readResolveReply, readSiteInfo, type RelayMessage } from '../shared/messages';
import { stricter } from '../policy';
import { isMode, type Mode } from '../policy/mode';

/**
 * How long the background's word that the helper answers for a name stands: after it, a candidate
 * waits for this document's own registration again (the name may have gone with the last other tab).
 */
export const ANSWERED_FOR_MS = 60_000;

/** How long a provisional answer stands before the relay asks again (the background's policy read is bounded at 5 s). */
const PROVISIONAL_RETRY_MS = 6000;

/**
 * `direct` with the LAN helper: the browser's own names are looked up this long after the first is
 * wanted, in one request. Nothing waits for them (the names are shown at once), and a lookup made
 * while the page's connections are being set up competed with them for the CPU: measured in
 * `npm run bench`, one in-page pair 32 ms at once against 23–27 ms this way (20 ms without IceGuard).
 */
const RESOLVE_BATCH_MS = 50;

/** Thrown by `names.nameFor` for an address whose name has not arrived yet. */
export class NamePending extends Error {}

const random = (bytes: Uint8Array) => void crypto.getRandomValues(bytes);

/** What the page requests need of the site: its mode and names (SiteState, or a test's fake). */
export interface SiteView {
  readonly mode: Mode | null;
  readonly lanNames: boolean;
  readonly hosts: HostAddresses;
  readonly names: NameSource;
  hasName(address: string): boolean;
  request(address: string): void;
  /**
   * `direct`, and the browser's own `.local` names may become addresses (LAN helper): host
   * candidates with such names wait for `ownAddress`. True too while a `direct` hint waits for the
   * background's answer, which says whether the helper is there.
   */
  readonly resolving: boolean;
  /** The address of one of the browser's own names: undefined while asked, null when it has none. */
  ownAddress(name: string): string | null | undefined;
  /** The address behind one of the names IceGuard issued for this site that this document knows. */
  addressOf(name: string): string | undefined;
  /**
   * The background has answered (not only a mode hint): its answer carries this machine's addresses
   * known elsewhere (other documents of the site, the LAN helper), which a srflx must be checked against.
   */
  readonly confirmed: boolean;
  /** The page starts using WebRTC: what its first candidates will need, fetched now. */
  warm(): void;
}

export class SiteState implements SiteView {
  mode: Mode | null = null;
  /**
   * Where the mode came from: a hint at document_start, the background's provisional answer while
   * the enterprise policy is on its way (a first start), or its answer (which wins).
   */
  modeFrom: 'hint' | 'provisional' | 'background' | null = null;
  lanNames = true;
  /** Every host address this document's connections revealed, and the background's (SiteInfo `hosts`): none may reach the page. */
  readonly hosts = new HostAddresses();
  private readonly allocator = new NameAllocator(random);
  /** Canonical address -> name, as adopted from the background. */
  private readonly known = new Map<string, string>();
  /** Lower-case name -> address, the other way round. */
  private readonly byName = new Map<string, string>();

  private lookup(address: string): string | undefined {
    const key = addressKey(address);
    return key === undefined ? undefined : this.known.get(key);
  }
  private readonly wanted = new Set<string>();
  /** The LAN helper is there: names count only once registered (a `names` answer for the address). */
  private register = false;
  private readonly registered = new Set<string>();
  /** Addresses whose names the helper answered for already when the background last said (`answered`). */
  private answered = new Set<string>();
  private answeredAt = -Infinity;
  /** Addresses whose names went out before this document's registration was answered (tests read it). */
  readonly early = new Set<string>();
  private flushing = false;
  /** The background says the browser's own names can be resolved (direct, helper connected). */
  private resolveOn = false;
  /** The browser's own names: address, null (did not resolve), or absent (not asked yet). */
  private readonly own = new Map<string, string | null>();
  private readonly ownWanted = new Set<string>();
  private resolveScheduled = false;

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
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Whether a candidate may show the name of `address` now. With the LAN helper, once this
   * document's registration is answered; or at once if the helper answered for the name already
   * (another document of the site registered it, as the background said within ANSWERED_FOR_MS),
   * while this document's registration goes out, unawaited, so the name stays as long as it shows it.
   */
  hasName(address: string): boolean {
    if (this.lookup(address) === undefined) return false;
    if (!this.register) return true;
    const key = addressKey(address);
    if (key === undefined) return false;
    if (this.registered.has(key)) return true;
    if (!this.answered.has(key) || this.now() - this.answeredAt > ANSWERED_FOR_MS) return false;
    this.early.add(key);
    this.request(address);
    return true;
  }

  get confirmed(): boolean {
    return this.modeFrom === 'background';
  }

  addressOf(name: string): string | undefined {
    return this.byName.get(name.toLowerCase());
  }

  get resolving(): boolean {
    return this.mode === 'direct' && (this.modeFrom !== 'background' || this.resolveOn);
  }

  ownAddress(name: string): string | null | undefined {
    if (this.modeFrom !== 'background') return undefined; // asked again when the answer arrives
    if (!this.resolving) return null;
    const known = this.own.get(name);
    if (known !== undefined) return known;
    if (this.own.size >= 256) return null; // a document with that many names is not a real one
    if (!this.ownWanted.has(name)) {
      this.ownWanted.add(name);
      if (!this.resolveScheduled) {
        this.resolveScheduled = true;
        setTimeout(() => void this.resolveWanted(), RESOLVE_BATCH_MS);
      }
    }
    return undefined;
  }

  private async resolveWanted(): Promise<void> {
    this.resolveScheduled = false;
    const names = [...this.ownWanted].slice(0, MAX_NAMES_PER_RESOLVE);
    if (!names.length) return;
    let reply: unknown;
    try {
      reply = await runtime.sendMessage({ type: 'resolve', origin: this.origin, names } satisfies RelayMessage);
    } catch {
      reply = null;
    }
    // Whatever did not resolve is shown as the browser gave it: its own name, no address.
    const resolved = readResolveReply(reply)?.resolved ?? {};
    for (const n of names) {
      this.ownWanted.delete(n);
      const a = resolved[n];
      this.own.set(n, typeof a === 'string' && parseIp(a) ? a : null);
    }
    this.changed();
    if (this.ownWanted.size) void this.resolveWanted();
  }

  private warmed = false;
  /**
   * The page asked for the mode (its first connection does): the names this site already has are
   * registered with the LAN helper now, while the page creates its offer, so that its first host
   * candidates need not wait for that (measured: a new tab's first candidates waited ~15 ms each, the
   * registration of the previous tab's names having gone with it). Once per document. Registering a
   * name shows nothing: the helper answers only for names a page has been given.
   */
  warm(): void {
    if (this.warmed || !this.register || this.mode !== 'srflx-only' || !this.lanNames) return;
    this.warmed = true;
    for (const key of this.known.keys()) if (!this.registered.has(key)) this.request(key);
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
    if (this.modeFrom === 'background' || !isMode(mode) || (kind !== 'site' && kind !== 'default')) return;
    if (where.origin === 'null' || where.origin !== this.origin) return;
    if (where.firefox && kind === 'site' && where.port !== '') return;
    this.mode = this.mode === null ? mode : stricter(this.mode, mode);
    this.modeFrom = 'hint';
    this.changed();
  }

  async start(): Promise<void> {
    await this.ask({ type: 'hello', origin: this.origin });
  }

  /**
   * After a provisional answer: the background sends for every relay when the policy arrives; this
   * asks once more in case that word is lost (a worker restart), bounded in count.
   */
  private retries = 0;
  private askAgain(): void {
    if (this.retries >= 3) return;
    this.retries++;
    setTimeout(() => {
      if (this.modeFrom !== 'background') void this.start();
    }, PROVISIONAL_RETRY_MS);
  }

  private async flush(): Promise<void> {
    this.flushing = false;
    const addresses = [...this.wanted].slice(0, MAX_ADDRESSES_PER_REQUEST);
    if (!addresses.length) return;
    await this.ask({ type: 'names', origin: this.origin, addresses }, addresses);
    for (const a of addresses) this.wanted.delete(a);
    if (this.wanted.size) void this.flush();
  }

  /** Asks the background; its answer applies (with `registering` registered) before anyone is told. */
  private async ask(message: RelayMessage, registering: readonly string[] = []): Promise<boolean> {
    let answer: unknown;
    try {
      answer = await runtime.sendMessage(message);
    } catch {
      return false; // no background (extension reloading): stay pending, the shim fails closed
    }
    const reply = readSiteInfo(answer);
    if (reply === null) return false;
    if (reply.provisional === true) {
      if (this.modeFrom === 'background') return false; // overtaken by the real answer
      this.askAgain();
    } else if (reply.register === true && !this.register) {
      // Names shown under a provisional answer, now the helper's to answer for: registered as well.
      for (const key of this.known.keys()) if (!this.registered.has(key) && !registering.includes(key)) this.request(key);
    }
    this.register = reply.register === true;
    this.resolveOn = reply.resolve === true;
    this.answered = new Set((reply.answered ?? []).flatMap((a) => addressKey(a) ?? []));
    this.answeredAt = this.now();
    for (const a of registering) this.registered.add(a);
    this.mode = reply.mode;
    this.modeFrom = reply.provisional === true ? 'provisional' : 'background';
    this.lanNames = reply.lanNames;
    for (const [address, name] of Object.entries(reply.names)) {
      const key = addressKey(address);
      if (typeof name === 'string' && key !== undefined && this.allocator.adopt(address, name)) {
        this.known.set(key, name.toLowerCase());
        this.byName.set(name.toLowerCase(), address);
      }
    }
    // This machine's addresses the background knows of: host addresses here too (no srflx shows one).
    for (const a of reply.hosts ?? []) this.hosts.adopt(a);
    this.changed();
    return true;
  }
}
