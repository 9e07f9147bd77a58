import { describe, expect, it } from 'vitest';
import { checkIceServers, checkIceServerUrl, checkRemoteCandidate, type Mode } from '../../../src/policy/index';

const MDNS = '3c4e7b9a-1f2d-4c5e-9a8b-7f6e5d4c3b2a.local';
const cand = (addr: string) => `candidate:1 1 udp 2122260223 ${addr} 5000 typ host generation 0`;
const GUARDED: Mode[] = ['srflx-only', 'relay-only'];

describe('checkRemoteCandidate', () => {
  it.each([
    ['127.0.0.1', 'local-address'], ['10.0.0.1', 'local-address'], ['172.20.1.1', 'local-address'], ['192.168.1.1', 'local-address'],
    ['169.254.1.1', 'local-address'], ['100.100.1.1', 'local-address'], ['0.0.0.0', 'local-address'], ['224.0.0.251', 'local-address'],
    ['255.255.255.255', 'local-address'], ['::1', 'local-address'], ['fd12::1', 'local-address'], ['fe80::1%eth0', 'local-address'],
    ['::ffff:192.168.1.1', 'local-address'], ['::ffff:c0a8:101', 'local-address'], ['64:ff9b::a00:1', 'local-address'],
    ['2130706433', 'numeric-address'], ['127.1', 'numeric-address'], ['0x7f.1', 'numeric-address'], ['0177.0.0.1', 'numeric-address'],
    ['010.0.0.1', 'numeric-address'], ['192.168.1.1.', 'numeric-address'], ['3232235777', 'numeric-address'],
    ['localhost', 'localhost'], ['LOCALHOST.', 'localhost'], ['a.localhost', 'localhost'], ['x.LocalHost.', 'localhost'],
    ['printer.local', 'local-name'], ['PRINTER.LOCAL.', 'local-name'], ['3c4e7b9a-1f2d-3c5e-9a8b-7f6e5d4c3b2a.local', 'local-name'],
    ['example.com', 'fqdn'], ['192-168-1-1.nip.io', 'fqdn'],
  ])('refuses %s (%s)', (addr, reason) => {
    for (const mode of GUARDED) expect(checkRemoteCandidate(cand(addr), mode)).toEqual({ allow: false, reason });
  });

  it.each([
    ['203.0.113.1', 'public-address'], ['8.8.8.8', 'public-address'], ['2001:db8::1', 'public-address'], ['2606:4700::1', 'public-address'],
    ['::ffff:8.8.8.8', 'public-address'], [MDNS, 'mdns-name'], [MDNS.toUpperCase().replace('.LOCAL', '.local'), 'mdns-name'],
  ])('allows %s (%s)', (addr, reason) => {
    for (const mode of GUARDED) expect(checkRemoteCandidate(cand(addr), mode)).toEqual({ allow: true, reason });
  });

  it('allows the end-of-candidates marker and refuses what does not parse', () => {
    expect(checkRemoteCandidate('', 'srflx-only')).toEqual({ allow: true, reason: 'end-of-candidates' });
    expect(checkRemoteCandidate('candidate:1 1 udp 1 10.0.0.1 5000 typ host ', 'srflx-only')).toEqual({ allow: false, reason: 'unparsable' });
    expect(checkRemoteCandidate('candidate:1 1 udp 1 10.0.0.1 5000 typ bogus', 'relay-only').reason).toBe('unparsable');
  });

  it('refuses a non-string', () => {
    expect(checkRemoteCandidate({} as unknown as string, 'srflx-only')).toEqual({ allow: false, reason: 'unparsable' });
  });

  it('checks the connection address, not raddr', () => {
    expect(checkRemoteCandidate('candidate:1 1 udp 1 203.0.113.5 5000 typ srflx raddr 10.0.0.1 rport 1', 'srflx-only').allow).toBe(true);
  });

  it('allows everything in direct and refuses everything in off', () => {
    expect(checkRemoteCandidate(cand('10.0.0.1'), 'direct')).toEqual({ allow: true, reason: 'direct' });
    expect(checkRemoteCandidate('garbage', 'direct').allow).toBe(true);
    expect(checkRemoteCandidate(cand('203.0.113.1'), 'off')).toEqual({ allow: false, reason: 'off' });
    expect(checkRemoteCandidate(cand('203.0.113.1'), 'bogus' as Mode).reason).toBe('off');
  });
});

