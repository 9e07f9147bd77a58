import { describe, expect, it } from 'vitest';
import {
  ConnectionContext, isUuidV4LocalName, NameAllocator, parseCandidate, SCRUBBED_PORT, transformCandidate,
  type Mode, type TransformResult,
} from '../../../src/policy/index';
import { decide, filterExtensions, knownExtensions } from '../../../src/policy/transform';
import { newContext, prng } from './helpers';

const CHROMIUM = {
  host: 'candidate:846687099 1 udp 2122260223 198.51.100.10 39216 typ host generation 0 ufrag wurx network-id 1',
  srflx: 'candidate:4089003057 1 udp 1686052607 203.0.113.1 39216 typ srflx raddr 198.51.100.10 rport 39216 generation 0 ufrag wurx network-id 1',
  relay: 'candidate:2005027023 1 udp 58662911 203.0.113.2 49298 typ relay raddr 203.0.113.1 rport 39216 generation 0 ufrag wurx network-id 1',
  tcp: 'candidate:3437084655 1 tcp 1518280447 198.51.100.10 9 typ host tcptype active generation 0 ufrag wurx network-id 1',
};
const FIREFOX = {
  host: 'candidate:0 1 UDP 2122252543 198.51.100.10 58569 typ host',
  tcp: 'candidate:3 1 TCP 2105524479 198.51.100.10 9 typ host tcptype active',
  srflx: 'candidate:1 1 UDP 1686052863 203.0.113.1 58569 typ srflx raddr 198.51.100.10 rport 58569',
  relay: 'candidate:2 1 UDP 92217087 203.0.113.2 52546 typ relay raddr 203.0.113.2 rport 52546',
};
const MDNS = '3c4e7b9a-1f2d-4c5e-9a8b-7f6e5d4c3b2a.local';
const SRFLX_ONLY = { mode: 'srflx-only', lanNames: true } as const;
const RELAY_ONLY = { mode: 'relay-only', lanNames: true } as const;

const fields = (r: TransformResult) => {
  if (r.line === undefined) throw new Error('dropped: ' + r.reason);
  const p = parseCandidate(r.line);
  if (!p.ok) throw new Error('output does not parse: ' + r.line);
  return p.value;
};

