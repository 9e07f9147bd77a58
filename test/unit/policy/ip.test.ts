import { describe, expect, it } from 'vitest';
import { addressKey, endsInNumber, formatIpv6, ipKey, parseIp, parseIpv4, parseIpv6 } from '../../../src/policy/index';

describe('parseIpv4 (strict dotted quad)', () => {
  it.each([
    ['0.0.0.0', [0, 0, 0, 0]],
    ['255.255.255.255', [255, 255, 255, 255]],
    ['198.51.100.10', [198, 51, 100, 10]],
    ['10.0.0.1', [10, 0, 0, 1]],
  ])('%s', (s, b) => expect(parseIpv4(s)).toEqual(b));

  it.each([
    '', '1.2.3', '1.2.3.4.5', '256.0.0.1', '01.2.3.4', '1.2.3.04', '1..2.3', '.1.2.3', '1.2.3.4.', 'a.b.c.d',
    '1.2.3.4 ', ' 1.2.3.4', '10.20.30', '0x7f.0.0.1', '2130706433', '127.1', '1.2.3.4444', '1111.1.1.1', '+1.2.3.4', '1.2.3.4%eth0',
  ])('rejects %j', (s) => expect(parseIpv4(s)).toBeUndefined());
});

describe('parseIpv6 (RFC 4291 §2.2)', () => {
  const bytes = (...groups: number[]) => groups.flatMap((g) => [g >> 8, g & 255]);
  it.each([
    ['::', bytes(0, 0, 0, 0, 0, 0, 0, 0)],
    ['::1', bytes(0, 0, 0, 0, 0, 0, 0, 1)],
    ['1::', bytes(1, 0, 0, 0, 0, 0, 0, 0)],
    ['fe80::1%eth0', bytes(0xfe80, 0, 0, 0, 0, 0, 0, 1)],
    ['fe80::1%25eth0', bytes(0xfe80, 0, 0, 0, 0, 0, 0, 1)],
    ['FE80::ABCD', bytes(0xfe80, 0, 0, 0, 0, 0, 0, 0xabcd)],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', bytes(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1)],
    ['1:2:3:4:5:6:7:8', bytes(1, 2, 3, 4, 5, 6, 7, 8)],
    ['1::8', bytes(1, 0, 0, 0, 0, 0, 0, 8)],
    ['1:2:3:4:5:6::8', bytes(1, 2, 3, 4, 5, 6, 0, 8)],
    ['::2:3:4:5:6:7:8', bytes(0, 2, 3, 4, 5, 6, 7, 8)],
    ['::ffff:192.168.1.2', bytes(0, 0, 0, 0, 0, 0xffff, 0xc0a8, 0x102)],
    ['1:2:3:4:5:6:1.2.3.4', bytes(1, 2, 3, 4, 5, 6, 0x102, 0x304)],
    ['::1.2.3.4', bytes(0, 0, 0, 0, 0, 0, 0x102, 0x304)],
  ])('%s', (s, b) => expect(parseIpv6(s)).toEqual(b));

  it.each([
    '', ':', ':1', '1:', '1:2', ':::', '1:::2', '1::2::3', '12345::', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '1::2:3:4:5:6:7:8',
    'g::1', '::ffff:1.2.3', '::ffff:1.2.3.256', '1:2:3:4:5:6:7:1.2.3.4', '::1.2.3.4:5', '[::1]', 'fe80::1%', 'fe80::1%eth 0',
    '1.2.3.4', '::1:', 'fe80::1z', '1:2x::3', 'a'.repeat(40) + '::', '::' + '1:'.repeat(30) + '1', 'fe80::1%' + 'z'.repeat(65), '1:2:3:4:5:6:7:ab.1.2.3',
  ])('rejects %j', (s) => expect(parseIpv6(s)).toBeUndefined());
});

describe('parseIp', () => {
  it('tells the families apart by the colon (RFC 8839 §5.1) and accepts URL brackets for IPv6', () => {
    expect(parseIp('192.0.2.1')?.v).toBe(4);
    expect(parseIp('2001:db8::1')?.v).toBe(6);
    expect(parseIp('[2001:db8::1]')?.v).toBe(6);
    expect(parseIp('[192.0.2.1]')).toBeUndefined();
    expect(parseIp('[]')).toBeUndefined();
    expect(parseIp('example.com')).toBeUndefined();
    expect(parseIp('[::1')).toBeUndefined();
  });
});

describe('ipKey: one key per address, itself a spelling of it', () => {
  it.each([
    ['198.51.100.10', '198.51.100.10'],
    ['::ffff:192.168.1.2', '192.168.1.2'],
    ['::ffff:c0a8:102', '192.168.1.2'],
    ['0:0:0:0:0:FFFF:C0A8:0102', '192.168.1.2'],
    ['::c0a8:102', '192.168.1.2'], // IPv4-compatible (RFC 4291 §2.5.5.1, deprecated)
    ['::2', '0.0.0.2'],
    ['::', '::'],
    ['::1', '::1'],
    ['::1:0:0', '::1:0:0'],
    ['FE80::1%eth0', 'fe80::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
  ])('%s → %s', (s, k) => expect(ipKey(parseIp(s)!)).toBe(k));

  it('gives every spelling of one address one key, and none to non-addresses', () => {
    const keys = ['198.51.100.10', '::ffff:198.51.100.10', '::FFFF:c633:640a', '0000:0000:0000:0000:0000:ffff:c633:640a'].map(addressKey);
    expect(new Set(keys).size).toBe(1);
    expect(new Set(['2001:db8::1', '2001:0DB8:0:0:0:0:0:1', '2001:db8:0::0:1'].map(addressKey)).size).toBe(1);
    expect(addressKey('x.local')).toBeUndefined();
  });
});

describe('formatIpv6 (RFC 5952 §4)', () => {
  it.each([
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // first of two equal runs
    ['2001:0db8:0:0:0:0:2:1', '2001:db8::2:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // one zero group is not compressed
    ['2001:db8:0:0:1:0:0:0', '2001:db8:0:0:1::'], // the longer run wins
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    ['FE80:0:0:0:0:0:0:1', 'fe80::1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['1:0:0:0:0:0:0:0', '1::'],
    ['::ffff:192.168.1.2', '::ffff:c0a8:102'],
  ])('%s → %s', (s, k) => expect(formatIpv6(parseIpv6(s)!)).toBe(k));
});

describe('endsInNumber (WHATWG URL "ends in a number", inet_aton forms)', () => {
  it.each(['2130706433', '127.1', '0x7f.1', '0x7F.0.0.1', '0177.0.0.1', '1.2.3.4', '1.2.3.999', 'foo.123', 'foo.0x', '127.0.0.1.', '08', '0X'])(
    '%s is numeric', (s) => expect(endsInNumber(s)).toBe(true));
  it.each(['', '.', 'example.com', 'a1', '1a', '0x7g', 'x.local', 'foo.1a', '0xg.'])('%j is not', (s) => expect(endsInNumber(s)).toBe(false));
});
