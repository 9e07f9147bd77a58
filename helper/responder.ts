// The mDNS side of the helper (RFC 6762, and the mDNS ICE candidates draft): answers A and AAAA
// questions for registered names only, with TTL 120 and the cache-flush bit; NSEC for a registered
// name's missing type (measured: Chromium asks AAAA too and waits ~3 s for it unless told there is
// none); unicast replies to QU questions; an announcement on registration (no probing: the names are
// random UUIDs) and a goodbye (TTL 0) on removal. Everything that is not a question for a registered
// name is ignored. Multicast sends are rate-limited per name (RFC 6762 §6: once a second).
//
// Measured pitfalls of multicast-dns: `interface` alone binds to that address and then receives no
// multicast, so `bind: '0.0.0.0'` too; a missing route makes sends fail silently unless they get a
// callback; `loopback: true` so the local browser hears answers; IPv6 needs `udp6`, `ff02::fb` and
// `::%<ifname>`. And its decoder loses the QU bit: a QU question arrives with class 'UNKNOWN_32769'.
import { createSocket, type Socket as DgramSocket } from 'node:dgram';
import packet from 'dns-packet';
import { networkInterfaces } from 'node:os';
import makeMdns from 'multicast-dns';
import { isUuidV4LocalName } from '../src/policy';
import type { Entry, Registry } from './registry';

export const TTL = 120;
/** RFC 6762 §6: a record is multicast on an interface at most once a second. */
const MULTICAST_GAP_MS = 1000;

interface Socket {
  mdns: ReturnType<typeof makeMdns>;
  family: 4 | 6;
  label: string;
  /** The socket itself, when we made it: unicast answers go out pre-encoded (answers.ts cache). */
  raw?: DgramSocket;
}

export interface ResponderStats {
  answered: number;
  unicast: number;
  ignored: number;
  sendErrors: number;
}

type Question = { name: string; type: string; class: string };
type HeardAnswer = { name: unknown; type: unknown; ttl?: unknown; data: unknown };

/** Names heard in announcements and answers, kept for lookups (at most this many, each for its TTL). */
const HEARD_MAX = 1024;

export class Responder {
  private sockets: Socket[] = [];
  private readonly lastMulticast = new Map<string, number>();
  private readonly lastQuery = new Map<string, { at: number; result: Promise<string[]> }>();
  /** `<uuid>.local` name -> address and expiry, from every A/AAAA record heard on the LAN. */
  private readonly heard = new Map<string, { address: string; until: number }>();
  readonly stats: ResponderStats = { answered: 0, unicast: 0, ignored: 0, sendErrors: 0 };
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly registry: Registry,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  /** Opens a socket per interface that has an address (IPv4 and IPv6), and watches for new ones. */
  start(): void {
    this.watch();
    this.timer = setInterval(() => this.watch(), 5000);
    this.timer.unref();
  }

  /**
   * IPv4: one socket on 0.0.0.0:5353 that joins the group on every IPv4 interface (multicast-dns
   * re-checks the interfaces every 5 s). IPv6: one socket per interface with an IPv6 address, since
   * IPv6 group membership is per interface. Re-run every 5 s for interfaces that appear later.
   */
  private watch(): void {
    const seen = new Set(this.sockets.map((s) => s.label));
    const open = (label: string, family: 4 | 6, options: () => Parameters<typeof makeMdns>[0]) => {
      if (seen.has(label)) return;
      seen.add(label);
      try {
        const o = options();
        const mdns = makeMdns(o);
        const socket: Socket = { mdns, family, label, ...(o?.socket ? { raw: o.socket } : {}) };
        mdns.on('query', (q, rinfo) => this.onQuery(socket, q as { questions: Question[] }, rinfo));
        mdns.on('response', (r) => this.onResponse(r as { answers?: HeardAnswer[] }));
        mdns.on('error', (e: Error) => this.log(`${label}: ${e.message}`));
        mdns.on('warning', () => undefined);
        this.sockets.push(socket);
      } catch (e) {
        this.log(`${label}: ${(e as Error).message}`);
      }
    };
    // A larger receive buffer takes bursts of questions (the kernel caps it at net.core.rmem_max).
    open('udp4', 4, () => ({ socket: createSocket({ type: 'udp4', reuseAddr: true, recvBufferSize: 1 << 20 }), bind: '0.0.0.0', loopback: true, reuseAddr: true }));
    for (const [ifname, addrs] of Object.entries(networkInterfaces())) {
      if ((addrs ?? []).some((a) => !a.internal && (a.family === 'IPv6' || (a.family as unknown) === 6))) {
        open(`udp6 ${ifname}`, 6, () => ({ type: 'udp6', ip: 'ff02::fb', interface: `::%${ifname}`, bind: '::', loopback: true, reuseAddr: true }));
      }
    }
  }

