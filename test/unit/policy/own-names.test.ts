// The browser's own `.local` names, replaced by the addresses the LAN helper found (direct sites).
import { describe, expect, it } from 'vitest';
import { ownNameOf, resolveOwnNames, withOwnAddress } from '../../../src/policy';

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
});
