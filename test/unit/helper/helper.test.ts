// The LAN helper's pure parts: native-messaging framing (fuzzed), the registry's rules (only UUIDv4
// `.local` names, only this machine's addresses, caps, expiry), and the request handler.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameReader, MAX_MESSAGE } from '../../../helper/framing';
import { handle, localAddresses, MAX_RESOLVING } from '../../../helper/host';
import { MAX_INTERFACES, NAME_LIFETIME_MS } from '../../../src/shared/helper-protocol';
import { CAPS, Registry, type Entry } from '../../../helper/registry';
import { parseArgs } from '../../../helper/install';

const NAME = (i: number) => `${i.toString(16).padStart(8, '0')}-1111-4111-8111-111111111111.local`;
const LOCAL4 = '198.51.100.10';
const LOCAL6 = '2001:db8:10::a';
const local = () => new Set([LOCAL4, LOCAL6]);

describe('framing', () => {
  it('reads frames split anywhere and glued together (fuzzed), in order', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { minLength: 1, maxLength: 8 }), fc.array(fc.nat(64), { maxLength: 20 }), (messages, cuts) => {
        const all = Buffer.concat(messages.map(encodeFrame));
        const r = new FrameReader();
        const got: unknown[] = [];
        let at = 0;
        for (const c of cuts) {
          const end = Math.min(all.length, at + c);
          for (const f of r.push(all.subarray(at, end))) got.push(f.ok ? f.value : f);
          at = end;
        }
        for (const f of r.push(all.subarray(at))) got.push(f.ok ? f.value : f);
        expect(got).toEqual(messages.map((m) => JSON.parse(JSON.stringify(m))));
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('refuses an oversized message, skips exactly its bytes, and reads the next one', () => {
    const r = new FrameReader();
    const head = Buffer.alloc(4);
    head.writeUInt32LE(MAX_MESSAGE + 10, 0);
    const out = [...r.push(head), ...r.push(Buffer.alloc(MAX_MESSAGE)), ...r.push(Buffer.concat([Buffer.alloc(10), encodeFrame({ type: 'hello' })]))];
    expect(out).toEqual([{ ok: false, error: expect.stringContaining('refused') }, { ok: true, value: { type: 'hello' } }]);
  });

  it('a frame that is not JSON is an error, and the stream goes on', () => {
    const bad = Buffer.from('{nope', 'utf8');
    const head = Buffer.alloc(4);
    head.writeUInt32LE(bad.length, 0);
    expect(new FrameReader().push(Buffer.concat([head, bad, encodeFrame(1)]))).toEqual([{ ok: false, error: 'message is not JSON' }, { ok: true, value: 1 }]);
  });

  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        new FrameReader().push(Buffer.from(bytes));
      }),
      { seed: 8, numRuns: 300 },
    );
  });
});