  private records(e: Entry, ttl: number) {
    return [{ name: e.name, type: e.family === 4 ? ('A' as const) : ('AAAA' as const), ttl, class: 'IN' as const, flush: true, data: e.address }];
  }

  /** NSEC: the name exists, with only the type it has (RFC 6762 §6.1). */
  private nsec(e: Entry) {
    return { name: e.name, type: 'NSEC' as const, ttl: TTL, class: 'IN' as const, flush: true, data: { nextDomain: e.name, rrtypes: [e.family === 4 ? 'A' : 'AAAA'] } };
  }

  private onQuery(socket: Socket, query: { questions: Question[] }, rinfo: { address: string; port: number }): void {
    for (const q of query.questions ?? []) {
      const e = typeof q.name === 'string' ? this.registry.lookup(q.name) : undefined;
      if (!e || (q.type !== 'A' && q.type !== 'AAAA' && q.type !== 'ANY')) {
        this.stats.ignored++;
        continue;
      }
      const wanted = q.type === 'ANY' || (q.type === 'A') === (e.family === 4);
      const answers = wanted ? this.records(e, TTL) : [];
      const additionals = wanted ? [] : [this.nsec(e)];
      const qu = q.class === 'UNKNOWN_32769' || rinfo.port !== 5353; // QU bit, or a one-shot legacy querier
      if (qu) {
        this.stats.unicast++;
        if (socket.raw) this.sendCached(socket.raw, e, wanted, rinfo);
        else this.send(socket, { answers: answers.length ? answers : additionals, additionals: answers.length ? additionals : [] }, rinfo);
        continue;
      }
      const key = `${socket.label} ${e.name} ${q.type}`;
      const now = Date.now();
      if (now - (this.lastMulticast.get(key) ?? 0) < MULTICAST_GAP_MS) continue;
      this.lastMulticast.set(key, now);
      this.send(socket, { answers: answers.length ? answers : additionals, additionals: answers.length ? additionals : [] });
    }
  }

  /**
   * Keeps what browsers announce: measured, Chromium announces each new name of its own twice, a
   * second apart, and answers questions for it no sooner, so a lookup often finds the name here.
   */
  private onResponse(res: { answers?: HeardAnswer[] }): void {
    const now = Date.now();
    for (const a of res.answers ?? []) {
      if (typeof a.name !== 'string' || !isUuidV4LocalName(a.name) || (a.type !== 'A' && a.type !== 'AAAA') || typeof a.data !== 'string') continue;
      const name = a.name.toLowerCase();
      const ttl = typeof a.ttl === 'number' ? Math.min(a.ttl, TTL) : TTL;
      this.heard.delete(name);
      if (ttl <= 0) continue; // a goodbye
      if (this.heard.size >= HEARD_MAX) this.heard.delete(this.heard.keys().next().value!);
      this.heard.set(name, { address: a.data, until: now + ttl * 1000 });
    }
  }

