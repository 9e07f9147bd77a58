// Answers the page shim's requests with the policy core (src/policy/), in this isolated world where
// the page cannot hook the built-ins the policy uses. Every request is untrusted input.
import {
  checkIceServers,
  checkParsedRemote,
  checkRemoteCandidate,
  ConnectionContext,
  filterRemoteCandidates,
  Foundations,
  mapCandidateLines,
  parseCandidate,
  parseIp,
  classifyIp,
  isPublicClass,
  isUuidV4LocalName,
  ownNameOf,
  resolveParsedName,
  resolveOwnNames,
  rewriteSdp,
  scrubHostAddresses,
  serializeCandidate,
  transformCandidate,
  transformParsed,
  withOwnAddress,
  type Candidate,
  type Mode,
  type RefuseReason,
  type Result,
  type TransformOptions,
} from '../policy';
import { addressKey } from '../policy';
import { MAX_HOST_ADDRESSES, type ActivityReport } from '../shared/messages';
import { pageRequests, type CandidateInit, type PageReply, type StatsEntry } from '../shared/page-protocol';
import type { SiteView } from './site-state';

/**
 * Randomness for foundations, drawn from the browser 1 KiB at a time: one getRandomValues call per
 * 256 foundations rather than one each (measured: ~4% of the relay's time in 50 in-page pairs).
 */
const random = (() => {
  const pool = new Uint8Array(1024);
  let at = pool.length;
  return (bytes: Uint8Array): void => {
    if (bytes.length > pool.length) return void crypto.getRandomValues(bytes);
    if (at + bytes.length > pool.length) {
      crypto.getRandomValues(pool);
      at = 0;
    }
    bytes.set(pool.subarray(at, at + bytes.length));
    pool.fill(0, at, at + bytes.length); // each byte is handed out once
    at += bytes.length;
  };
})();

const MAX_CONNECTIONS = 500;

/** What this document's connections did, collected for the background (badge, popup, prompts). */
export class Activity {
  private report = Activity.empty();
  private readonly addresses = new Set<string>();
  private readonly hosts = new Set<string>();
  /** Connections that had something withheld (a failure there may be IceGuard's doing). */
  readonly withheld = new Set<number>();
  private highestPc = 0;
  /** A raw host address was reported urgently already: later ones ride in the batches. */
  private rawHostTold = false;

  constructor(private readonly changed: (urgent: boolean) => void) {}

  private static empty(): ActivityReport & { hosts: string[] } {
    return { connections: 0, candidatesHidden: 0, addresses: [], hosts: [], rawHost: false, failed: false };
  }

  /** Connections up to id `pc` exist (ids count up from 1 in each document's shim). */
  connection(pc: number): void {
    if (pc <= this.highestPc) return;
    const first = this.highestPc === 0;
    this.report.connections += Math.min(pc - this.highestPc, 10_000);
    this.highestPc = pc;
    this.changed(first);
  }

  hidden(pc: number, addresses: readonly string[], rawHost: boolean): void {
    this.report.candidatesHidden++;
    if (this.withheld.size < 1000) this.withheld.add(pc);
    for (const a of addresses) {
      const key = addressKey(a);
      if (key === undefined || this.addresses.has(key) || this.addresses.size >= 256) continue;
      this.addresses.add(key);
      this.report.addresses.push(key);
    }
    // Urgent once per document (it may open the prompt). Measured: urgent after every batch, 50
    // connections at once sent ~150 reports, 140 ms of sendMessage on the page's main thread.
    const first = rawHost && !this.rawHostTold;
    if (rawHost) this.report.rawHost = this.rawHostTold = true;
    this.changed(first);
  }

  /** A raw host address the browser gave this document (canonical), for the site's other documents. */
  host(key: string): void {
    if (this.hosts.has(key) || this.hosts.size >= MAX_HOST_ADDRESSES) return;
    this.hosts.add(key);
    this.report.hosts.push(key);
    this.changed(false);
  }

  /** A closed connection can no longer fail: forgotten, so churn never fills the set. */
  closed(pc: number): void {
    this.withheld.delete(pc);
  }

