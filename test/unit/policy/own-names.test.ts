// The browser's own `.local` names, replaced by the addresses the LAN helper found (direct sites).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acceptedAsIs } from '../../../src/policy/own-names';
import { ownNameOf, parseCandidate, resolveOwnNames, resolveParsedName, withOwnAddress } from '../../../src/policy';
import { BROWSER_OUTPUT } from './helpers';

const N4 = '5b4e3f6a-1c2d-4e5f-8a9b-0c1d2e3f4a5b.local';
const N6 = '7c8d9e0f-1a2b-4c3d-9e4f-5a6b7c8d9e0f.local';
const line = (address: string, rest = ' generation 0 ufrag abcd') => `candidate:1 1 udp 2113937151 ${address} 5000 typ host${rest}`;

describe('own names', () => {
  it('finds the name of a host candidate only, in lower case', () => {
    expect(ownNameOf(line(N4))).toBe(N4);
    expect(ownNameOf(line(N4.toUpperCase()))).toBe(N4);
    expect(ownNameOf(line('198.51.100.10'))).toBeUndefined();
    expect(ownNameOf(`candidate:1 1 udp 1 ${N4} 5000 typ srflx raddr 0.0.0.0 rport 0`)).toBeUndefined();
    expect(ownNameOf(line('printer.local'))).toBeUndefined(); // not a UUIDv4 name
    expect(ownNameOf('garbage')).toBeUndefined();
  });

  it('puts the address in place of the name, and nothing else changes', () => {
    expect(withOwnAddress(line(N4), '198.51.100.10')).toBe(line('198.51.100.10'));
    expect(withOwnAddress(`a=${line(N6)}`, '2001:db8:10::a')).toBe(`a=${line('2001:db8:10::a')}`);
    // Not an address, or no name to replace: unchanged.
    expect(withOwnAddress(line(N4), 'evil.example')).toBe(line(N4));
    expect(withOwnAddress(line('198.51.100.10'), '203.0.113.9')).toBe(line('198.51.100.10'));
  });

  it('resolves names in a=candidate and c= lines of a description, keeping line endings and unknown names', () => {
    const sdp = ['v=0', 'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', `c=IN IP4 ${N4}`, `a=${line(N4)}`, `a=${line(N6)}`, 'a=mid:0', ''].join('\r\n');
    const out = resolveOwnNames(sdp, (n) => (n === N4 ? '198.51.100.10' : undefined));
    expect(out).toBe(['v=0', 'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', 'c=IN IP4 198.51.100.10', `a=${line('198.51.100.10')}`, `a=${line(N6)}`, 'a=mid:0', ''].join('\r\n'));
    // The c= family follows the address; bare LF endings and a last line without one stay as they are.
    expect(resolveOwnNames(`c=IN IP4 ${N6}\na=mid:0`, () => '2001:db8:10::a')).toBe('c=IN IP6 2001:db8:10::a\na=mid:0');
    expect(resolveOwnNames('c=IN IP4 0.0.0.0\r\n', () => '198.51.100.10')).toBe('c=IN IP4 0.0.0.0\r\n');
    expect(resolveOwnNames('', () => '198.51.100.10')).toBe('');
    // keepNames: the name line stays, its address version follows it (c= lines are replaced all the same).
    const both = resolveOwnNames(`c=IN IP4 ${N4}\r\na=candidate:1 1 udp 2122260223 ${N4} 5000 typ host\r\na=mid:0\r\n`, (n) => (n === N4 ? '198.51.100.10' : undefined), true);
    expect(both).toBe(`c=IN IP4 198.51.100.10\r\na=candidate:1 1 udp 2122260223 ${N4} 5000 typ host\r\na=candidate:1 1 udp 2122260223 198.51.100.10 5000 typ host\r\na=mid:0\r\n`);
  });

  // Leak 23: Chromium's rejection of a remote description quotes the line it could not parse. Each of
  // these was rejected by Chromium 156 with the line in the message, or is outside what a browser
  // emits: the name stays, so an error can only quote what the page wrote.
  const REJECTABLE: Record<string, string> = {
    'priority over 32 bits': `candidate:1 1 udp 9999999999 ${N4} 5000 typ host`,
    'priority 2^32': `candidate:1 1 udp 4294967296 ${N4} 5000 typ host`,
    'component 0': `candidate:1 0 udp 2122260223 ${N4} 5000 typ host`,
    'component 257': `candidate:1 257 udp 2122260223 ${N4} 5000 typ host`,
    'generation not a number': line(N4, ' generation x'),
    'generation 2^32': line(N4, ' generation 4294967296'),
    'network-id not a number': line(N4, ' network-id x'),
    'network-id over 16 bits': line(N4, ' network-id 65536'),
    'network-cost over 16 bits': line(N4, ' network-cost 65536'),
    'unknown tcptype': `candidate:1 1 tcp 1518280447 ${N4} 9 typ host tcptype sideways`,
    'tcptype on udp': line(N4, ' tcptype active'),
    'ufrag with a character outside ice-char': line(N4, ' ufrag a-b'),
    'an extension no browser emits': line(N4, ' priority-hint 1'),
    'generation twice': line(N4, ' generation 0 generation 1'),
    'a related address on a host line': `candidate:1 1 udp 2122260223 ${N4} 5000 typ host raddr 0.0.0.0 rport 0`,
  };

  it.each(Object.entries(REJECTABLE))('keeps the name in a line a browser could reject: %s', (_, bad) => {
    const p = parseCandidate(bad);
    expect(p.ok).toBe(true); // IceGuard's grammar takes it: only the new check keeps the name
    expect(p.ok && acceptedAsIs(p.value)).toBe(false);
    const lookup = (n: string) => (n === N4 ? '198.51.100.10' : undefined);
    expect(withOwnAddress(bad, '198.51.100.10')).toBe(bad);
    expect(p.ok && resolveParsedName(p.value, bad, lookup)).toBe(bad);
    const sdp = `m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=${bad}\r\na=${line(N4)}\r\n`;
    // The broken line keeps its name; the good one next to it is still resolved.
    expect(resolveOwnNames(sdp, lookup)).toBe(`m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=${bad}\r\na=${line('198.51.100.10')}\r\n`);
  });

  it('accepts as they are every host candidate the browsers emitted in the captures, and the edges of each range', () => {
    const lines = new Set<string>();
    for (const file of readdirSync(BROWSER_OUTPUT).filter((f) => f.endsWith('.json'))) {
      for (const m of readFileSync(join(BROWSER_OUTPUT, file), 'utf8').matchAll(/candidate:[^"\\]*? typ host[^"\\]*/g)) lines.add(m[0]);
    }
    expect(lines.size).toBeGreaterThan(20);
    const edges = [
      `candidate:1 256 udp 4294967295 ${N4} 65535 typ host generation 4294967295 network-id 65535 network-cost 65535 ufrag ${'a'.repeat(256)}`,
      `candidate:1 1 TCP 0 ${N4} 9 typ host tcptype so`,
      `candidate:1 1 udp 1 ${N4} 5000 typ host`,
    ];
    const refused = [...lines, ...edges].filter((l) => {
      const p = parseCandidate(l);
      return !(p.ok && acceptedAsIs(p.value));
    });
    expect(refused).toEqual([]);
  });
});