describe('transformCandidate', () => {
  it('direct: every line unchanged, even unparsable ones (the browser produced them)', () => {
    const ctx = newContext();
    for (const l of [...Object.values(CHROMIUM), 'garbage', '']) {
      expect(transformCandidate(l, ctx, { mode: 'direct', lanNames: false })).toEqual({ action: 'keep', line: l, reason: 'direct' });
    }
  });

  it('off (and any unknown mode): drops everything, the end marker too', () => {
    for (const mode of ['off', 'bogus'] as Mode[]) {
      for (const l of [CHROMIUM.relay, '']) expect(transformCandidate(l, newContext(), { mode, lanNames: true })).toMatchObject({ action: 'drop', reason: 'off' });
    }
  });

  it('drops a non-string without throwing (a shim bug must not open the gate)', () => {
    expect(transformCandidate(null as unknown as string, newContext(), SRFLX_ONLY).reason).toBe('unparsable');
  });

  it('keeps the end-of-candidates marker and drops what does not parse (fail closed)', () => {
    expect(transformCandidate('', newContext(), SRFLX_ONLY)).toEqual({ action: 'keep', line: '', reason: 'end-of-candidates' });
    expect(transformCandidate('candidate:1 1 udp 1 198.51.100.10 1 typ host ', newContext(), SRFLX_ONLY)).toEqual({ action: 'drop', line: undefined, reason: 'unparsable' });
  });

  describe('srflx-only on real Chromium and Firefox output', () => {
    for (const [browser, set] of [['Chromium', CHROMIUM], ['Firefox', FIREFOX]] as const) {
      it(`${browser}: host → mDNS name, srflx/relay raddr → 0.0.0.0 ${SCRUBBED_PORT}, fresh foundations`, () => {
        const ctx = newContext();
        const out = Object.values(set).map((l) => transformCandidate(l, ctx, SRFLX_ONLY));
        expect(out.map((r) => r.action)).toEqual(['rewrite', 'rewrite', 'rewrite', 'rewrite']);
        const [a, b, c, d] = out.map(fields) as [ReturnType<typeof fields>, ReturnType<typeof fields>, ReturnType<typeof fields>, ReturnType<typeof fields>];
        const hosts = [a, b, c, d].filter((x) => x.type === 'host');
        expect(hosts).toHaveLength(2);
        expect(isUuidV4LocalName(hosts[0]!.address)).toBe(true);
        expect(hosts[1]!.address).toBe(hosts[0]!.address); // UDP and TCP share the interface: one name
        for (const x of [a, b, c, d]) {
          if (x.type !== 'host') expect([x.raddr, x.rport]).toEqual(['0.0.0.0', SCRUBBED_PORT]);
          expect(Object.values(set).join(' ')).not.toContain(x.foundation + ' 1 ');
        }
        expect(out.map((r) => r.line).join('\n')).not.toContain('198.51.100.10');
        expect(out.find((r) => r.line?.includes(' typ srflx'))?.line).toContain(' 203.0.113.1 ');
        expect(out.find((r) => r.line?.includes(' typ relay'))?.line).toContain(' 203.0.113.2 ');
      });
    }

    it('keeps transport case, ports (TCP active port 9 too), priority and known extensions in order', () => {
      const ctx = newContext();
      const tcp = fields(transformCandidate(CHROMIUM.tcp, ctx, SRFLX_ONLY));
      expect([tcp.transport, tcp.port, tcp.priority, tcp.ext]).toEqual(['tcp', '9', '1518280447', ' tcptype active generation 0 ufrag wurx network-id 1']);
      expect(fields(transformCandidate(FIREFOX.tcp, ctx, SRFLX_ONLY)).transport).toBe('TCP');
    });

    it('keeps the prefix form', () => {
      const ctx = newContext();
      expect(transformCandidate('a=' + FIREFOX.host, ctx, SRFLX_ONLY).line).toMatch(/^a=candidate:\d+ 1 UDP /);
      expect(transformCandidate(FIREFOX.host.slice(10), ctx, SRFLX_ONLY).line).toMatch(/^\d+ 1 UDP /);
    });

    it('gives one address one name, IPv4 and IPv6 different names, other sites other names', () => {
      const ctx = newContext();
      const n1 = fields(transformCandidate('candidate:1 1 udp 1 10.0.0.5 1 typ host', ctx, SRFLX_ONLY)).address;
      const n2 = fields(transformCandidate('candidate:2 1 udp 1 ::ffff:10.0.0.5 2 typ host', ctx, SRFLX_ONLY)).address;
      const n3 = fields(transformCandidate('candidate:3 1 udp 1 fd00::5 3 typ host', ctx, SRFLX_ONLY)).address;
      expect(n2).toBe(n1);
      expect(n3).not.toBe(n1);
      const other = new ConnectionContext(new NameAllocator(prng(2)), prng(2));
      expect(fields(transformCandidate('candidate:1 1 udp 1 10.0.0.5 1 typ host', other, SRFLX_ONLY)).address).not.toBe(n1);
    });

    it('re-randomises foundations consistently within one connection', () => {
      const ctx = newContext();
      const a = fields(transformCandidate('candidate:7 1 udp 1 10.0.0.5 1 typ host', ctx, SRFLX_ONLY)).foundation;
      const b = fields(transformCandidate('candidate:7 2 udp 1 10.0.0.5 2 typ host', ctx, SRFLX_ONLY)).foundation;
      const c = fields(transformCandidate('candidate:8 1 udp 1 10.0.0.6 3 typ host', ctx, SRFLX_ONLY)).foundation;
      expect(a).not.toBe('7');
      expect(b).toBe(a);
      expect(c).not.toBe(a);
    });

    it('keeps browser-generated mDNS host names, with a fresh foundation', () => {
      const r = transformCandidate(`candidate:1 1 udp 2122260223 ${MDNS} 54321 typ host generation 0 network-cost 999`, newContext(), SRFLX_ONLY);
      expect(r.reason).toBe('scrubbed');
      expect(fields(r)).toMatchObject({ address: MDNS, port: '54321', ext: ' generation 0 network-cost 999' });
    });

    it.each([
      ['a chosen .local name', 'printer.local'],
      ['an FQDN', 'host.example.com'],
      ['an inet_aton number', '2130706433'],
      ['a short dotted form', '10.1'],
    ])('drops host candidates with %s', (_, addr) => {
      expect(transformCandidate(`candidate:1 1 udp 1 ${addr} 1 typ host`, newContext(), SRFLX_ONLY).reason).toBe('bad-address');
    });

    it('LAN names off: drops every host candidate, browser-generated names too', () => {
      const opts = { mode: 'srflx-only', lanNames: false } as const;
      for (const l of [CHROMIUM.host, CHROMIUM.tcp, `candidate:1 1 udp 1 ${MDNS} 1 typ host`]) {
        expect(transformCandidate(l, newContext(), opts)).toMatchObject({ action: 'drop', reason: 'lan-names-off' });
      }
      expect(transformCandidate(CHROMIUM.srflx, newContext(), opts).action).toBe('rewrite');
    });

    it('scrubs raddr to the unspecified address of its own family, else of the candidate', () => {
      const r = (l: string) => fields(transformCandidate(l, newContext(), SRFLX_ONLY));
      expect(r('candidate:1 1 udp 1 2001:db8::7 1 typ srflx raddr fd00::1 rport 5').raddr).toBe('::');
      expect(r('candidate:1 1 udp 1 2001:db8::7 1 typ relay raddr 203.0.113.1 rport 5').raddr).toBe('0.0.0.0');
      expect(r(`candidate:1 1 udp 1 2001:db8::7 1 typ srflx raddr ${MDNS} rport 5`).raddr).toBe('::');
      expect(r(`candidate:1 1 udp 1 203.0.113.7 1 typ srflx raddr ${MDNS} rport 5`).raddr).toBe('0.0.0.0');
      expect(r('candidate:1 1 udp 1 203.0.113.7 1 typ srflx raddr 0.0.0.0 rport 0')).toMatchObject({ raddr: '0.0.0.0', rport: SCRUBBED_PORT });
      expect(r('candidate:1 1 udp 1 203.0.113.7 1 typ srflx rport 7')).toMatchObject({ raddr: undefined, rport: SCRUBBED_PORT });
      expect(r('candidate:1 1 udp 1 203.0.113.7 1 typ srflx')).toMatchObject({ raddr: undefined, rport: undefined });
      expect(r(`candidate:1 1 udp 1 ${MDNS} 1 typ host raddr 10.0.0.1 rport 1`)).toMatchObject({ raddr: '0.0.0.0', rport: SCRUBBED_PORT });
    });

    it('drops a srflx/prflx whose address is a host address, in any spelling (no NAT, STUN on the LAN)', () => {
      const ctx = newContext();
      transformCandidate('candidate:1 1 udp 1 198.51.100.10 1 typ host', ctx, SRFLX_ONLY);
      for (const a of ['198.51.100.10', '::ffff:198.51.100.10', '::FFFF:C633:640A']) {
        for (const t of ['srflx', 'prflx', 'relay']) {
          expect(transformCandidate(`candidate:2 1 udp 1 ${a} 2 typ ${t} raddr 0.0.0.0 rport 0`, ctx, SRFLX_ONLY).reason).toBe('host-address');
        }
      }
    });

    it('learns from raddr before deciding: a srflx that arrives before its host is still judged', () => {
      const ctx = newContext();
      // No NAT: the reflexive address is the base itself.
      expect(transformCandidate('candidate:2 1 udp 1 198.51.100.10 1 typ srflx raddr 198.51.100.10 rport 1', ctx, SRFLX_ONLY).reason).toBe('host-address');
      expect(transformCandidate('candidate:3 1 udp 1 198.51.100.10 2 typ prflx raddr 0.0.0.0 rport 0', ctx, SRFLX_ONLY).reason).toBe('host-address');
      // A relay's raddr is its mapped address, not a host address: the srflx on it must survive.
      const ctx2 = newContext();
      transformCandidate(CHROMIUM.relay, ctx2, SRFLX_ONLY);
      expect(transformCandidate('candidate:4 1 udp 1 203.0.113.1 3 typ srflx raddr 0.0.0.0 rport 0', ctx2, SRFLX_ONLY).action).toBe('rewrite');
    });

    it('learns host addresses fed in ahead of time (the shim feeds every raw host candidate first)', () => {
      const ctx = newContext();
      ctx.learn('candidate:1 1 udp 1 2001:db8::10 1 typ host');
      expect(transformCandidate('candidate:2 1 udp 1 2001:0db8:0000:0000:0000:0000:0000:0010 5 typ srflx raddr 0.0.0.0 rport 0', ctx, SRFLX_ONLY).reason).toBe('host-address');
    });

    it.each([
      ['loopback', '127.0.0.1'], ['private', '192.168.1.2'], ['link-local', '169.254.3.4'], ['CGNAT', '100.64.0.1'],
      ['unspecified', '0.0.0.0'], ['multicast', '224.0.0.251'], ['reserved', '255.255.255.255'], ['ULA', 'fd00::1'],
      ['IPv6 link-local', 'fe80::1'], ['IPv6 loopback', '::1'], ['IPv6 unspecified', '::'], ['mapped private', '::ffff:10.0.0.1'],
    ])('drops non-host candidates on a %s address', (_, a) => {
      for (const t of ['srflx', 'prflx', 'relay']) {
        expect(transformCandidate(`candidate:1 1 udp 1 ${a} 1 typ ${t} raddr 0.0.0.0 rport 0`, newContext(), SRFLX_ONLY).reason).toBe('local-address');
      }
    });

    it('drops non-host candidates on names (browsers never emit them, RFC 8839 §5.1)', () => {
      for (const a of [MDNS, 'turn.example.com', '3325256714']) {
        expect(transformCandidate(`candidate:1 1 udp 1 ${a} 1 typ relay raddr 0.0.0.0 rport 0`, newContext(), SRFLX_ONLY).reason).toBe('bad-address');
      }
    });

    it('keeps public prflx candidates (srflx-only reveals public addresses)', () => {
      expect(fields(transformCandidate('candidate:1 1 udp 1 203.0.113.50 1 typ prflx raddr 10.0.0.1 rport 1', newContext(), SRFLX_ONLY)))
        .toMatchObject({ type: 'prflx', address: '203.0.113.50', raddr: '0.0.0.0' });
    });

    it('keeps only known extensions with well-formed values (others could carry addresses)', () => {
      const l = 'candidate:1 1 udp 1 203.0.113.7 1 typ srflx raddr 10.0.0.1 rport 1 generation 0 x-addr 10.0.0.1 ufrag wurx network-id 1 ' +
        'network-cost 999 tcptype active ufrag a.b network-id x generation 10.0.0.1 tcptype up network-name eth0 raddr 10.0.0.1';
      expect(fields(transformCandidate(l, newContext(), SRFLX_ONLY)).ext).toBe(' generation 0 ufrag wurx network-id 1 network-cost 999 tcptype active');
    });
  });

  describe('relay-only', () => {
    it('drops everything but relay candidates and scrubs the relay raddr (the mapped public address)', () => {
      for (const set of [CHROMIUM, FIREFOX]) {
        const ctx = newContext();
        const out = Object.values(set).map((l) => transformCandidate(l, ctx, RELAY_ONLY));
        expect(out.filter((r) => r.action !== 'drop')).toHaveLength(1);
        expect(out.filter((r) => r.reason === 'not-relay')).toHaveLength(3);
        const relay = fields(out.find((r) => r.action !== 'drop')!);
        expect([relay.type, relay.raddr, relay.rport]).toEqual(['relay', '0.0.0.0', SCRUBBED_PORT]);
        expect(out.map((r) => r.line).join(' ')).not.toMatch(/198\.51\.100\.10|203\.0\.113\.1\b/);
      }
    });

    it('still drops relay candidates on local or host addresses', () => {
      const ctx = newContext();
      ctx.learn('candidate:1 1 udp 1 203.0.113.9 1 typ host');
      expect(transformCandidate('candidate:1 1 udp 1 10.1.2.3 1 typ relay raddr 0.0.0.0 rport 0', ctx, RELAY_ONLY).reason).toBe('local-address');
      expect(transformCandidate('candidate:1 1 udp 1 203.0.113.9 1 typ relay raddr 0.0.0.0 rport 0', ctx, RELAY_ONLY).reason).toBe('host-address');
    });
  });

  it('keeps a tail of known pairs whole at once, exactly as the pair-by-pair filter would', () => {
    const pairs = [
      ' generation 0', ' generation 4294967295', ' generation 12345678901', ' network-id 1', ' network-cost 999', ' network-cost x',
      ' ufrag wurx', ' ufrag a+b/C9', ` ufrag ${'u'.repeat(256)}`, ` ufrag ${'u'.repeat(257)}`, ' ufrag a.b', ' tcptype active',
      ' tcptype so', ' tcptype up', ' tcptype activex', ' x-addr 10.0.0.1', ' network-name eth0', ' generation', ' ufrag',
    ];
    const random = prng(7);
    const byte = new Uint8Array(1);
    let whole = 0;
    for (let i = 0; i < 2000; i++) {
      let ext = '';
      random(byte);
      for (let k = byte[0]! % 6; k > 0; k--) {
        random(byte);
        ext += pairs[byte[0]! % pairs.length];
      }
      expect(knownExtensions(ext), ext).toBe(filterExtensions(ext));
      if (knownExtensions(ext) === ext) whole++;
    }
    expect(whole).toBeGreaterThan(100); // the fast path was taken, not only the filter
  });

  it('filters extensions robustly even when handed a malformed tail directly', () => {
    const p = parseCandidate('candidate:1 1 udp 1 203.0.113.7 1 typ srflx generation 0');
    if (!p.ok) throw new Error('fixture');
    const r = decide({ ...p.value, ext: ' generation 0 ufrag' }, '', newContext(), SRFLX_ONLY);
    expect(r.line).toMatch(/ typ srflx generation 0$/);
  });

  it('reports "unchanged" when the rewritten line is identical', () => {
    const zero = (b: Uint8Array) => b.fill(0); // foundation 0
    const ctx = new ConnectionContext(new NameAllocator(prng()), zero);
    const l = `candidate:0 1 udp 1 ${MDNS} 1 typ host generation 0`;
    expect(transformCandidate(l, ctx, SRFLX_ONLY)).toMatchObject({ action: 'keep', line: l, reason: 'unchanged' });
  });

  it('hands the line it shows back parsed, equal to parsing that line (callers do not parse it again)', () => {
    const lines = [...Object.values(CHROMIUM), ...Object.values(FIREFOX), `a=candidate:0 1 udp 1 ${MDNS} 1 typ host generation 0`];
    let compared = 0;
    for (const opts of [SRFLX_ONLY, RELAY_ONLY]) {
      const ctx = newContext();
      for (const l of lines) {
        const r = transformCandidate(l, ctx, opts);
        if (r.action === 'drop') continue;
        expect(r.candidate, `${opts.mode}: ${l}`).toEqual(fields(r));
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(lines.length); // srflx-only shows every line: all were compared
  });

  it('drops (fail closed) when the name source or the random source fails', () => {
    const broken = new ConnectionContext({ nameFor: () => { throw new Error('no names'); } }, prng());
    expect(transformCandidate(CHROMIUM.host, broken, SRFLX_ONLY)).toEqual({ action: 'drop', line: undefined, reason: 'internal-error' });
    const repeating = new ConnectionContext(new NameAllocator(prng()), (b) => b.fill(1));
    expect(transformCandidate(CHROMIUM.srflx, repeating, SRFLX_ONLY).action).toBe('rewrite');
    expect(transformCandidate(CHROMIUM.relay, repeating, SRFLX_ONLY).reason).toBe('internal-error');
  });
});