  failed(pc: number): void {
    if (!this.withheld.has(pc) || this.report.failed) return;
    this.report.failed = true;
    this.changed(true);
  }

  /** The report since the last take, or null when there is nothing new. */
  take(): ActivityReport | null {
    const r = this.report;
    if (!r.connections && !r.candidatesHidden && !r.addresses.length && !r.hosts.length && !r.rawHost && !r.failed) return null;
    this.report = Activity.empty();
    return r;
  }
}

/** The RTCIceCandidateInit fields besides `candidate`, as the page may see them. */
const initOf = (i: Partial<CandidateInit>): Omit<CandidateInit, 'candidate'> => ({
  sdpMid: typeof i.sdpMid === 'string' ? i.sdpMid : null,
  sdpMLineIndex: typeof i.sdpMLineIndex === 'number' ? i.sdpMLineIndex : null,
  usernameFragment: typeof i.usernameFragment === 'string' ? i.usernameFragment : null,
});

/** Why a STUN/TURN server was refused, in words for the page's error message. */
const REFUSED_BECAUSE: Record<RefuseReason, string> = {
  off: 'WebRTC is turned off for this site',
  unparsable: 'its URL cannot be read',
  malformed: 'its URL cannot be read',
  'unknown-scheme': 'it is not a stun:, stuns:, turn: or turns: URL',
  'local-address': 'it points at this device or its local network, which sites may not probe',
  'numeric-address': 'its host is a bare number, which browsers read as an IP address (123 is 0.0.0.123), so it may point at this device or its local network',
  localhost: 'it names this device, which sites may not probe',
  'local-name': 'it names a host on the local network (.local, .lan, .home and the like), which sites may not probe',
  fqdn: 'a remote candidate must be an IP address or an mDNS name',
};

const isUnspecified = (a: string | undefined) => a === undefined || a === '0.0.0.0' || a === '::';

/** Ids that stats entries refer to (RTCStatsReport members ending in `Id`, e.g. localCandidateId). */
function referencedIds(entries: Record<string, unknown>): Set<string> {
  const ids = new Set<string>();
  for (const e of Object.values(entries)) {
    if (typeof e !== 'object' || e === null) continue;
    for (const [k, v] of Object.entries(e as Record<string, unknown>)) if (typeof v === 'string' && k.endsWith('Id') && k !== 'id') ids.add(v);
  }
  return ids;
}

/** A line parsed, or undefined when it is no candidate. */
function parsedOf(line: string): Candidate | undefined {
  const p = parseCandidate(line);
  return p.ok ? p.value : undefined;
}