  /** Encoded answers per (name, wanted type), valid while the entry is the same object. */
  private readonly encoded = new WeakMap<Entry, { yes?: Buffer; no?: Buffer }>();

  private sendCached(raw: DgramSocket, e: Entry, wanted: boolean, to: { address: string; port: number }): void {
    let cached = this.encoded.get(e);
    if (!cached) this.encoded.set(e, (cached = {}));
    let buf = wanted ? cached.yes : cached.no;
    if (!buf) {
      buf = packet.encode({ type: 'response', id: 0, flags: packet.AUTHORITATIVE_ANSWER, answers: (wanted ? this.records(e, TTL) : [this.nsec(e)]) as never, additionals: [] });
      if (wanted) cached.yes = buf;
      else cached.no = buf;
    }
    this.stats.answered++;
    raw.send(buf, to.port, to.address, (err) => {
      if (err) this.stats.sendErrors++;
    });
  }

  private send(socket: Socket, res: { answers: unknown[]; additionals: unknown[] }, to?: { address: string; port: number }): void {
    this.stats.answered++;
    const done = (err: Error | null | undefined) => {
      if (err) this.stats.sendErrors++;
    };
    if (to) socket.mdns.respond(res as never, { address: to.address, port: to.port } as never, done);
    else socket.mdns.respond(res as never, done);
  }

  /** Unsolicited announcement of a new name on the sockets of its family. */
  announce(e: Entry): void {
    for (const s of this.sockets) if (s.family === e.family) this.send(s, { answers: this.records(e, TTL), additionals: [] });
  }

  /** Goodbye: the record with TTL 0, so caches drop it at once. */
  goodbye(e: Entry): void {
    for (const s of this.sockets) if (s.family === e.family) this.send(s, { answers: this.records(e, 0), additionals: [] });
  }

  /**
   * Asks the LAN for a name (the browser's own `.local` names, for `direct` sites), A and AAAA on
   * every socket. Done at the first answer (a browser's name has one address), or
   * with nothing after `timeoutMs`. Asked at most once a second per name (RFC 6762 §5.2).
   */
  resolve(name: string, timeoutMs: number): Promise<string[]> {
    const lower = name.toLowerCase();
    const now = Date.now();
    const heard = this.heard.get(lower);
    if (heard && heard.until > now) return Promise.resolve([heard.address]);
    const last = this.lastQuery.get(lower);
    if (last && now - last.at < MULTICAST_GAP_MS) return last.result; // the same question's answer
    if (this.lastQuery.size >= 1024) for (const [k, q] of this.lastQuery) if (now - q.at >= MULTICAST_GAP_MS) this.lastQuery.delete(k);
    const result = this.ask(lower, timeoutMs);
    this.lastQuery.set(lower, { at: now, result });
    return result;
  }

  private ask(lower: string, timeoutMs: number): Promise<string[]> {
    return new Promise((resolve) => {
      const found = new Set<string>();
      const listeners: Array<() => void> = [];
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finish = () => {
        if (timer === undefined) return;
        clearTimeout(timer);
        timer = undefined;
        for (const off of listeners) off();
        resolve([...found]);
      };
      timer = setTimeout(finish, timeoutMs);
      for (const s of this.sockets) {
        // Runs after onResponse (registered first), which keeps what it heard.
        const on = () => {
          const h = this.heard.get(lower);
          if (h) found.add(h.address);
          if (found.size) finish();
        };
        s.mdns.on('response', on);
        listeners.push(() => s.mdns.removeListener('response', on));
        // Both types on every socket: measured, Chromium answers (and announces) AAAA records over IPv4 too.
        s.mdns.query([{ name: lower, type: 'A' }, { name: lower, type: 'AAAA' }], () => undefined);
      }
    });
  }

  stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    const all = this.sockets.map((s) => new Promise<void>((r) => s.mdns.destroy(() => r())));
    this.sockets = [];
    return Promise.all(all).then(() => undefined);
  }
}
