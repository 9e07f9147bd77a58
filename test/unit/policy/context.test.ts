import { describe, expect, it } from 'vitest';
import { ConnectionContext, Foundations, HostAddresses, MAX_FOUNDATIONS, NameAllocator } from '../../../src/policy/index';
import { prng } from './helpers';

describe('HostAddresses', () => {
  it('matches every spelling, ignores non-addresses and the unspecified addresses', () => {
    const h = new HostAddresses();
    h.add('198.51.100.10');
    h.add('FE80::0001%eth0');
    h.add('0.0.0.0');
    h.add('::');
    h.add('x.local');
    expect(['198.51.100.10', '::ffff:198.51.100.10', '0:0:0:0:0:ffff:c633:640a', 'fe80::1', 'fe80:0:0:0:0:0:0:1'].every((a) => h.has(a))).toBe(true);
    expect(['0.0.0.0', '::', 'x.local', '198.51.100.11', 'fe80::2'].some((a) => h.has(a))).toBe(false);
  });
});

describe('ConnectionContext', () => {
  const ctx = () => new ConnectionContext(new NameAllocator(prng()), prng(3));

  it('learns host addresses and the raddr of srflx/prflx (their base), not the raddr of relay (the mapped address)', () => {
    const c = ctx();
    expect(c.learn('candidate:1 1 udp 1 10.0.0.1 1 typ host')).toBe(true);
    c.learn('candidate:2 1 udp 1 203.0.113.1 1 typ srflx raddr 10.0.0.2 rport 1');
    c.learn('candidate:3 1 udp 1 203.0.113.1 1 typ prflx raddr 10.0.0.3 rport 1');
    c.learn('candidate:4 1 udp 1 203.0.113.2 1 typ relay raddr 203.0.113.1 rport 1');
    c.learn('candidate:5 1 udp 1 203.0.113.9 1 typ srflx');
    expect(c.learn('garbage')).toBe(false);
    expect(['10.0.0.1', '10.0.0.2', '10.0.0.3'].every((a) => c.hosts.has(a))).toBe(true);
    expect(['203.0.113.1', '203.0.113.2', '203.0.113.9'].some((a) => c.hosts.has(a))).toBe(false);
  });

  it('parses address texts through a bounded memo, with the same answers past the bound', () => {
    const c = ctx();
    for (let i = 0; i < 300; i++) expect(c.address(`10.0.${i >> 8}.${i & 255}`)?.key).toBe(`10.0.${i >> 8}.${i & 255}`);
    expect(c.address('10.0.0.1')?.ip.v).toBe(4);
    expect(c.address('::FFFF:10.0.1.44')?.key).toBe('10.0.1.44');
    expect(c.address('x.local')).toBeUndefined();
    expect(c.address('x.local')).toBeUndefined();
  });

  it('can share the host addresses of a page between connections', () => {
    const hosts = new HostAddresses();
    const names = new NameAllocator(prng());
    const a = new ConnectionContext(names, prng(), hosts);
    const b = new ConnectionContext(names, prng(), hosts);
    a.learn('candidate:1 1 udp 1 10.0.0.1 1 typ host');
    expect(b.hosts.has('10.0.0.1')).toBe(true);
  });

  it('maps each original foundation to one fresh random one, distinct per original', () => {
    const c = ctx();
    const f = c.foundation('846687099');
    expect(f).toMatch(/^\d{1,10}$/);
    expect(+f).toBeLessThan(2 ** 32);
    expect(c.foundation('846687099')).toBe(f);
    expect(c.foundation('4089003057')).not.toBe(f);
    expect(ctx().foundation('846687099')).toBe(f); // same seed, same draw: determinism of the test source only
    expect(new ConnectionContext(new NameAllocator(prng()), prng(99)).foundation('846687099')).not.toBe(f);
  });

  it('draws again on a collision and gives up on a source that only repeats', () => {
    let calls = 0;
    const sticky = (b: Uint8Array) => b.fill(calls++ < 3 ? 7 : 8);
    const c = new ConnectionContext(new NameAllocator(prng()), sticky);
    expect(c.foundation('a')).toBe(String(0x07070707));
    expect(c.foundation('b')).toBe(String(0x08080808)); // two repeats, then a new value
    expect(() => c.foundation('c')).toThrow(/repeated/);
  });
});

describe('Foundations', () => {
  it('contexts that share a map show one original as one random foundation; a context of its own draws its own', () => {
    const names = new NameAllocator(prng());
    const shared = new Foundations(prng(5));
    const a = new ConnectionContext(names, shared);
    const b = new ConnectionContext(names, shared);
    expect(b.foundation('846687099')).toBe(a.foundation('846687099'));
    expect(b.foundation('4089003057')).not.toBe(a.foundation('846687099'));
    expect(new ConnectionContext(names, prng(6)).foundation('846687099')).not.toBe(a.foundation('846687099'));
  });

  it('is bounded: past MAX_FOUNDATIONS originals the map starts afresh', () => {
    const f = new Foundations(prng(7));
    const first = f.of('x0');
    for (let i = 1; i < MAX_FOUNDATIONS; i++) f.of('x' + i);
    expect(f.of('x0')).toBe(first);
    f.of('one-too-many');
    expect(f.of('x0')).not.toBe(first);
  });

  it('forgets what only a closed connection showed; an original two connections showed stays until both closed', () => {
    const names = new NameAllocator(prng());
    const f = new Foundations(prng(8));
    const a = new ConnectionContext(names, f, new HostAddresses(), 1);
    const b = new ConnectionContext(names, f, new HostAddresses(), 2);
    const shared = a.foundation('shared');
    expect(b.foundation('shared')).toBe(shared);
    a.foundation('only-a');
    const transport = f.of('transport-stats'); // connection 0: no owner
    expect(f.size).toBe(3);
    f.release(1);
    expect(f.size).toBe(2);
    expect(b.foundation('shared')).toBe(shared);
    f.release(2);
    expect(f.size).toBe(1);
    expect(f.of('transport-stats')).toBe(transport);
    f.release(2); // twice: nothing more
    f.release(9); // never seen
    expect(f.size).toBe(1);
  });

  it('under churn the map stays the size of the live connections', () => {
    const f = new Foundations(prng(9));
    for (let pc = 1; pc <= 5_000; pc++) {
      const ctx = new ConnectionContext(new NameAllocator(prng()), f, new HostAddresses(), pc);
      ctx.foundation(`host-${pc}`);
      ctx.foundation(`srflx-${pc}`);
      if (pc > 50) f.release(pc - 50);
    }
    expect(f.size).toBe(100);
  });

  it('when full, what no live connection showed goes first: a live connection keeps its foundations', () => {
    const f = new Foundations(prng(10));
    const live = new ConnectionContext(new NameAllocator(prng()), f, new HostAddresses(), 7);
    const kept = live.foundation('live-host');
    for (let i = 1; i < MAX_FOUNDATIONS; i++) f.of('transport-' + i); // connection 0
    expect(f.size).toBe(MAX_FOUNDATIONS);
    f.of('one-more');
    expect(f.size).toBe(2);
    expect(live.foundation('live-host')).toBe(kept);
  });
});
