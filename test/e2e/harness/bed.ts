// The test bed: private network namespaces that stand for a home network behind a NAT router, with
// a STUN/TURN server (Debian coturn) on the "internet" side. Every browser runs inside it.
//
//   host "lan" (browser)        router (NAT)                       "wan"
//   198.51.100.10/24  ── br0 ── 198.51.100.1 | 203.0.113.1 ──────── 203.0.113.2 coturn :3478
//   2001:db8:10::10/64          2001:db8:10::1
//
// Only documentation-range addresses (RFC 5737, RFC 3849); traffic never leaves the namespaces.
// More hosts can join the same LAN bridge (`addHost`), for tests of what crosses the LAN.
// With `lanStun: true`, a second coturn (its STUN used) runs on a LAN host (198.51.100.20, 2001:db8:10::14):
// the browser reaches it over the bridge with no NAT, so STUN reports its interface address as srflx.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, Scope, spawnIn, tempDir, uniqueId, type Spawned } from './sys';

export interface Host {
  /** Network namespace name. */
  ns: string;
  v4: string;
  v6: string;
  /** Every address a page in this host could leak (what leak scans look for). */
  addresses: string[];
}

export interface IceServerConfig {
  urls: string | string[];
  username?: string;
  credential?: string;
}

export interface Bed {
  id: string;
  lan: Host;
  router: { ns: string; lanV4: string; wanV4: string };
  wan: { ns: string; v4: string };
  /** STUN and TURN (UDP) on the WAN host; empty when the bed was made with `turn: false`. */
  iceServers: IceServerConfig[];
  /**
   * STUN on a LAN host (IPv4 and IPv6), reached without NAT: the reflexive address is the browser's
   * own interface address. Empty unless the bed was made with `lanStun: true`.
   */
  lanStunServers: IceServerConfig[];
  /** The LAN host of that STUN server (null without `lanStun`). */
  lanStunHost: Host | null;
  /** Adds another host on the LAN bridge (`index` 11..249 picks its addresses). */
  addHost(index: number): Host;
  close(): void;
}

const LAN_PREFIX = '198.51.100';
const LAN6_PREFIX = '2001:db8:10';
const WAN_PREFIX = '203.0.113';

function ipIn(ns: string, ...args: string[]): string {
  return run('ip', ['-n', ns, ...args]);
}

function addNamespace(scope: Scope, name: string): void {
  run('ip', ['netns', 'add', name]);
  scope.add(`ip netns del ${name}`, () => {
    run('ip', ['netns', 'del', name]);
    rmSync(`/etc/netns/${name}`, { recursive: true, force: true });
  });
  // No duplicate address detection for the interfaces made here (the bed's addresses are unique): an
  // IPv6 link-local address would otherwise turn from tentative to valid a second or two after its link
  // came up, and Chromium fails a navigation under way then with net::ERR_NETWORK_CHANGED (seen once in
  // CI, the first page of a browser launched just after its host).
  run('ip', ['netns', 'exec', name, 'sysctl', '-qw', 'net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0']);
  ipIn(name, 'link', 'set', 'lo', 'up');
  // Name lookups inside go nowhere: `ip netns exec` bind-mounts this over /etc/resolv.conf.
  mkdirSync(`/etc/netns/${name}`, { recursive: true });
  writeFileSync(`/etc/netns/${name}/resolv.conf`, 'nameserver 127.0.0.1\n');
}

/** Creates both ends of a veth pair directly inside their namespaces (names never meet in ours). */
function veth(nsA: string, nameA: string, nsB: string, nameB: string): void {
  run('ip', ['link', 'add', nameA, 'netns', nsA, 'type', 'veth', 'peer', 'name', nameB, 'netns', nsB]);
}

export interface BedOptions {
  /** STUN and TURN on the WAN host (default true). */
  turn?: boolean;
  /** A STUN server on the LAN (`lanStunServers`), host index 20 (default false). */
  lanStun?: boolean;
}

/** The LAN host index of the `lanStun` server (198.51.100.20, 2001:db8:10::14). */
export const LAN_STUN_INDEX = 20;

export async function createBed(opts: BedOptions = {}): Promise<Bed> {
  if (process.getuid?.() !== 0) throw new Error('the test bed needs root (network namespaces)');
  const id = uniqueId();
  const scope = new Scope();
  try {
    return await build(id, scope, opts);
  } catch (err) {
    scope.close();
    throw err;
  }
}