describe('checkIceServerUrl (RFC 7064, RFC 7065)', () => {
  it.each([
    ['stun:stun.l.google.com:19302', 'hostname'], ['STUN:Stun.Example.com', 'hostname'], ['stuns:stun.example.com:5349', 'hostname'],
    ['turn:203.0.113.2:3478?transport=udp', 'public-address'], ['turn:203.0.113.2?transport=tcp', 'public-address'],
    ['turns:turn.example.com:443?transport=TCP', 'hostname'], ['turn:[2001:db8::2]:3478', 'public-address'], ['stun:[2001:DB8::2]', 'public-address'],
    ['stun:8.8.8.8:65535', 'public-address'], ['stun:a', 'hostname'],
  ])('allows %s', (url, reason) => {
    for (const mode of GUARDED) expect(checkIceServerUrl(url, mode)).toEqual({ allow: true, reason });
  });

  it.each([
    ['stun:10.0.0.1', 'local-address'], ['turn:192.168.1.1:3478?transport=udp', 'local-address'], ['stun:127.0.0.1:3478', 'local-address'],
    ['stun:[::1]', 'local-address'], ['turns:[fd00::1]:443', 'local-address'], ['stun:[::ffff:10.0.0.1]', 'local-address'],
    ['stun:169.254.169.254', 'local-address'], ['stun:100.64.0.1', 'local-address'], ['stun:0.0.0.0', 'local-address'],
    ['stun:2130706433', 'numeric-address'], ['stun:0x7f.1:3478', 'numeric-address'], ['turn:127.1?transport=udp', 'numeric-address'],
    ['stun:192.168.001.001', 'numeric-address'],
    ['stun:localhost', 'localhost'], ['stun:LocalHost.:3478', 'localhost'], ['turn:x.localhost', 'localhost'],
    ['stun:router.local', 'local-name'], ['stun:' + MDNS, 'local-name'], ['stun:box.local.', 'local-name'],
    ['http://stun.example.com', 'unknown-scheme'], ['stun', 'unknown-scheme'], ['', 'unknown-scheme'], ['stunx:a', 'unknown-scheme'],
    ['stun:', 'malformed'], ['stun:host:', 'malformed'], ['stun:host:0', 'malformed'], ['stun:host:65536', 'malformed'], ['stun:host:123456', 'malformed'],
    ['stun:host:12a', 'malformed'], ['stun:host?transport=udp', 'malformed'], ['turn:host?transport=sctp', 'malformed'], ['turn:host?foo=bar', 'malformed'],
    ['stun://host', 'malformed'], ['stun:user@host', 'malformed'], ['stun:%31%30.0.0.1', 'malformed'], ['stun:[fe80::1%25eth0]', 'malformed'],
    ['stun:[::1', 'malformed'], ['stun:[::1]x', 'malformed'], ['stun:[10.0.0.1]', 'malformed'], ['stun:host name', 'malformed'],
    ['stun:ho_st', 'malformed'], ['stun:' + 'a'.repeat(254), 'malformed'], ['stun:a.com' + 'b'.repeat(2048), 'malformed'],
    ['turn:[::1]?transport=udp]', 'malformed'], ['stun:host:3478:1', 'malformed'],
  ])('refuses %s (%s)', (url, reason) => {
    for (const mode of GUARDED) expect(checkIceServerUrl(url, mode)).toEqual({ allow: false, reason });
  });

  it('refuses non-strings; allows anything in direct; refuses everything in off', () => {
    expect(checkIceServerUrl(42 as unknown as string, 'srflx-only').reason).toBe('malformed');
    expect(checkIceServerUrl('stun:10.0.0.1', 'direct')).toEqual({ allow: true, reason: 'direct' });
    expect(checkIceServerUrl('stun:8.8.8.8', 'off')).toEqual({ allow: false, reason: 'off' });
  });
});

describe('checkIceServers (RTCConfiguration.iceServers)', () => {
  const ok = { allow: true, reason: 'all-servers-allowed', url: undefined };
  it('accepts urls as a string or a list, and checks url (singular) too', () => {
    expect(checkIceServers([{ urls: 'stun:stun.example.com' }, { urls: ['turn:203.0.113.2?transport=udp', 'turns:t.example.com'], username: 'u', credential: 'c' }], 'srflx-only')).toEqual(ok);
    expect(checkIceServers([{ urls: [] }], 'relay-only')).toEqual(ok);
    expect(checkIceServers([], 'relay-only')).toEqual(ok);
    expect(checkIceServers([{ urls: 'stun:stun.example.com', url: 'stun:10.0.0.1' }], 'srflx-only')).toEqual({ allow: false, reason: 'local-address', url: 'stun:10.0.0.1' });
  });

  it('returns the first refused URL', () => {
    expect(checkIceServers([{ urls: ['stun:8.8.8.8', 'stun:192.168.0.1:3478'] }, { urls: 'stun:localhost' }], 'srflx-only'))
      .toEqual({ allow: false, reason: 'local-address', url: 'stun:192.168.0.1:3478' });
    expect(checkIceServers([{ urls: [7] }], 'srflx-only')).toEqual({ allow: false, reason: 'malformed', url: undefined });
  });

  it.each([
    ['a non-list', { urls: 'stun:a' }], ['a string', 'stun:a'], ['a null server', [null]], ['a non-object server', ['stun:a']],
    ['a server without urls', [{ url: 'stun:a' }]],
  ])('refuses %s as malformed', (_, servers) => {
    expect(checkIceServers(servers, 'srflx-only')).toEqual({ allow: false, reason: 'malformed', url: undefined });
  });

  it('handles absent servers and the modes', () => {
    expect(checkIceServers(undefined, 'srflx-only')).toEqual({ allow: true, reason: 'no-servers', url: undefined });
    expect(checkIceServers(null, 'relay-only')).toEqual({ allow: true, reason: 'no-servers', url: undefined });
    expect(checkIceServers([{ urls: 'stun:10.0.0.1' }], 'direct')).toEqual({ allow: true, reason: 'direct', url: undefined });
    expect(checkIceServers(undefined, 'off')).toEqual({ allow: false, reason: 'off', url: undefined });
  });
});