/** A stats request's entries (JSON text of an object), or undefined when they are not that. */
function parseEntries(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A candidate entry with nothing of its address left: the members that carry it go. */
function redactCandidate(e: StatsEntry): void {
  for (const k of ['address', 'ip', 'relatedAddress', 'relatedPort', 'url', 'foundation', 'port', 'usernameFragment']) delete e[k];
}

export class PageRequests {
  private readonly contexts = new Map<number, ConnectionContext>();
  /**
   * One foundation map for the document: the shim asks for ICE-transport and sender/receiver stats
   * as connection 0, so a map per connection showed one candidate with different foundations.
   */
  private readonly foundations = new Foundations(random);

  constructor(
    private readonly site: SiteView,
    readonly activity: Activity = new Activity(() => undefined),
  ) {
    site.hosts.onLearn((key) => activity.host(key));
  }

  private context(pc: number): ConnectionContext {
    this.activity.connection(pc);
    let ctx = this.contexts.get(pc);
    if (!ctx) {
      if (this.contexts.size >= MAX_CONNECTIONS) this.contexts.delete(this.contexts.keys().next().value!);
      ctx = new ConnectionContext(this.site.names, this.foundations, this.site.hosts, pc);
      this.contexts.set(pc, ctx);
    }
    return ctx;
  }

  /** What this document holds, by kind: per connection, per document (test builds report it). */
  sizes(): { connections: number; foundations: number; withheld: number } {
    return { connections: this.contexts.size, foundations: this.foundations.size, withheld: this.activity.withheld.size };
  }

  private opts(): TransformOptions | null {
    return this.site.mode === null ? null : { mode: this.site.mode, lanNames: this.site.lanNames };
  }

  handle(request: unknown): PageReply {
    const read = pageRequests.read(request);
    if (!read.ok) return { t: 'error', error: read.error };
    const r = read.value;
    switch (r.t) {
      case 'mode':
        this.site.warm();
        return { t: 'mode', mode: this.site.mode, resolve: this.site.resolving };
      case 'candidate':
        return this.candidate(r.pc, r.item);
      case 'prefetch':
        this.prefetch(r.pc, r.item);
        return { t: 'ok' };
      case 'own-address':
        return this.ownAddressCandidate(r.item);
      case 'sdp':
        return { t: 'sdp', sdp: this.sdp(r.pc, r.sdp) };
      case 'stats':
        return this.stats(r.pc, r.entries);
      case 'remote': {
        // Parsed once for the guard, the host check and the name (the relay runs mostly cold).
        const line = r.candidate;
        const p = line === '' ? undefined : parseCandidate(line);
        if (!this.remoteAllowed(line, p)) return p?.ok ? { t: 'remote', allow: false } : { t: 'remote', allow: false, malformed: true };
        const resolved = p?.ok ? this.resolveSiteNames(line, (l, lookup) => resolveParsedName(p.value, l, lookup)) : line;
        return resolved === line ? { t: 'remote', allow: true } : { t: 'remote', allow: true, candidate: resolved };
      }
      case 'remote-sdp':
        return { t: 'remote-sdp', sdp: this.remoteSdp(r.sdp) };
      case 'remote-view-sdp':
        return { t: 'remote-view-sdp', sdp: this.remoteViewSdp(r.sdp) };
      case 'remote-view':
        return { t: 'remote-view', candidate: this.remoteView(r.candidate) };
      case 'servers': {
        const v = checkIceServers(r.servers, this.guardMode());
        if (v.allow) return { t: 'servers', refused: null, syntax: false };
        // What the browser itself would reject as a bad URL gets the browser's error, SyntaxError.
        return { t: 'servers', refused: v.url ?? 'a malformed server list', syntax: v.reason === 'malformed' || v.reason === 'unknown-scheme', why: REFUSED_BECAUSE[v.reason] };
      }
      case 'error-address':
        return { t: 'error-address', address: r.address === null ? null : this.errorAddress(r.address) };
      case 'connections':
        this.activity.connection(r.opened);
        for (const pc of r.closed) {
          this.contexts.delete(pc);
          this.foundations.release(pc);
          this.activity.closed(pc);
        }
        return { t: 'ok' };
      case 'failed':
        if (this.site.mode !== 'direct') this.activity.failed(r.pc);
        return { t: 'ok' };
    }
  }

  /**
   * The guess oracle: a page must not learn whether a made-up remote candidate reaches something.
   * Refused besides what the policy core refuses: any address this document knows as one of this
   * machine's (site.hosts: its own host addresses, and those the background handed it), whatever its
   * class (a host with a public address, or this test bed's documentation-range LAN), since checks
   * to it would confirm the guess.
   */
  private remoteAllowed(line: string, parsed?: Result<Candidate>): boolean {
    const mode = this.guardMode();
    if (line === '') return checkRemoteCandidate(line, mode).allow;
    const p = parsed ?? parseCandidate(line);
    if (!checkParsedRemote(p, mode).allow) return false;
    return mode === 'direct' || (p.ok && !this.site.hosts.has(p.value.address));
  }

  /**
   * A remote description: every candidate line `remoteAllowed` refuses is removed (the rest kept as it
   * is), and this site's own names become their addresses (see resolveSiteNames).
   */
  private remoteSdp(sdp: string): string {
    if (this.guardMode() === 'direct') return sdp;
    const allowed = filterRemoteCandidates(sdp, (c) => this.remoteAllowed(c));
    return this.resolveSiteNames(allowed, (text, lookup) => resolveOwnNames(text, lookup));
  }

  /**
   * In-page and same-site connections (issue #14): a remote candidate named with one of the names
   * IceGuard issued for this site, in this browser session, reaches the browser as the address behind
   * it, as the browser resolves its own names. Only srflx-only shows names; names of other sites are
   * never resolved here (that would link sites on one device), and the address never reaches the page:
   * every surface that shows remote candidates maps it back to its name (remoteView, remoteViewSdp).
   */
  private resolveSiteNames(text: string, resolve: (text: string, lookup: (name: string) => string | undefined) => string): string {
    if (this.site.mode !== 'srflx-only' || !this.site.lanNames) return text;
    return resolve(text, (name) => this.site.addressOf(name));
  }

  /**
   * A remote description the browser holds, as the page may see it: candidates at one of this
   * machine's addresses (resolved names, or a peer that knows them) show the address's name or go,
   * and no other spelling of such an address stays.
   */
  private remoteViewSdp(sdp: string): string {
    const opts = this.opts();
    if (opts?.mode === 'direct') return sdp;
    const viewed = mapCandidateLines(sdp, (line) => {
      const p = parseCandidate(line);
      if (!p.ok) return null;
      const ip = parseIp(p.value.address);
      if (!ip || !this.site.hosts.hasIp(ip)) return line;
      return this.site.hasName(p.value.address) ? serializeCandidate({ ...p.value, address: this.site.names.nameFor(p.value.address) }) : null;
    });
    return scrubHostAddresses(viewed, this.site.hosts);
  }

  /** Guards use the strictest non-direct rules until the mode is known. */
  private guardMode(): Mode {
    return this.site.mode ?? 'srflx-only';
  }

  private candidate(pc: number, item: unknown): PageReply {
    if (typeof item !== 'object' || item === null) return { t: 'candidate', pending: false, item: null };
    const i = item as Partial<CandidateInit>;
    if (typeof i.candidate !== 'string') return { t: 'candidate', pending: false, item: null };
    const opts = this.opts();
    if (!opts) return { t: 'candidate', pending: true };
    if (opts.mode === 'direct') return this.directCandidate(pc, i);
    const ctx = this.context(pc);
    // A host candidate needs its name from the background first (registration before release).
    const parsed = parseCandidate(i.candidate);
    // A reflexive candidate waits for the background's answer (after a mode hint): its address may be
    // one of this machine's that only the answer names (no NAT; see remembered hosts, LAN helper).
    if (parsed.ok && !this.site.confirmed && (parsed.value.type === 'srflx' || parsed.value.type === 'prflx')) {
      ctx.learnCandidate(parsed.value);
      return { t: 'candidate', pending: true };
    }
    if (parsed.ok && opts.lanNames && parsed.value.type === 'host' && parseIp(parsed.value.address)) {
      ctx.learnCandidate(parsed.value);
      if (!this.site.hasName(parsed.value.address)) {
        this.site.request(parsed.value.address);
        return { t: 'candidate', pending: true };
      }
    }
    // Parsed once: the transform takes the parsed line (the relay's time is mostly parsing, issue #15).
    const out = parsed.ok && opts.mode !== 'off' ? transformParsed(parsed.value, i.candidate, ctx, opts) : transformCandidate(i.candidate, ctx, opts);
    if (this.hides(parsed.ok ? parsed.value : undefined, out)) {
      const c = parsed.ok ? parsed.value : undefined;
      const hid: string[] = [];
      if (c && c.type === 'host' && parseIp(c.address)) hid.push(c.address);
      if (c && !isUnspecified(c.raddr) && parseIp(c.raddr!)) hid.push(c.raddr!);
      this.activity.hidden(pc, hid, !!c && c.type === 'host' && !!parseIp(c.address));
    }
    if (out.action === 'drop') return { t: 'candidate', pending: false, item: null };
    const reply: PageReply = { t: 'candidate', pending: false, item: { ...initOf(i), candidate: out.line } };
    const back = out.candidate?.type === 'host' ? this.addedBack(out.candidate, out.line) : undefined;
    if (back !== undefined) reply.back = back;
    return reply;
  }

  /**
   * The remote check folded into the candidate's answer (issue #15): what the browser gets if the page
   * adds this very line back as a remote candidate (two connections of one page), when that is the
   * address behind one of the site's names. The shim keeps it until the relay notifies a change, so
   * the `remote` request it saves would have answered the same.
   */
  private addedBack(shown: Candidate, line: string): string | undefined {
    // A host line with one of the site's names is always allowed back (the unit test holds the two
    // answers equal): only the name's resolution is left, as `remote` does it.
    const resolved = this.resolveSiteNames(line, (l, lookup) => resolveParsedName(shown, l, lookup));
    return resolved === line ? undefined : resolved;
  }


  /** What a queued candidate will need, requested now: its name, or in direct its own name's address. */
  private prefetch(pc: number, item: unknown): void {
    const line = (item as Partial<CandidateInit> | null)?.candidate;
    const opts = this.opts();
    if (typeof line !== 'string' || !opts) return;
    if (opts.mode === 'direct') {
      const name = this.site.resolving ? ownNameOf(line) : undefined;
      if (name !== undefined) this.site.ownAddress(name);
      return;
    }
    const p = parseCandidate(line);
    if (!opts.lanNames || !p.ok || p.value.type !== 'host' || !parseIp(p.value.address)) return;
    this.context(pc).learnCandidate(p.value);
    if (!this.site.hasName(p.value.address)) this.site.request(p.value.address);
  }

  /**
   * `direct`: the browser's candidate as it is, at once (a pair inside this browser connects through
   * the browser's own names as fast as without IceGuard, issue #21). With the LAN helper, a candidate
   * with one of the browser's own `.local` names is followed by its address as a candidate of its own
   * once the helper resolved the name (`own-address`): the site the user allowed gets real host
   * candidates (issue #7) without waiting for the LAN.
   */
  private directCandidate(pc: number, i: Partial<CandidateInit>): PageReply {
    this.activity.connection(pc);
    const item = { ...initOf(i), candidate: i.candidate! };
    const name = this.site.resolving ? ownNameOf(item.candidate) : undefined;
    // Asked now, so that the lookup runs while the page signals the name.
    const follow = name !== undefined && this.site.ownAddress(name) !== null;
    return follow ? { t: 'candidate', pending: false, item, follow } : { t: 'candidate', pending: false, item };
  }

  /** The address behind a candidate's own name, as a candidate; pending until the helper answered. */
  private ownAddressCandidate(item: CandidateInit): PageReply {
    const name = this.opts()?.mode === 'direct' && this.site.resolving ? ownNameOf(item.candidate) : undefined;
    const address = name === undefined ? null : this.site.ownAddress(name);
    if (address === undefined) return { t: 'candidate', pending: true };
    if (address === null) return { t: 'candidate', pending: false, item: null };
    return { t: 'candidate', pending: false, item: { ...initOf(item), candidate: withOwnAddress(item.candidate, address) } };
  }

  /** Whether the page gets less than the browser gave: dropped, or an address or related address changed. */
  private hides(c: Candidate | undefined, out: ReturnType<typeof transformCandidate>): boolean {
    if (out.action === 'drop' || !c) return true;
    const o = out.candidate ?? parsedOf(out.line);
    return !o || o.address !== c.address || o.raddr !== c.raddr;
  }

  private sdp(pc: number, sdp: string): string {
    // Until the mode is known: the strictest rewrite (no candidates, no addresses).
    const opts = this.opts() ?? { mode: 'off' as const, lanNames: false };
    if (opts.mode === 'direct') return this.site.resolving ? this.directSdp(sdp) : sdp;
    const out = rewriteSdp(sdp, this.context(pc), opts);
    if (this.site.confirmed) return out;
    // Before the background's answer: no reflexive candidate (see `candidate`).
    return mapCandidateLines(out, (line) => {
      const p = parseCandidate(line);
      return p.ok && (p.value.type === 'srflx' || p.value.type === 'prflx') ? null : line;
    });
  }

  /**
   * `direct` with the LAN helper: each of the browser's own names that resolved is followed by its
   * address (as the events showed them, see directCandidate). A name not resolved yet is asked for
   * and stays alone in this copy (a description is read synchronously).
   */
  private directSdp(sdp: string): string {
    return resolveOwnNames(sdp, (name) => {
      const a = this.site.ownAddress(name);
      return typeof a === 'string' ? a : undefined;
    }, true);
  }

  /** A remote candidate as the browser reports it (ICE transport, stats): never one of our addresses. */
  private remoteView(line: string): string | null {
    const opts = this.opts();
    if (!opts) return null;
    if (opts.mode === 'direct') return line;
    const p = parseCandidate(line);
    if (!p.ok) return null;
    const c = { ...p.value };
    const ip = parseIp(c.address);
    if (ip) {
      if (this.site.hosts.hasIp(ip)) {
        // Our own host address seen from our other connection (local prflx): show its name.
        if (!this.site.hasName(c.address)) return null;
        c.address = this.site.names.nameFor(c.address);
      } else if (!isPublicClass(classifyIp(ip))) return null;
    }
    if (c.raddr !== undefined) {
      c.raddr = c.address.includes(':') ? '::' : '0.0.0.0';
      c.rport = '9';
    }
    return scrubHostAddresses(serializeCandidate(c), this.site.hosts);
  }

  /**
   * The address of an icecandidateerror is the local socket's (W3C webrtc-pc, RTCPeerConnectionIceErrorEvent):
   * a host address by definition, whatever its class. Shown only as its name, and only where host
   * names are shown (srflx-only with LAN names); learned, so no other channel shows it either.
   */
  private errorAddress(address: string): string | null {
    const opts = this.opts();
    if (opts?.mode === 'direct') return address;
    if (!parseIp(address)) return null;
    this.site.hosts.add(address);
    if (!opts || opts.mode !== 'srflx-only' || !opts.lanNames) return null;
    if (this.site.hasName(address)) return this.site.names.nameFor(address);
    this.site.request(address);
    return null;
  }

  private stats(pc: number, entries: string): PageReply {
    const opts = this.opts();
    if (!opts || (opts.mode !== 'direct' && !this.site.confirmed)) return { t: 'stats', pending: true };
    const given = parseEntries(entries);
    if (given === undefined) return { t: 'error', error: 'stats: entries is not the JSON text of an object' };
    const ctx = this.context(pc);
    // Computed only when a candidate is left out (rare: most are shown, as names).
    let referenced: Set<string> | undefined;
    const referencedOnce = () => (referenced ??= referencedIds(given));
    const sanitized = new Map<string, StatsEntry | null>();
    // Local candidates first: what they teach (this machine's addresses) applies to every other entry.
    for (const id of Object.keys(given)) {
      const raw = given[id];
      if (typeof raw === 'object' && raw !== null && (raw as StatsEntry).type === 'local-candidate') sanitized.set(id, this.statsEntry(id, raw as StatsEntry, ctx, opts, referencedOnce));
    }
    const out = Object.create(null) as Record<string, string>; // an id `__proto__` is an id like any other
    // The browser's order, for the page.
    for (const id of Object.keys(given)) {
      const raw = given[id];
      if (typeof raw !== 'object' || raw === null) continue;
      const e = sanitized.has(id) ? sanitized.get(id)! : this.statsEntry(id, raw as StatsEntry, ctx, opts, referencedOnce);
      if (e) out[id] = JSON.stringify(e);
    }
    return { t: 'stats', pending: false, entries: out };
  }

  /**
   * One stats entry as the page may see it, or null to leave it out. Changed in place: the entry is
   * the request's own, parsed for this request alone.
   */
  private statsEntry(id: string, e: StatsEntry, ctx: ConnectionContext, opts: TransformOptions, referenced: () => Set<string>): StatsEntry | null {
    if (opts.mode === 'direct') {
      if (e.type === 'local-candidate' && this.site.resolving) this.directStats(e);
      return e;
    }
    const shown = e.type === 'local-candidate' ? this.localStats(e, ctx, opts) : e.type === 'remote-candidate' ? this.remoteStats(e) : true;
    if (!shown) {
      // A candidate another entry points at (a pair, a transport) stays, without its addresses:
      // a report whose pair names a missing candidate reads as "not connected" (issue #20).
      if (!referenced().has(id)) return null;
      redactCandidate(e);
    }
    // Backstop for fields we have no rule for: no known host address in any string (only a string
    // with a '.' or a ':' can hold one).
    for (const k in e) {
      const v = e[k];
      if (typeof v === 'string' && (v.includes('.') || v.includes(':'))) e[k] = scrubHostAddresses(v, this.site.hosts);
    }
    return e;
  }

  /** `direct` with the LAN helper: a local candidate's own `.local` name, as its address once resolved. */
  private directStats(e: StatsEntry): void {
    for (const k of ['address', 'ip']) {
      const v = e[k];
      if (typeof v !== 'string' || !isUuidV4LocalName(v)) continue;
      const a = this.site.ownAddress(v.toLowerCase());
      if (typeof a === 'string') e[k] = a;
    }
  }

  /** A local-candidate stats entry through the candidate transform; false = leave it out. */
  private localStats(e: StatsEntry, ctx: ConnectionContext, opts: TransformOptions): boolean {
    const address = typeof e.address === 'string' ? e.address : typeof e.ip === 'string' ? e.ip : '';
    const type = typeof e.candidateType === 'string' ? e.candidateType : '';
    // Learned whatever happens to the entry: no other surface may show these addresses either.
    if (type === 'host') this.site.hosts.add(address);
    if (type === 'srflx' || type === 'prflx') this.site.hosts.add(typeof e.relatedAddress === 'string' ? e.relatedAddress : '');
    if (opts.mode === 'off') return false;
    if (opts.mode === 'relay-only' && type !== 'relay') return false;
    // Chromium and Firefox report the browser's own foundation here (RTCIceCandidateStats.foundation).
    if (typeof e.foundation === 'string') e.foundation = ctx.foundation(e.foundation);
    else delete e.foundation;
    if (address === '') {
      // Chromium reports mDNS host candidates without an address; only the related address can tell.
      if (typeof e.relatedAddress === 'string' && e.relatedAddress !== '') e.relatedAddress = e.relatedAddress.includes(':') ? '::' : '0.0.0.0';
      if (e.relatedPort !== undefined && e.relatedAddress !== undefined) e.relatedPort = 9;
      return true;
    }
    const protocol = typeof e.protocol === 'string' ? e.protocol : 'udp';
    const port = typeof e.port === 'number' ? e.port : 9;
    let line = `candidate:1 1 ${protocol} 1 ${address} ${port} typ ${type || 'host'}`;
    if (typeof e.relatedAddress === 'string' && e.relatedAddress !== '') line += ` raddr ${e.relatedAddress} rport ${typeof e.relatedPort === 'number' ? e.relatedPort : 0}`;
    if (type === 'host' && opts.lanNames && parseIp(address) && !this.site.hasName(address)) {
      ctx.learn(line);
      return false; // no name yet (rare: stats before any candidate event): leave it out
    }
    const t = transformCandidate(line, ctx, opts);
    if (t.action === 'drop') return false;
    const p = t.candidate ?? parsedOf(t.line);
    if (!p) return false;
    if ('address' in e) e.address = p.address;
    if ('ip' in e) e.ip = p.address;
    if (p.raddr !== undefined) {
      e.relatedAddress = p.raddr;
      e.relatedPort = Number(p.rport);
    } else {
      delete e.relatedAddress;
      delete e.relatedPort;
    }
    return true;
  }

  private remoteStats(e: StatsEntry): boolean {
    const address = typeof e.address === 'string' ? e.address : typeof e.ip === 'string' ? e.ip : '';
    if (address === '') return true;
    const protocol = typeof e.protocol === 'string' ? e.protocol : 'udp';
    const type = typeof e.candidateType === 'string' ? e.candidateType : 'host';
    const seen = this.remoteView(`candidate:1 1 ${protocol} 1 ${address} ${typeof e.port === 'number' ? e.port : 9} typ ${type}`);
    if (seen === null) return false;
    const p = parseCandidate(seen);
    if (!p.ok) return false;
    if ('address' in e) e.address = p.value.address;
    if ('ip' in e) e.ip = p.value.address;
    if (typeof e.relatedAddress === 'string') e.relatedAddress = e.relatedAddress.includes(':') ? '::' : '0.0.0.0';
    return true;
  }
}