async function build(id: string, scope: Scope, opts: BedOptions): Promise<Bed> {
  const routerNs = `ig-${id}-rtr`;
  const wanNs = `ig-${id}-wan`;
  addNamespace(scope, routerNs);
  addNamespace(scope, wanNs);

  // Router: a bridge for the LAN, a plain link to the WAN, IPv4 NAT out of the WAN side.
  ipIn(routerNs, 'link', 'add', 'br0', 'type', 'bridge');
  ipIn(routerNs, 'addr', 'add', `${LAN_PREFIX}.1/24`, 'dev', 'br0');
  ipIn(routerNs, 'addr', 'add', `${LAN6_PREFIX}::1/64`, 'dev', 'br0', 'nodad');
  ipIn(routerNs, 'link', 'set', 'br0', 'up');
  veth(routerNs, 'wan0', wanNs, 'eth0');
  ipIn(routerNs, 'addr', 'add', `${WAN_PREFIX}.1/24`, 'dev', 'wan0');
  ipIn(routerNs, 'link', 'set', 'wan0', 'up');
  ipIn(wanNs, 'addr', 'add', `${WAN_PREFIX}.2/24`, 'dev', 'eth0');
  ipIn(wanNs, 'link', 'set', 'eth0', 'up');
  // Forwarding only inside the router namespace (sysctls are per namespace).
  run('ip', ['netns', 'exec', routerNs, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
  run('ip', ['netns', 'exec', routerNs, 'iptables', '-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan0', '-j', 'MASQUERADE']);

  const addHost = (index: number): Host => {
    if (!Number.isInteger(index) || index < 10 || index > 249) throw new Error(`host index ${index} out of 10..249`);
    const ns = `ig-${id}-h${index}`;
    addNamespace(scope, ns);
    const port = `p${index}`;
    veth(ns, 'eth0', routerNs, port);
    ipIn(routerNs, 'link', 'set', port, 'master', 'br0');
    ipIn(routerNs, 'link', 'set', port, 'up');
    const v4 = `${LAN_PREFIX}.${index}`;
    const v6 = `${LAN6_PREFIX}::${index.toString(16)}`;
    ipIn(ns, 'addr', 'add', `${v4}/24`, 'dev', 'eth0');
    ipIn(ns, 'addr', 'add', `${v6}/64`, 'dev', 'eth0', 'nodad');
    ipIn(ns, 'link', 'set', 'eth0', 'up');
    ipIn(ns, 'route', 'add', 'default', 'via', `${LAN_PREFIX}.1`);
    ipIn(ns, '-6', 'route', 'add', 'default', 'via', `${LAN6_PREFIX}::1`);
    return { ns, v4, v6, addresses: [v4, v6] };
  };
  const lan = addHost(10);

  const iceServers: IceServerConfig[] = [];
  if (opts.turn !== false) {
    const turn = await startCoturn(scope, wanNs, [`${WAN_PREFIX}.2`]);
    iceServers.push(
      { urls: `stun:${WAN_PREFIX}.2:3478` },
      { urls: `turn:${WAN_PREFIX}.2:3478?transport=udp`, username: turn.username, credential: turn.password },
    );
  }

  const lanStunServers: IceServerConfig[] = [];
  let lanStunHost: Host | null = null;
  if (opts.lanStun) {
    lanStunHost = addHost(LAN_STUN_INDEX);
    await startCoturn(scope, lanStunHost.ns, [lanStunHost.v4, lanStunHost.v6]);
    lanStunServers.push({ urls: [`stun:${lanStunHost.v4}:3478`, `stun:[${lanStunHost.v6}]:3478`] });
  }

  return {
    id,
    lan,
    router: { ns: routerNs, lanV4: `${LAN_PREFIX}.1`, wanV4: `${WAN_PREFIX}.1` },
    wan: { ns: wanNs, v4: `${WAN_PREFIX}.2` },
    iceServers,
    lanStunServers,
    lanStunHost,
    addHost,
    close: () => scope.close(),
  };
}

interface Coturn {
  process: Spawned;
  username: string;
  password: string;
}

/**
 * Debian coturn with explicit flags: no config file, long-term credentials, no TLS, no CLI. It listens
 * (and relays) on each of `ips` (coturn takes several --listening-ip and --relay-ip).
 */
async function startCoturn(scope: Scope, ns: string, ips: string[]): Promise<Coturn> {
  const dir = tempDir(scope, 'coturn');
  const username = 'iceguard';
  const password = uniqueId();
  const proc = spawnIn(
    ns,
    'turnserver',
    [
      '-n',
      ...ips.flatMap((ip) => [`--listening-ip=${ip}`, `--relay-ip=${ip}`]),
      '--listening-port=3478',
      '--min-port=49152',
      '--max-port=65535',
      '--lt-cred-mech',
      `--user=${username}:${password}`,
      '--realm=iceguard.test',
      '--fingerprint',
      '--no-tls',
      '--no-dtls',
      '--no-cli',
      '--no-multicast-peers',
      '--log-file=stdout',
      '--simple-log',
      `--userdb=${join(dir, 'turndb')}`,
      `--pidfile=${join(dir, 'turnserver.pid')}`,
    ],
    { scope, label: 'turnserver' },
  );
  // Ready once its UDP socket is bound on every address.
  const deadline = Date.now() + 10_000;
  const bound = () => {
    const sockets = run('ip', ['netns', 'exec', ns, 'ss', '-Hlun', 'sport', '=', ':3478']);
    return ips.every((ip) => sockets.includes(ip.includes(':') ? `[${ip}]:3478` : `${ip}:3478`));
  };
  while (!bound()) {
    if (proc.child.exitCode !== null) throw new Error(`turnserver exited:\n${proc.output().slice(-2000)}`);
    if (Date.now() > deadline) throw new Error(`turnserver did not bind within 10 s:\n${proc.output().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { process: proc, username, password };
}
