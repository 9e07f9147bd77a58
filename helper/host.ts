// The native-messaging host: reads the extension's requests from stdin, answers on stdout
// (framing.ts), keeps the registry (registry.ts) and the mDNS responder (responder.ts). Bad input
// gets an error reply; a closed stdin ends the helper cleanly, saying goodbye for every name.
import { networkInterfaces } from 'node:os';
import { addressKey, isUuidV4LocalName } from '../src/policy';
import { HELPER_REQUESTS, MAX_INTERFACES, PROTOCOL_VERSION, RESOLVE_MS, type HelperReply, type HelperRequest } from '../src/shared/helper-protocol';
import { isRecord } from '../src/shared/schema';
import { encodeFrame, FrameReader } from './framing';
import { Registry, type Entry } from './registry';
import { Responder } from './responder';

export const HELPER_VERSION = '0.1.0';
/** Lookups of the browser's own names at one time; more get an error (a page cannot make us flood the LAN). */
export const MAX_RESOLVING = 8;
let resolving = 0;

/** This machine's interface addresses now (loopback left out: no browser gathers on it). */
export function localAddresses(): Set<string> {
  const out = new Set<string>();
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) {
      if (a.internal) continue;
      const key = addressKey(a.address.split('%')[0]!);
      if (key !== undefined) out.add(key);
    }
  }
  return out;
}

type Mdns = Pick<Responder, 'announce' | 'goodbye' | 'resolve' | 'stats'>;
type Request<K extends HelperRequest['type']> = Extract<HelperRequest, { type: K }>;
/** The request's id, echoed in its reply (and in an error about it, when the id itself is usable). */
type Id = { id?: number | string };

/** Answers one request (exported for the unit tests, which drive it without stdio or sockets). */
export async function handle(req: unknown, registry: Registry, mdns: Mdns): Promise<HelperReply> {
  if (!isRecord(req) || typeof req.type !== 'string') return { type: 'error', error: 'a request is an object with a "type"' };
  const read = HELPER_REQUESTS.read(req);
  if (!read.ok) return { type: 'error', ...(typeof req.id === 'number' || typeof req.id === 'string' ? { id: req.id } : {}), error: read.error };
  const m = read.value;
  const id: Id = m.id === undefined ? {} : { id: m.id };
  switch (m.type) {
    case 'hello':
      return { type: 'hello', ...id, version: PROTOCOL_VERSION, helper: HELPER_VERSION };
    case 'register':
      return register(m, id, registry, mdns);
    case 'unregister':
    case 'forget': {
      let gone: Entry[];
      if (m.type === 'unregister') {
        const names = new Set(m.names.map((n) => n.toLowerCase()));
        gone = registry.remove((e) => names.has(e.name));
      } else {
        if (m.tab === undefined && m.site === undefined) return { type: 'error', ...id, error: 'forget needs "tab" or "site"' };
        gone = registry.release(m.tab, m.site);
      }
      for (const e of gone) mdns.goodbye(e);
      return { type: 'removed', ...id, names: gone.map((e) => e.name) };
    }
    case 'resolve':
      return resolve(m, id, registry, mdns);
    case 'interfaces':
      // This machine's addresses, for the extension: a srflx/prflx candidate equal to one of them is a
      // host address (no NAT, a global IPv6 address), which no page may see.
      return { type: 'interfaces', ...id, addresses: registry.interfaces(MAX_INTERFACES) };
    case 'status':
      return { type: 'status', ...id, names: registry.size, answered: mdns.stats.answered, version: HELPER_VERSION };
  }
}

function register(m: Request<'register'>, id: Id, registry: Registry, mdns: Mdns): HelperReply {
  const accepted: string[] = [];
  const refused: { name: string; reason: string }[] = [];
  for (const n of m.names) {
    const name = isRecord(n) && typeof n.name === 'string' ? n.name.slice(0, 64) : '';
    const r = registry.register(isRecord(n) ? n.name : undefined, isRecord(n) ? n.address : undefined, m.tab, m.site);
    if (!r.ok) refused.push({ name, reason: r.error });
    else {
      accepted.push(r.value.entry.name);
      if (r.value.fresh) mdns.announce(r.value.entry);
    }
  }
  return { type: 'registered', ...id, accepted, refused };
}

/**
 * The browser's own names (a `direct` site): only UUIDv4 names, and only answers that are this
 * machine's addresses, so that no page learns another LAN host's address through us.
 */
async function resolve(m: Request<'resolve'>, id: Id, registry: Registry, mdns: Mdns): Promise<HelperReply> {
  if (!isUuidV4LocalName(m.name)) return { type: 'error', ...id, error: 'resolve needs a <uuid>.local name' };
  const name = m.name.toLowerCase();
  if (registry.lookup(name)) return { type: 'resolved', ...id, name, addresses: [] }; // one of IceGuard's own names
  if (resolving >= MAX_RESOLVING) return { type: 'error', ...id, error: 'busy: too many lookups at once' };
  resolving++;
  try {
    const found = await mdns.resolve(name, RESOLVE_MS);
    return { type: 'resolved', ...id, name, addresses: found.filter((a) => registry.isLocal(a)) };
  } finally {
    resolving--;
  }
}

/** Runs the host on stdin/stdout until stdin closes. */
export function runHost(log: (line: string) => void): void {
  const registry = new Registry(localAddresses);
  const responder = new Responder(registry, log);
  responder.start();
  const reader = new FrameReader();
  const write = (reply: HelperReply) => {
    let frame: Buffer;
    try {
      frame = encodeFrame(reply);
    } catch {
      frame = encodeFrame({ type: 'error', error: 'reply too large' });
    }
    process.stdout.write(frame);
  };
  // Requests are answered in order, one at a time; lookups (up to RESOLVE_MS on the LAN) answer when
  // done, so that they never hold back a registration (their replies carry the request's id).
  let queue: Promise<unknown> = Promise.resolve();
  process.stdin.on('data', (chunk: Buffer) => {
    for (const f of reader.push(chunk)) {
      const answer = async () => write(f.ok ? await handle(f.value, registry, responder) : { type: 'error', error: f.error });
      if (f.ok && isRecord(f.value) && f.value.type === 'resolve') void queue.then(answer);
      else queue = queue.then(answer);
    }
  });
  const sweep = setInterval(() => {
    for (const e of registry.sweep()) responder.goodbye(e);
  }, 30_000);
  sweep.unref();
  const end = () => {
    clearInterval(sweep);
    for (const e of registry.remove(() => true)) responder.goodbye(e);
    // Goodbyes go out before the sockets close.
    setTimeout(() => void responder.stop().then(() => process.exit(0)), 200);
  };
  process.stdin.on('end', end);
  process.stdin.on('close', end);
  process.on('SIGTERM', end);
}
