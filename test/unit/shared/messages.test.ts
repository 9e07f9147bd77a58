// The relay <-> background channel (src/shared/messages.ts): one declaration, read on both sides.
import { describe, expect, it } from 'vitest';
import { MAX_ADDRESSES_PER_REQUEST, readResolveReply, readSiteInfo, relayMessages } from '../../../src/shared/messages';

const activity = { type: 'activity', origin: 'https://a.test', connections: 2, candidatesHidden: 1, addresses: ['192.168.1.2'], rawHost: false, failed: false };

describe('relay messages (read by the background)', () => {
  it('reads each kind with exactly its declared fields', () => {
    expect(relayMessages.read({ type: 'hello', origin: 'https://a.test' })).toEqual({ ok: true, value: { type: 'hello', origin: 'https://a.test' } });
    expect(relayMessages.read({ type: 'names', origin: 'https://a.test', addresses: ['10.0.0.1'] }).ok).toBe(true);
    expect(relayMessages.read({ type: 'resolve', origin: 'https://a.test', names: ['x.local'] }).ok).toBe(true);
    const r = relayMessages.read({ ...activity, hosts: ['192.168.1.2'] });
    expect(r.ok && r.value).toEqual({ ...activity, hosts: ['192.168.1.2'] });
  });

  it.each([
    ['an unknown kind', { type: 'grant', origin: 'https://a.test' }, 'unknown relay message "grant"'],
    ['a missing origin', { type: 'hello' }, 'origin is missing'],
    ['a key no kind declares', { type: 'hello', origin: 'https://a.test', mode: 'direct' }, 'mode is not expected here'],
    ['too many addresses', { type: 'names', origin: 'o', addresses: Array.from({ length: MAX_ADDRESSES_PER_REQUEST + 1 }, () => '10.0.0.1') }, 'addresses has more than 64 items'],
    ['a long address', { type: 'names', origin: 'o', addresses: ['1'.repeat(65)] }, 'addresses[0] is longer than 64 characters'],
    ['a negative count', { ...activity, connections: -1 }, 'connections is not between 0 and 10000'],
    ['a count that is no number', { ...activity, failed: 'yes' }, 'failed is not true or false'],
    ['a prototype key', JSON.parse('{"type":"hello","origin":"o","__proto__":{"x":1}}') as unknown, '__proto__ is not an allowed key'],
  ])('refuses %s, saying what', (_what, message, error) => {
    expect(relayMessages.read(message)).toEqual({ ok: false, error });
  });

  it('refuses a getter that throws instead of throwing', () => {
    const hostile = { type: 'hello', get origin(): string { throw new Error('boom'); } };
    expect(relayMessages.read(hostile).ok).toBe(false);
  });
});

describe("the background's answers (read by the relay)", () => {
  const info = { mode: 'srflx-only', lanNames: true, names: { '192.168.1.2': '0e6c1a52-8f0a-4b7e-9a4e-2f0d5b1c3a77.local' } };

  it('reads a site answer and leaves out fields it does not know', () => {
    expect(readSiteInfo({ ...info, register: true, hosts: ['192.168.1.2'], later: 1 })).toEqual({ ...info, register: true, hosts: ['192.168.1.2'] });
  });

  it.each([
    ['an unknown mode', { ...info, mode: 'everything' }],
    ['names that are no record', { ...info, names: ['x'] }],
    ['a flag that is no boolean', { ...info, provisional: 'yes' }],
    ['nothing', undefined],
  ])('refuses %s (the relay then stays pending: fail closed)', (_what, answer) => {
    expect(readSiteInfo(answer)).toBeNull();
  });

  it('reads a resolve answer: addresses or null per name', () => {
    expect(readResolveReply({ resolved: { 'a.local': '192.168.1.2', 'b.local': null } })).toEqual({ resolved: { 'a.local': '192.168.1.2', 'b.local': null } });
    expect(readResolveReply({ resolved: { 'a.local': 7 } })).toBeNull();
  });
});
