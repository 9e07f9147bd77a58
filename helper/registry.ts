// The names the helper answers for (docs/design.md "Names", the LAN helper). A name is registered only if it
// is a UUIDv4 `.local` name and its address is one of this machine's interface addresses at that moment: a
// hostile page can make the extension send anything the shim could, so the helper must never answer
// for someone else's address. Caps per tab, per site and in all bound what a page can make it hold;
// names go when the extension says so (page, tab, connection gone) or when they expire.
import { addressKey, isUuidV4LocalName, parseIp } from '../src/policy';
import { fail, ok, type Result } from '../src/policy/result';
import { NAME_LIFETIME_MS } from '../src/shared/helper-protocol';

export const CAPS = { perTab: 32, perSite: 64, total: 20_000 } as const;

export interface Entry {
  /** Lower-case `<uuid>.local`. */
  name: string;
  /** Canonical address (addressKey form). */
  address: string;
  family: 4 | 6;
  /** The tabs whose pages use the name (one name serves every tab of its site): it goes with the last. */
  tabs: Set<number>;
  site: string;
  expires: number;
}

export type RefuseReason = 'not-a-uuid-name' | 'not-an-address' | 'not-this-machine' | 'name-taken' | 'tab-full' | 'site-full' | 'full';

export class Registry {
  private readonly byName = new Map<string, Entry>();

  constructor(
    /** This machine's interface addresses now, canonical (addressKey). */
    private readonly localAddresses: () => ReadonlySet<string>,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.byName.size;
  }

  lookup(name: string): Entry | undefined {
    const e = this.byName.get(name.toLowerCase());
    if (!e) return undefined;
    if (e.expires <= this.now()) {
      this.byName.delete(e.name);
      return undefined;
    }
    return e;
  }

  /** Whether `address` is one of this machine's interface addresses now. */
  isLocal(address: string): boolean {
    const key = addressKey(address);
    return key !== undefined && this.localAddresses().has(key);
  }

  /** This machine's interface addresses now (canonical), at most `max` of them. */
  interfaces(max: number): string[] {
    return [...this.localAddresses()].slice(0, max);
  }

  /** Registers (or renews) one name; returns the entry, or why it was refused. */
  register(name: unknown, address: unknown, tab: number, site: string): Result<{ entry: Entry; fresh: boolean }, RefuseReason> {
    if (typeof name !== 'string' || !isUuidV4LocalName(name)) return fail('not-a-uuid-name');
    const ip = typeof address === 'string' ? parseIp(address) : undefined;
    const key = typeof address === 'string' ? addressKey(address) : undefined;
    if (!ip || key === undefined) return fail('not-an-address');
    if (!this.localAddresses().has(key)) return fail('not-this-machine');
    const lower = name.toLowerCase();
    const expires = this.now() + NAME_LIFETIME_MS;
    const old = this.lookup(lower);
    if (old && old.address !== key) return fail('name-taken');
    let inTab = 0;
    let inSite = 0;
    for (const e of this.byName.values()) {
      if (e.tabs.has(tab)) inTab++;
      if (e.site === site) inSite++;
    }
    if (old) {
      if (!old.tabs.has(tab)) {
        if (inTab >= CAPS.perTab) return fail('tab-full');
        old.tabs.add(tab);
      }
      old.expires = expires;
      return ok({ entry: old, fresh: false });
    }
    if (this.byName.size >= CAPS.total) return fail('full');
    if (inTab >= CAPS.perTab) return fail('tab-full');
    if (inSite >= CAPS.perSite) return fail('site-full');
    const entry: Entry = { name: lower, address: key, family: key.includes(':') ? 6 : 4, tabs: new Set([tab]), site, expires };
    this.byName.set(lower, entry);
    return ok({ entry, fresh: true });
  }

  /** Removes the names matching `which`; returns them (for goodbye packets). */
  remove(which: (e: Entry) => boolean): Entry[] {
    const gone: Entry[] = [];
    for (const e of this.byName.values()) {
      if (which(e)) {
        this.byName.delete(e.name);
        gone.push(e);
      }
    }
    return gone;
  }

  /**
   * A tab closed (or all of a site's names go, without `tab`): the tab lets go of its names; a name
   * no other tab uses is removed. Returns the removed ones (for goodbye packets).
   */
  release(tab: number | undefined, site: string | undefined): Entry[] {
    return this.remove((e) => {
      if (site !== undefined && e.site !== site) return false;
      if (tab === undefined) return true;
      e.tabs.delete(tab);
      return e.tabs.size === 0;
    });
  }

  /** Drops expired names, and names whose address is no longer this machine's. */
  sweep(): Entry[] {
    const t = this.now();
    const local = this.localAddresses();
    return this.remove((e) => e.expires <= t || !local.has(e.address));
  }
}
