import { describe, expect, it } from 'vitest';
import { formatUuidV4, isUuidV4LocalName, NameAllocator } from '../../../src/policy/index';
import { prng } from './helpers';

describe('formatUuidV4 (RFC 9562 §5.4)', () => {
  it('sets the version and variant bits and prints lower-case 8-4-4-4-12', () => {
    expect(formatUuidV4(new Uint8Array(16).fill(0xff))).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
    expect(formatUuidV4(new Uint8Array(16))).toBe('00000000-0000-4000-8000-000000000000');
    expect(formatUuidV4(Uint8Array.from({ length: 16 }, (_, i) => i * 17))).toBe('00112233-4455-4677-8899-aabbccddeeff');
    expect(formatUuidV4(new Uint8Array(2).fill(0xff))).toBe('ffff0000-0000-4000-8000-000000000000'); // short input: zeros
  });
});

describe('isUuidV4LocalName', () => {
  it.each(['3c4e7b9a-1f2d-4c5e-9a8b-7f6e5d4c3b2a.local', '3C4E7B9A-1F2D-4C5E-BA8B-7F6E5D4C3B2A.LOCAL', '00000000-0000-4000-8000-000000000000.local'])(
    'accepts %s', (n) => expect(isUuidV4LocalName(n)).toBe(true));
  it.each([
    '3c4e7b9a-1f2d-3c5e-9a8b-7f6e5d4c3b2a.local', // version 3
    '3c4e7b9a-1f2d-4c5e-ca8b-7f6e5d4c3b2a.local', // variant 110x
    '3c4e7b9a-1f2d-4c5e-7a8b-7f6e5d4c3b2a.local', // variant 0xxx
    '3c4e7b9a-1f2d-4c5e-9a8b-7f6e5d4c3b2a.locax',
    '3c4e7b9a-1f2d-4c5e-9a8b-7f6e5d4c3b2a.local.',
    '3c4e7b9a-1f2d-4c5e-9a8b-7f6e5d4c3b2.local',
    '3c4e7b9a01f2d-4c5e-9a8b-7f6e5d4c3b2a.local',
    '3c4e7b9a-1f2d-4c5e-9a8b-7f6e5d4c3b2g.local',
    'x3c4e7b9a-1f2d-4c5e-9a8b-7f6e5d4c3b2.local',
    'printer.local', '',
  ])('rejects %s', (n) => expect(isUuidV4LocalName(n)).toBe(false));
});

describe('NameAllocator', () => {
  it('gives one address one UUIDv4 name, whatever its spelling, and IPv4/IPv6 different names', () => {
    const a = new NameAllocator(prng());
    const n = a.nameFor('198.51.100.10');
    expect(isUuidV4LocalName(n)).toBe(true);
    expect(a.nameFor('::ffff:198.51.100.10')).toBe(n);
    expect(a.nameFor('::FFFF:c633:640a')).toBe(n);
    const v6 = a.nameFor('2001:db8::10');
    expect(v6).not.toBe(n);
    expect(a.nameFor('2001:0db8:0:0:0:0:0:0010')).toBe(v6);
    expect(a.entries()['198.51.100.10']).toBe(n);
  });

  it('never shares names across scopes (sites)', () => {
    const r = prng();
    expect(new NameAllocator(r).nameFor('10.0.0.1')).not.toBe(new NameAllocator(r).nameFor('10.0.0.1'));
  });

  it('refuses non-addresses and a random source that repeats itself', () => {
    const a = new NameAllocator(() => {});
    expect(() => a.nameFor('example.com')).toThrow(TypeError);
    a.nameFor('10.0.0.1');
    expect(() => a.nameFor('10.0.0.2')).toThrow(/repeated/);
  });

  it('adopts names chosen elsewhere only when consistent, and restores from entries()', () => {
    const a = new NameAllocator(prng());
    const name = '3c4e7b9a-1f2d-4c5e-9a8b-7f6e5d4c3b2a.local';
    expect(a.adopt('10.0.0.1', 'printer.local')).toBe(false);
    expect(a.adopt('example.com', name)).toBe(false);
    expect(a.adopt('10.0.0.1', name.toUpperCase())).toBe(true);
    expect(a.nameFor('10.0.0.1')).toBe(name);
    expect(a.adopt('::ffff:10.0.0.1', name)).toBe(true); // same address, same name: nothing to do
    expect(a.adopt('10.0.0.1', '00000000-0000-4000-8000-000000000000.local')).toBe(false);
    expect(a.adopt('10.0.0.2', name)).toBe(false); // one name, one address
    const v6 = a.nameFor('fd00::1');
    const b = new NameAllocator(prng(7), a.entries());
    expect(b.nameFor('10.0.0.1')).toBe(name);
    expect(b.nameFor('fd00::1')).toBe(v6);
    expect({ ...b.entries() }).toEqual({ '10.0.0.1': name, 'fd00::1': v6 });
    expect(Object.getPrototypeOf(b.entries())).toBeNull();
  });
});
