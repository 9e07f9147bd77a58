import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_CANDIDATE_LENGTH, parseCandidate, serializeCandidate } from '../../../src/policy/index';
import { FIXTURES } from './helpers';

const captured = ['chromium-156.json', 'firefox-esr-153.json'].flatMap(
  (f) => (JSON.parse(readFileSync(join(FIXTURES, f), 'utf8')) as { candidates: string[] }).candidates,
).filter((l) => l !== '');

const parsed = (line: string) => {
  const r = parseCandidate(line);
  if (!r.ok) throw new Error(r.error + ': ' + line);
  return r.value;
};

describe('parseCandidate on real browser output', () => {
  it('has captures to test', () => expect(captured.length).toBeGreaterThanOrEqual(8));

  it.each(captured)('round-trips %s', (line) => {
    expect(serializeCandidate(parsed(line))).toBe(line);
    for (const prefix of ['a=', '']) {
      const l = prefix === '' ? line.slice('candidate:'.length) : prefix + line;
      expect(serializeCandidate(parsed(l))).toBe(l);
    }
  });

  it('reads the fields of a Chromium srflx candidate', () => {
    expect(parsed(captured[1] as string)).toEqual({
      prefix: 'candidate:', foundation: '4089003057', component: '1', transport: 'udp', priority: '1686052607',
      address: '203.0.113.1', port: '39216', type: 'srflx', raddr: '198.51.100.10', rport: '39216',
      ext: ' generation 0 ufrag wurx network-id 1',
    });
  });

  it('keeps Firefox upper-case transport, the tcptype pair and the three prefix forms', () => {
    const c = parsed('candidate:3 1 TCP 2105524479 198.51.100.10 9 typ host tcptype active');
    expect([c.prefix, c.transport, c.port, c.raddr, c.rport, c.ext]).toEqual(['candidate:', 'TCP', '9', undefined, undefined, ' tcptype active']);
    expect(parsed('a=candidate:0 1 UDP 1 192.0.2.1 1 typ host').prefix).toBe('a=candidate:');
    expect(parsed('0 1 UDP 1 192.0.2.1 1 typ host').prefix).toBe('');
  });

  it('reads IPv6, mDNS names, rport without raddr and unknown extensions in order', () => {
    expect(parsed('candidate:1 1 udp 2122260223 3c4e7b9a-1f2d-4c5e-9a8b-7f6e5d4c3b2a.local 54321 typ host generation 0 network-cost 999').address)
      .toBe('3c4e7b9a-1f2d-4c5e-9a8b-7f6e5d4c3b2a.local');
    expect(parsed('candidate:1 1 udp 1 fe80::1%eth0 1 typ host').address).toBe('fe80::1%eth0');
    const c = parsed('candidate:1 2 udp 1 2001:db8::2 65535 typ prflx rport 0 zeta 1 alpha x/y generation 0');
    expect([c.type, c.raddr, c.rport, c.ext]).toEqual(['prflx', undefined, '0', ' zeta 1 alpha x/y generation 0']);
  });

  it.each([
    ['empty', ''],
    ['too long', 'candidate:1 1 udp 1 192.0.2.1 1 typ host x ' + 'y'.repeat(MAX_CANDIDATE_LENGTH)],
    ['double space', 'candidate:1 1 udp 1  192.0.2.1 1 typ host'],
    ['leading space', ' candidate:1 1 udp 1 192.0.2.1 1 typ host'],
    ['trailing space', 'candidate:1 1 udp 1 192.0.2.1 1 typ host '],
    ['tab', 'candidate:1 1 udp 1\t192.0.2.1 1 typ host'],
    ['CR', 'candidate:1 1 udp 1 192.0.2.1 1 typ host\r'],
    ['LF', 'candidate:1 1 udp 1 192.0.2.1 1 typ host\ngeneration 0'],
    ['non-ASCII', 'candidate:1 1 udp 1 192.0.2.1 1 typ host x é'],
    ['NUL', 'candidate:1 1 udp 1 192.0.2.1 1 typ host x \0'],
    ['no foundation', 'candidate: 1 udp 1 192.0.2.1 1 typ host'],
    ['long foundation', 'candidate:' + 'a'.repeat(33) + ' 1 udp 1 192.0.2.1 1 typ host'],
    ['bad foundation', 'candidate:1-2 1 udp 1 192.0.2.1 1 typ host'],
    ['component', 'candidate:1 1234 udp 1 192.0.2.1 1 typ host'],
    ['component letters', 'candidate:1 a udp 1 192.0.2.1 1 typ host'],
    ['transport', 'candidate:1 1 sctp 1 192.0.2.1 1 typ host'],
    ['priority', 'candidate:1 1 udp 12345678901 192.0.2.1 1 typ host'],
    ['address brackets', 'candidate:1 1 udp 1 [::1] 1 typ host'],
    ['address bad IPv6', 'candidate:1 1 udp 1 1::2::3 1 typ host'],
    ['address chars', 'candidate:1 1 udp 1 a_b.local 1 typ host'],
    ['address too long', 'candidate:1 1 udp 1 ' + 'a'.repeat(254) + ' 1 typ host'],
    ['port', 'candidate:1 1 udp 1 192.0.2.1 65536 typ host'],
    ['port letters', 'candidate:1 1 udp 1 192.0.2.1 9a typ host'],
    ['no typ', 'candidate:1 1 udp 1 192.0.2.1 1 host'],
    ['typ case', 'candidate:1 1 udp 1 192.0.2.1 1 TYP host'],
    ['type', 'candidate:1 1 udp 1 192.0.2.1 1 typ nat'],
    ['truncated', 'candidate:1 1 udp 1 192.0.2.1 1 typ'],
    ['raddr missing', 'candidate:1 1 udp 1 192.0.2.1 1 typ srflx raddr'],
    ['raddr bad', 'candidate:1 1 udp 1 192.0.2.1 1 typ srflx raddr 1::2::3 rport 1'],
    ['rport bad', 'candidate:1 1 udp 1 192.0.2.1 1 typ srflx raddr 10.0.0.1 rport 70000'],
    ['rport missing', 'candidate:1 1 udp 1 192.0.2.1 1 typ srflx raddr 10.0.0.1 rport'],
    ['odd extensions', 'candidate:1 1 udp 1 192.0.2.1 1 typ host generation 0 ufrag'],
    ['prefix only', 'a=candidate:'],
    ['not a string', undefined as unknown as string],
  ])('rejects %s', (_, line) => {
    const r = parseCandidate(line);
    expect(r.ok).toBe(false);
  });
});