describe('registry', () => {
  it('registers only UUIDv4 .local names for this machine\'s addresses', () => {
    const r = new Registry(local);
    expect(r.register(NAME(1), LOCAL4, 1, 's')).toMatchObject({ ok: true, value: { fresh: true, entry: { address: LOCAL4, family: 4 } } });
    expect(r.register('printer.local', LOCAL4, 1, 's')).toEqual({ ok: false, error: 'not-a-uuid-name' });
    expect(r.register(NAME(1).replace('-4111-', '-1111-'), LOCAL4, 1, 's')).toEqual({ ok: false, error: 'not-a-uuid-name' }); // version 1, not 4
    expect(r.register(NAME(2), '198.51.100.20', 1, 's')).toEqual({ ok: false, error: 'not-this-machine' });
    expect(r.register(NAME(2), '127.0.0.1', 1, 's')).toEqual({ ok: false, error: 'not-this-machine' });
    expect(r.register(NAME(2), 'example.com', 1, 's')).toEqual({ ok: false, error: 'not-an-address' });
    expect(r.register(NAME(2), 42, 1, 's')).toEqual({ ok: false, error: 'not-an-address' });
    // Another spelling of a local address counts; the entry keeps the canonical one.
    expect(r.register(NAME(3), '2001:DB8:10:0::A', 1, 's')).toMatchObject({ ok: true, value: { entry: { address: LOCAL6, family: 6 } } });
    // A taken name keeps its address; the same pair renews.
    expect(r.register(NAME(1), LOCAL6, 2, 's')).toEqual({ ok: false, error: 'name-taken' });
    expect(r.register(NAME(1).toUpperCase().replace('.LOCAL', '.local'), LOCAL4, 2, 's')).toMatchObject({ ok: true, value: { fresh: false } });
    expect(r.lookup(NAME(1).toUpperCase())?.address).toBe(LOCAL4);
  });

  it('caps names per tab, per site and in all', () => {
    const r = new Registry(local);
    for (let i = 0; i < CAPS.perTab; i++) expect(r.register(NAME(i), LOCAL4, 1, 'a').ok).toBe(true);
    expect(r.register(NAME(1000), LOCAL4, 1, 'a')).toEqual({ ok: false, error: 'tab-full' });
    for (let i = CAPS.perTab; i < CAPS.perSite; i++) expect(r.register(NAME(i), LOCAL4, 2, 'a').ok).toBe(true);
    expect(r.register(NAME(1001), LOCAL4, 3, 'a')).toEqual({ ok: false, error: 'site-full' });
    expect(r.register(NAME(1002), LOCAL4, 3, 'b').ok).toBe(true);
  });

  it('a name used by several tabs of its site goes only when the last of them closes', () => {
    const r = new Registry(local);
    r.register(NAME(1), LOCAL4, 1, 'a');
    expect(r.register(NAME(1), LOCAL4, 2, 'a')).toMatchObject({ ok: true, value: { fresh: false } });
    expect(r.release(1, undefined)).toEqual([]);
    expect(r.lookup(NAME(1))?.address).toBe(LOCAL4); // tab 2 still shows it to its peers
    expect(r.release(2, undefined).map((e) => e.name)).toEqual([NAME(1)]);
    // A second tab counts against its own cap too.
    for (let i = 0; i < CAPS.perTab; i++) r.register(NAME(100 + i), LOCAL4, 3, 'b');
    r.register(NAME(200), LOCAL4, 4, 'b');
    expect(r.register(NAME(200), LOCAL4, 3, 'b')).toEqual({ ok: false, error: 'tab-full' });
    // Without a tab, a site's names all go.
    expect(r.release(undefined, 'b').length).toBe(CAPS.perTab + 1);
  });

  it('expires names, forgets by tab or site, and drops names whose address left the machine', () => {
    let now = 1_000_000;
    let addresses = local();
    const r = new Registry(() => addresses, () => now);
    r.register(NAME(1), LOCAL4, 1, 'a');
    r.register(NAME(2), LOCAL6, 2, 'b');
    r.register(NAME(3), LOCAL4, 2, 'a');
    expect(r.release(1, undefined).map((e) => e.name)).toEqual([NAME(1)]);
    addresses = new Set([LOCAL4]);
    expect(r.sweep().map((e) => e.name)).toEqual([NAME(2)]);
    now += NAME_LIFETIME_MS;
    expect(r.lookup(NAME(3))).toBeUndefined();
    expect(r.size).toBe(0);
  });
});

describe('requests', () => {
  const fakeMdns = () => {
    const seen = { announced: [] as string[], goodbyes: [] as string[] };
    return {
      seen,
      mdns: {
        announce: (e: Entry) => void seen.announced.push(e.name),
        goodbye: (e: Entry) => void seen.goodbyes.push(e.name),
        resolve: async () => ['198.51.100.10'],
        stats: { answered: 0, unicast: 0, ignored: 0, sendErrors: 0 },
      },
    };
  };

  it('register announces new names once, lists refusals; unregister and forget say goodbye', async () => {
    const r = new Registry(local);
    const { mdns, seen } = fakeMdns();
    const reply = await handle({ type: 'register', id: 7, tab: 3, site: 'https://a.example', names: [{ name: NAME(1), address: LOCAL4 }, { name: NAME(2), address: '203.0.113.9' }, 'junk'] }, r, mdns);
    expect(reply).toEqual({ type: 'registered', id: 7, accepted: [NAME(1)], refused: [{ name: NAME(2), reason: 'not-this-machine' }, { name: '', reason: 'not-a-uuid-name' }] });
    await handle({ type: 'register', tab: 3, site: 'https://a.example', names: [{ name: NAME(1), address: LOCAL4 }] }, r, mdns);
    expect(seen.announced).toEqual([NAME(1)]); // a renewal is not announced again
    await handle({ type: 'register', tab: 4, site: 'https://b.example', names: [{ name: NAME(3), address: LOCAL6 }] }, r, mdns);
    expect(await handle({ type: 'forget', tab: 3 }, r, mdns)).toEqual({ type: 'removed', names: [NAME(1)] });
    expect(await handle({ type: 'unregister', names: [NAME(3).toUpperCase()] }, r, mdns)).toEqual({ type: 'removed', names: [NAME(3)] });
    expect(seen.goodbyes).toEqual([NAME(1), NAME(3)]);
  });

  it('resolve: only UUIDv4 names, only this machine\'s addresses, never one of IceGuard\'s own names', async () => {
    const r = new Registry(local);
    const lan = { ...fakeMdns().mdns, resolve: async (name: string) => (name === NAME(1) ? [LOCAL4] : ['203.0.113.50']) };
    expect(await handle({ type: 'resolve', id: 1, name: NAME(1).toUpperCase() }, r, lan)).toEqual({ type: 'resolved', id: 1, name: NAME(1), addresses: [LOCAL4] });
    // Another host's answer is not passed on: a page must not learn LAN addresses through the helper.
    expect(await handle({ type: 'resolve', id: 2, name: NAME(2) }, r, lan)).toEqual({ type: 'resolved', id: 2, name: NAME(2), addresses: [] });
    expect((await handle({ type: 'resolve', name: 'printer.local' }, r, lan)).type).toBe('error');
    await handle({ type: 'register', tab: 1, site: 's', names: [{ name: NAME(1), address: LOCAL4 }] }, r, lan);
    expect(await handle({ type: 'resolve', name: NAME(1) }, r, lan)).toEqual({ type: 'resolved', name: NAME(1), addresses: [] });
  });

  it('resolve: at most MAX_RESOLVING lookups at once; the rest get an error, and the count recovers', async () => {
    const r = new Registry(local);
    const release: Array<() => void> = [];
    const slow = { ...fakeMdns().mdns, resolve: () => new Promise<string[]>((ok) => release.push(() => ok([LOCAL4]))) };
    const running = Array.from({ length: MAX_RESOLVING }, (_, i) => handle({ type: 'resolve', name: NAME(10 + i) }, r, slow));
    expect(await handle({ type: 'resolve', name: NAME(99) }, r, slow)).toMatchObject({ type: 'error', error: expect.stringMatching(/busy/) });
    for (const go of release) go();
    for (const reply of await Promise.all(running)) expect(reply).toMatchObject({ type: 'resolved', addresses: [LOCAL4] });
    expect(await handle({ type: 'resolve', name: NAME(99) }, r, { ...fakeMdns().mdns })).toMatchObject({ type: 'resolved' });
  });

  it('interfaces: this machine\'s addresses now, as the registry sees them, bounded', async () => {
    const { mdns } = fakeMdns();
    let now = local();
    const r = new Registry(() => now);
    expect(await handle({ type: 'interfaces', id: 5 }, r, mdns)).toEqual({ type: 'interfaces', id: 5, addresses: [LOCAL4, LOCAL6] });
    now = new Set(Array.from({ length: MAX_INTERFACES + 5 }, (_, i) => `2001:db8::${(i + 1).toString(16)}`));
    const many = (await handle({ type: 'interfaces' }, r, mdns)) as { addresses: string[] };
    expect(many.addresses).toHaveLength(MAX_INTERFACES);
    expect(many.addresses).toEqual([...now].slice(0, MAX_INTERFACES));
    // The real list: canonical addresses, no loopback (no browser gathers on it).
    expect([...localAddresses()].every((a) => a !== '127.0.0.1' && a !== '::1' && !a.includes('%'))).toBe(true);
  });

  it('answers bad requests with errors, never throws', async () => {
    const r = new Registry(local);
    const { mdns } = fakeMdns();
    for (const bad of [null, 3, 'x', [], {}, { type: 'nope' }, { type: 'register' }, { type: 'register', names: Array(65).fill({}) }, { type: 'forget' }, { type: 'resolve', name: 'x.local' }, { type: 'unregister', names: 'x' }]) {
      expect((await handle(bad, r, mdns)).type).toBe('error');
    }
    expect(await handle({ type: 'hello', id: 'a' }, r, mdns)).toMatchObject({ type: 'hello', id: 'a', version: 1 });
  });
});

describe('install arguments', () => {
  it('defaults to every browser for this user; refuses what it does not know', () => {
    expect(parseArgs(['install'])).toMatchObject({ command: 'install', options: { browsers: ['chrome', 'chromium', 'firefox'], system: false } });
    expect(parseArgs(['status', '--browser', 'firefox', '--system']).options).toMatchObject({ browsers: ['firefox'], system: true });
    expect(() => parseArgs(['install', '--browser', 'safari'])).toThrow(/--browser/);
    expect(() => parseArgs(['install', '--system', '--profile-dir', '/tmp/x'])).toThrow(/exclude/);
    expect(() => parseArgs(['install', '--bogus'])).toThrow(/unknown option/);
  });
});
