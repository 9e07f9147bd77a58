// The relay's answers to the page shim (src/content/page-requests.ts): every request is untrusted,
// and whatever comes back must hold no host address in any mode but direct.
import { describe, expect, it } from 'vitest';
import { addressKey, HostAddresses, NameAllocator, type Mode, type NameSource } from '../../src/policy';
import { Activity, PageRequests } from '../../src/content/page-requests';
import type { SiteView } from '../../src/content/site-state';

const random = (b: Uint8Array) => void crypto.getRandomValues(b);
const HOST4 = '198.51.100.10';
const HOST6 = '2001:db8:10::a';

/** A site whose background already allocated names for `named` addresses. */
function site(mode: Mode | null, named: string[] = [HOST4, HOST6]): SiteView & { requested: string[] } {
  const alloc = new NameAllocator(random);
  for (const a of named) alloc.nameFor(a);
  const lookup = (a: string) => {
    const key = addressKey(a);
    return key === undefined ? undefined : alloc.entries()[key];
  };
  const requested: string[] = [];
  const names: NameSource = {
    nameFor: (a) => {
      const n = lookup(a);
      if (n === undefined) throw new Error('pending');
      return n;
    },
  };
  return {
    mode,
    lanNames: true,
    hosts: new HostAddresses(),
    names,
    hasName: (a) => lookup(a) !== undefined,
    request: (a) => void requested.push(a),
    requested,
    resolving: false,
    ownAddress: () => null,
    confirmed: true,
    warm: () => undefined,
    addressOf: (name) => {
      const entries = alloc.entries();
      for (const key of Object.keys(entries)) if (entries[key] === name.toLowerCase()) return key;
      return undefined;
    },
  };
}

/** A stats request as the shim sends it: the entries as JSON text. */
const statsOf = (pc: number, entries: object) => ({ t: 'stats' as const, pc, entries: JSON.stringify(entries) });
/** A stats answer's entries, each parsed as the shim parses it (throws for any other answer). */
function entriesOf(out: ReturnType<PageRequests['handle']>): Record<string, Record<string, unknown>> {
  if (out.t !== 'stats' || out.pending) throw new Error(`not a stats answer: ${JSON.stringify(out)}`);
  return Object.fromEntries(Object.entries(out.entries).map(([id, json]) => [id, JSON.parse(json) as Record<string, unknown>]));
}
const cand = (candidate: string) => ({ candidate, sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'abcd' });
const HOST_LINE = `candidate:846687099 1 udp 2122260223 ${HOST4} 39216 typ host generation 0 ufrag wurx network-id 1`;
const SRFLX_LINE = `candidate:4089003057 1 udp 1686052607 203.0.113.1 39216 typ srflx raddr ${HOST4} rport 39216 generation 0 ufrag wurx network-id 1`;

describe('mode', () => {
  it('warms the site up: the page asks the mode at its first connection, and the names it will need are fetched now', () => {
    const s = site('srflx-only');
    let warmed = 0;
    s.warm = () => void warmed++;
    expect(new PageRequests(s).handle({ t: 'mode' })).toEqual({ t: 'mode', mode: 'srflx-only', resolve: false });
    expect(warmed).toBe(1);
  });
});

describe('candidates', () => {
  it('is pending until the mode is known, then rewrites host addresses to the site\'s names', () => {
    const s = site(null);
    const r = new PageRequests(s);
    expect(r.handle({ t: 'candidate', pc: 1, item: cand(HOST_LINE) })).toEqual({ t: 'candidate', pending: true });
    (s as { mode: Mode | null }).mode = 'srflx-only';
    const out = r.handle({ t: 'candidate', pc: 1, item: cand(HOST_LINE) });
    expect(out.t === 'candidate' && !out.pending && out.item?.candidate).toMatch(/ [0-9a-f-]{36}\.local 39216 typ host/);
    expect(JSON.stringify(out.t === 'candidate' && !out.pending && out.item)).not.toContain(HOST4);
  });

  it('folds the remote check in: a named host line comes with what the browser gets if the page adds it back (issue #15)', () => {
    const s = site('srflx-only');
    const r = new PageRequests(s);
    const out = r.handle({ t: 'candidate', pc: 1, item: cand(HOST_LINE) });
    if (out.t !== 'candidate' || out.pending || !out.item) throw new Error('no candidate');
    const name = / ([0-9a-f-]{36}\.local) /.exec(out.item.candidate)![1]!;
    // What a `remote` request for the same line answers, now: the same resolution.
    const asked = r.handle({ t: 'remote', pc: 2, candidate: out.item.candidate });
    expect(asked).toEqual({ t: 'remote', allow: true, candidate: out.item.candidate.replace(name, HOST4) });
    expect(out.back).toBe(out.item.candidate.replace(name, HOST4));
    // An IPv6 address, as the browser spells it or not: the same answer as the `remote` request.
    for (const spelling of [HOST6, '2001:0db8:0010::000a']) {
      const v6 = r.handle({ t: 'candidate', pc: 3, item: cand(HOST_LINE.replace(HOST4, spelling)) });
      if (v6.t !== 'candidate' || v6.pending || !v6.item) throw new Error('no candidate');
      const again = r.handle({ t: 'remote', pc: 4, candidate: v6.item.candidate });
      expect(again.t === 'remote' && again.allow && again.candidate).toBe(v6.back);
      expect(v6.back).toContain(HOST6);
    }
    // Not where the page gets names only (no site names resolve there), and not for a reflexive line.
    (s as { lanNames: boolean }).lanNames = false;
    const unnamed = r.handle({ t: 'candidate', pc: 1, item: cand(HOST_LINE) });
    expect(unnamed.t === 'candidate' && !unnamed.pending && unnamed.back).toBeFalsy();
    (s as { lanNames: boolean }).lanNames = true;
    const srflx = r.handle({ t: 'candidate', pc: 1, item: cand(SRFLX_LINE) });
    expect(srflx.t === 'candidate' && !srflx.pending && srflx.item !== null).toBe(true);
    expect(srflx.t === 'candidate' && !srflx.pending && srflx.back).toBeUndefined();
  });

  it('keeps a srflx candidate with its related address scrubbed', () => {
    const out = new PageRequests(site('srflx-only')).handle({ t: 'candidate', pc: 1, item: cand(SRFLX_LINE) });
    expect(out.t === 'candidate' && !out.pending && out.item?.candidate).toContain(' 203.0.113.1 39216 typ srflx raddr 0.0.0.0 rport 9');
  });

  it('holds a host candidate whose name has not arrived, and asks the background for it', () => {
    const s = site('srflx-only', []);
    const out = new PageRequests(s).handle({ t: 'candidate', pc: 1, item: cand(HOST_LINE) });
    expect(out).toEqual({ t: 'candidate', pending: true });
    expect(s.requested).toEqual([HOST4]);
  });

  it('prefetch: a queued host candidate\'s name is asked for at once, with nothing counted or released', () => {
    const s = site('srflx-only', []);
    const activity = new Activity(() => undefined);
    const r = new PageRequests(s, activity);
    expect(r.handle({ t: 'prefetch', pc: 1, item: cand(HOST_LINE) })).toEqual({ t: 'ok' });
    expect(s.requested).toEqual([HOST4]);
    expect(activity.take()?.candidatesHidden ?? 0).toBe(0);
    // Not a host address, or not a candidate at all: nothing asked.
    r.handle({ t: 'prefetch', pc: 1, item: cand(SRFLX_LINE) });
    r.handle({ t: 'prefetch', pc: 1, item: 'junk' });
    expect(s.requested).toEqual([HOST4]);
  });

  it('refuses what is not a candidate object (untrusted input), naming the field, and keeps direct as it is', () => {
    const r = new PageRequests(site('srflx-only'));
    const none = { sdpMid: '0', sdpMLineIndex: 0, usernameFragment: null };
    const cases: Array<[unknown, string]> = [
      [null, 'item is not an object'],
      [7, 'item is not an object'],
      ['x', 'item is not an object'],
      [{}, 'item.candidate is missing'],
      [{ ...none, candidate: 5 }, 'item.candidate is not a string'],
      [{ ...none, candidate: HOST_LINE, sdpMLineIndex: -1 }, 'item.sdpMLineIndex is not between 0 and 65535'],
      [{ ...none, candidate: HOST_LINE, extra: 1 }, 'item.extra is not expected here'],
    ];
    for (const [item, error] of cases) expect(r.handle({ t: 'candidate', pc: 1, item })).toEqual({ t: 'error', error });
    const d = new PageRequests(site('direct')).handle({ t: 'candidate', pc: 1, item: cand(HOST_LINE) });
    expect(d.t === 'candidate' && !d.pending && d.item?.candidate).toBe(HOST_LINE);
  });

  it('answers bad requests with an error, not an exception', () => {
    const r = new PageRequests(site('srflx-only'));
    for (const q of [null, 1, 'mode', [], { t: 'nope' }, { t: 'candidate' }]) expect(() => r.handle(q)).not.toThrow();
    expect(r.handle({ t: 'nope' })).toEqual({ t: 'error', error: 'unknown request "nope"' });
    expect(r.handle({ t: 'candidate' })).toEqual({ t: 'error', error: 'pc is missing' });
    expect(r.handle({ t: 'sdp', pc: 1.5, sdp: '' })).toEqual({ t: 'error', error: 'pc is not a whole number' });
    expect(r.handle({ t: 'mode', pc: 1 })).toEqual({ t: 'error', error: 'pc is not expected here' });
  });
});

describe('SDP', () => {
  const sdp = ['v=0', 'm=application 39216 UDP/DTLS/SCTP webrtc-datachannel', `c=IN IP4 ${HOST4}`, `a=candidate:846687099 1 udp 2122260223 ${HOST4} 39216 typ host`, ''].join('\r\n');
  it('is the strictest rewrite while the mode is unknown', () => {
    const out = new PageRequests(site(null)).handle({ t: 'sdp', pc: 1, sdp });
    expect(out.t === 'sdp' && out.sdp).not.toContain(HOST4);
    expect(out.t === 'sdp' && out.sdp).not.toContain('a=candidate');
  });
  it('uses the same name as the trickled candidate', () => {
    const r = new PageRequests(site('srflx-only'));
    const c = r.handle({ t: 'candidate', pc: 1, item: cand(HOST_LINE) });
    const name = c.t === 'candidate' && !c.pending ? c.item!.candidate.split(' ')[4] : '';
    const out = r.handle({ t: 'sdp', pc: 1, sdp });
    expect(out.t === 'sdp' && out.sdp).toContain(`${name} 39216 typ host`);
    expect(out.t === 'sdp' && out.sdp).not.toContain(HOST4);
  });
});

describe('stats', () => {
  // Shapes as Chromium 156 reports them with raw host addresses (camera permission).
  const report = {
    L1: { id: 'L1', type: 'local-candidate', address: HOST4, port: 39216, protocol: 'udp', candidateType: 'host', priority: 2122260223, url: '' },
    L2: { id: 'L2', type: 'local-candidate', address: '203.0.113.1', port: 39216, protocol: 'udp', candidateType: 'srflx', relatedAddress: HOST4, relatedPort: 39216, url: 'stun:203.0.113.2:3478' },
    L3: { id: 'L3', type: 'local-candidate', address: '203.0.113.2', port: 50000, protocol: 'udp', candidateType: 'relay', relatedAddress: '203.0.113.1', relatedPort: 39216 },
    R1: { id: 'R1', type: 'remote-candidate', address: HOST4, port: 41000, protocol: 'udp', candidateType: 'prflx' },
    R2: { id: 'R2', type: 'remote-candidate', address: '192.168.1.7', port: 41000, protocol: 'udp', candidateType: 'host' },
    P1: { id: 'P1', type: 'candidate-pair', localCandidateId: 'L1', remoteCandidateId: 'R1', state: 'succeeded' },
    T1: { id: 'T1', type: 'transport', note: `selected via ${HOST4}` },
  };

  it('is pending until the mode is known', () => {
    expect(new PageRequests(site(null)).handle(statsOf(1, report))).toEqual({ t: 'stats', pending: true });
  });

  it('srflx-only: local host -> name, raddr scrubbed, our own address as a remote prflx -> its name, private remotes left out', () => {
    const s = site('srflx-only');
    const out = new PageRequests(s).handle(statsOf(1, report));
    expect(out.t === 'stats' && !out.pending).toBe(true);
    const e = entriesOf(out);
    expect(JSON.stringify(e)).not.toContain(HOST4);
    expect(e.L1!.address).toMatch(/\.local$/);
    expect(e.L2).toMatchObject({ address: '203.0.113.1', relatedAddress: '0.0.0.0', relatedPort: 9 });
    expect(e.R1!.address).toBe(e.L1!.address);
    expect(e.R2).toBeUndefined();
    expect(e.P1).toEqual(report.P1);
    expect(e.T1!.note).toBe('selected via 0.0.0.0');
  });

  it('relay-only: only relay local candidates remain, with the mapped address scrubbed', () => {
    const out = new PageRequests(site('relay-only')).handle(statsOf(1, report));
    const e = entriesOf(out);
    // L1 stays because the pair P1 points at it, with nothing of its address; L2 goes.
    expect(Object.keys(e).filter((k) => k.startsWith('L'))).toEqual(['L1', 'L3']);
    expect(e.L1).toEqual({ id: 'L1', type: 'local-candidate', protocol: 'udp', candidateType: 'host', priority: 2122260223 });
    expect(JSON.stringify(e)).not.toContain('203.0.113.1');
    expect(JSON.stringify(e)).not.toContain(HOST4);
  });

  it('a remote entry listed before the local one that teaches its address is still named, and the order is kept', () => {
    const { R1, ...rest } = report;
    const remoteFirst = { R1, ...rest };
    const e = entriesOf(new PageRequests(site('srflx-only')).handle(statsOf(1, remoteFirst)));
    expect(JSON.stringify(e)).not.toContain(HOST4);
    expect(Object.keys(e)[0]).toBe('R1');
  });

  it('an entry another entry points at is rewritten, never dropped (issue #20): every id a report names resolves', () => {
    const withPair = { ...report, P2: { id: 'P2', type: 'candidate-pair', localCandidateId: 'L1', remoteCandidateId: 'R2', state: 'in-progress' } };
    const e = entriesOf(new PageRequests(site('srflx-only')).handle(statsOf(1, withPair)));
    expect(e.R2).toEqual({ id: 'R2', type: 'remote-candidate', protocol: 'udp', candidateType: 'host' });
    for (const entry of Object.values(e)) {
      for (const [k, v] of Object.entries(entry)) if (k !== 'id' && k.endsWith('Id')) expect(e[v as string], `${entry.id}.${k}`).toBeDefined();
    }
  });

  it('entries that are not the JSON text of an object get an error, in every mode', () => {
    for (const mode of ['srflx-only', 'direct'] as const) {
      for (const entries of ['{', '[1]', 'null', '"L1"', '']) {
        expect(new PageRequests(site(mode)).handle({ t: 'stats', pc: 1, entries }), `${mode} ${entries}`).toMatchObject({ t: 'error' });
      }
      expect(new PageRequests(site(mode)).handle({ t: 'stats', pc: 1, entries: report }), mode).toMatchObject({ t: 'error' });
    }
  });

  it('direct: unchanged', () => {
    const out = new PageRequests(site('direct')).handle(statsOf(1, report));
    expect(entriesOf(out)).toEqual(report);
  });
});

describe('foundations: one map per document', () => {
  const F = '846687099';
  const local = (extra: Record<string, unknown> = {}) => ({
    L: { id: 'L', type: 'local-candidate', address: HOST4, port: 39216, protocol: 'udp', candidateType: 'host', foundation: F, ...extra },
  });
  const foundationOf = (line: string) => /candidate:(\S+) /.exec(line)?.[1];
  const statsFoundation = (out: ReturnType<PageRequests['handle']>) => entriesOf(out).L?.foundation;

  it('events, SDP and stats of every connection (and of the ICE transport, pc 0) show one random foundation per original', () => {
    const r = new PageRequests(site('srflx-only'));
    const ev1 = r.handle({ t: 'candidate', pc: 1, item: cand(HOST_LINE) });
    const seen = [
      foundationOf(ev1.t === 'candidate' && !ev1.pending ? ev1.item!.candidate : ''),
      foundationOf((r.handle({ t: 'sdp', pc: 1, sdp: `v=0\r\na=${HOST_LINE}\r\n` }) as { sdp: string }).sdp),
      statsFoundation(r.handle(statsOf(1, local()))),
      statsFoundation(r.handle(statsOf(0, local()))),
    ];
    const ev0 = r.handle({ t: 'candidate', pc: 0, item: cand(HOST_LINE) });
    seen.push(foundationOf(ev0.t === 'candidate' && !ev0.pending ? ev0.item!.candidate : ''));
    expect(seen[0]).toMatch(/^\d+$/);
    expect(seen[0]).not.toBe(F);
    expect(seen).toEqual(Array(5).fill(seen[0]));
    // Another original gets another one, on another connection too.
    const srflx = r.handle({ t: 'candidate', pc: 2, item: cand(SRFLX_LINE) });
    expect(foundationOf(srflx.t === 'candidate' && !srflx.pending ? srflx.item!.candidate : '')).not.toMatch(new RegExp(`^(${seen[0]}|4089003057)$`));
  });

  it('a local-candidate entry never keeps the browser\'s foundation: mapped when a string, else left out (names pending or not)', () => {
    const r = new PageRequests(site('srflx-only'));
    const mapped = statsFoundation(r.handle(statsOf(1, local())));
    expect(mapped).toMatch(/^\d+$/);
    expect(mapped).not.toBe(F);
    // Chromium's mDNS host candidates have no address: the foundation is mapped all the same.
    expect(statsFoundation(r.handle(statsOf(1, local({ address: undefined }))))).toBe(mapped);
    const odd = entriesOf(r.handle(statsOf(1, local({ foundation: 7 }))));
    expect(odd.L).toBeDefined();
    expect('foundation' in odd.L!).toBe(false);
  });
});

describe('srflx/prflx equal to one of this machine\'s addresses (no NAT, global IPv6)', () => {
  // As Chromium gives them when its host candidates are mDNS names: the base is hidden (raddr 0.0.0.0/::).
  const reflexive = (address: string, type = 'srflx') =>
    `candidate:4089003057 1 udp 1686052607 ${address} 39216 typ ${type} raddr ${address.includes(':') ? '::' : '0.0.0.0'} rport 0 generation 0`;
  const localEntry = (address: string, type = 'srflx') => ({ L: { id: 'L', type: 'local-candidate', address, port: 39216, protocol: 'udp', candidateType: type, relatedAddress: '0.0.0.0', relatedPort: 0 } });

  /** Every surface a local candidate reaches the page through, as the page sees it. */
  function surfaces(r: PageRequests, address: string, type = 'srflx'): string {
    const line = reflexive(address, type);
    return JSON.stringify([
      r.handle({ t: 'candidate', pc: 2, item: cand(line) }),
      r.handle({ t: 'candidate', pc: 0, item: cand(line) }), // the ICE transport's local candidates
      r.handle({ t: 'sdp', pc: 2, sdp: `v=0\r\nm=audio 39216 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 ${address}\r\na=${line}\r\n` }),
      r.handle(statsOf(2, localEntry(address, type))),
      r.handle(statsOf(0, localEntry(address, type))),
    ]);
  }

  it('a srflx/prflx address the document saw as a host address is dropped everywhere, in every non-direct mode', () => {
    for (const [mode, lanNames] of [['srflx-only', true], ['srflx-only', false], ['relay-only', true]] as const) {
      for (const [address, type] of [[HOST4, 'srflx'], [HOST6, 'prflx']]) {
        const s = { ...site(mode), lanNames };
        const r = new PageRequests(s);
        r.handle({ t: 'candidate', pc: 1, item: cand(`candidate:1 1 udp 2122260223 ${address} 39216 typ host`) });
        const seen = surfaces(r, address!, type);
        expect(seen, `${mode} lanNames ${lanNames} ${type}`).not.toContain(address);
        expect(seen).not.toContain('typ srflx');
        expect(seen).not.toContain('typ prflx');
      }
    }
  });

  it('learned from an icecandidateerror too; an address never seen is a public srflx and stays (the control)', () => {
    const r = new PageRequests(site('srflx-only'));
    expect(surfaces(r, HOST4)).toContain(`${HOST4} 39216 typ srflx`);
    r.handle({ t: 'error-address', pc: 1, address: HOST6 });
    expect(surfaces(r, HOST6)).not.toContain(HOST6);
  });

  it('this machine\'s addresses the background handed over (adopted) count alike, and direct keeps everything', () => {
    const s = site('srflx-only');
    s.hosts.adopt('2001:0db8:0099:0000:0000:0000:0000:0001');
    expect(surfaces(new PageRequests(s), '2001:db8:99::1')).not.toContain('2001:db8:99::1');
    const d = site('direct');
    d.hosts.adopt(HOST4);
    expect(surfaces(new PageRequests(d), HOST4)).toContain(`${HOST4} 39216 typ srflx`);
  });

  it('reports the raw host addresses it learns (for the site\'s other documents), never a relay\'s mapped address, and an adopted one only once learned', () => {
    const activity = new Activity(() => undefined);
    const s = site('srflx-only');
    s.hosts.adopt('2001:db8:99::1');
    const r = new PageRequests(s, activity);
    r.handle({ t: 'candidate', pc: 1, item: cand(SRFLX_LINE) }); // its raddr is its base: a host address
    r.handle({ t: 'candidate', pc: 1, item: cand('candidate:3 1 udp 41885439 203.0.113.2 50000 typ relay raddr 203.0.113.1 rport 39216') });
    r.handle({ t: 'sdp', pc: 1, sdp: `a=candidate:1 1 udp 2122260223 ${HOST6} 39216 typ host\r\n` });
    expect(activity.take()?.hosts).toEqual([HOST4, HOST6]);
    // Once the browser gives it to this document, an adopted address is this document's to report too.
    r.handle({ t: 'error-address', pc: 1, address: '2001:db8:99::1' });
    r.handle({ t: 'error-address', pc: 1, address: HOST4 });
    expect(activity.take()?.hosts).toEqual(['2001:db8:99::1']);
  });
});

describe('guards', () => {
  it('refuses remote candidates and ICE servers at local addresses unless direct; unknown mode counts as not direct', () => {
    for (const mode of [null, 'srflx-only', 'relay-only'] as const) {
      const r = new PageRequests(site(mode));
      expect(r.handle({ t: 'remote', pc: 1, candidate: `candidate:1 1 udp 1 ${HOST4.replace('198.51.100', '192.168.1')} 5000 typ host` })).toEqual({ t: 'remote', allow: false });
      expect(r.handle({ t: 'servers', servers: [{ urls: 'stun:127.0.0.1:3478' }] })).toEqual({ t: 'servers', refused: 'stun:127.0.0.1:3478', syntax: false, why: 'it points at this device or its local network, which sites may not probe' });
      // The reason, in words, for a host that is a bare number (turn:123 is 0.0.0.123 to a browser).
      expect(r.handle({ t: 'servers', servers: [{ urls: 'turn:123', username: 'u', credential: 'p' }] })).toMatchObject({ refused: 'turn:123', syntax: false, why: expect.stringContaining('bare number') });
      expect(r.handle({ t: 'servers', servers: [{ urls: ['stun:203.0.113.2:3478'] }] })).toEqual({ t: 'servers', refused: null, syntax: false });
      // What the policy cannot read is the browser's SyntaxError to give, not a "local address".
      expect(r.handle({ t: 'servers', servers: [{ urls: 'bogus:203.0.113.9' }] })).toMatchObject({ t: 'servers', refused: 'bogus:203.0.113.9', syntax: true });
    }
    const d = new PageRequests(site('direct'));
    expect(d.handle({ t: 'servers', servers: [{ urls: 'stun:127.0.0.1:3478' }] })).toEqual({ t: 'servers', refused: null, syntax: false });
  });

  it('icecandidateerror addresses are the local socket\'s: its name in srflx-only, null where names are not shown', () => {
    const r = new PageRequests(site('srflx-only'));
    const named = r.handle({ t: 'error-address', pc: 1, address: HOST4 });
    expect(named.t === 'error-address' && named.address).toMatch(/\.local$/);
    // Without a name yet: nothing, and the name is asked for.
    const s = site('srflx-only', []);
    expect(new PageRequests(s).handle({ t: 'error-address', pc: 1, address: '10.1.2.3' })).toEqual({ t: 'error-address', address: null });
    expect(s.requested).toEqual(['10.1.2.3']);
    // relay-only shows no host name at all, even for an address of public class never seen before.
    expect(new PageRequests(site('relay-only')).handle({ t: 'error-address', pc: 1, address: HOST4 })).toEqual({ t: 'error-address', address: null });
    expect(new PageRequests(site('direct')).handle({ t: 'error-address', pc: 1, address: HOST4 })).toEqual({ t: 'error-address', address: HOST4 });
  });

  it('an address learned from an error is hidden from the other channels too', () => {
    const r = new PageRequests(site('srflx-only'));
    r.handle({ t: 'error-address', pc: 1, address: HOST4 });
    const out = entriesOf(r.handle(statsOf(1, { T: { id: 'T', type: 'transport', note: HOST4 } })));
    expect(out.T!.note).toBe('0.0.0.0');
  });
});

describe('remote descriptions (setRemoteDescription): the guess oracle', () => {
  const MDNS = '6b1a1d2c-3e4f-4a5b-8c6d-7e8f9a0b1c2d.local';
  const keep = [
    'a=candidate:1 1 udp 2122260223 203.0.113.7 50000 typ host generation 0',
    'a=candidate:2 1 udp 2122262783 2001:db8:77::7 50001 typ host generation 0',
    `a=candidate:3 1 udp 2122260223 ${MDNS} 50002 typ host generation 0`,
    'a=candidate:4 1 udp 1686052607 203.0.113.8 50003 typ srflx raddr 0.0.0.0 rport 0',
  ];
  const refuse = [
    'a=candidate:5 1 udp 2122260223 192.168.1.20 50000 typ host generation 0', // the guessed private IPv4
    'a=candidate:6 1 udp 2122260223 fe80::1 50000 typ host', // link-local IPv6
    'a=candidate:7 1 udp 2122260223 printer.local 50000 typ host', // a .local name nobody generated
    'a=candidate:8 1 udp 2122260223 192.168.1.21  50000 typ host', // does not parse: fail closed
    'a=candidate:9 1 udp 2122260223 10.0.0.5 50000 typ', // does not parse
    `a=candidate:10 1 udp 2122260223 ${HOST4} 39216 typ host`, // this document's own host address
  ];
  /** Two media sections with candidates `audio` and `data`, other lines as browsers write them. */
  const description = (audio: string[], data: string[], eol: string) =>
    [
      'v=0', 'o=- 4611731400430051336 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0 1',
      'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'c=IN IP4 0.0.0.0', 'a=mid:0', 'a=ice-ufrag:wurx', ...audio,
      'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', 'c=IN IP4 0.0.0.0', 'a=mid:1', ...data, 'a=end-of-candidates',
      '',
    ].join(eol);
  const remoteSdp = (r: PageRequests, sdp: unknown) => (r.handle({ t: 'remote-sdp', pc: 1, sdp }) as { sdp: string }).sdp;

  for (const [name, eol] of [['CRLF', '\r\n'], ['LF', '\n']]) {
    it(`removes exactly the candidate lines \`remote\` refuses, every other byte kept (${name})`, () => {
      const r = new PageRequests(site('srflx-only'));
      r.handle({ t: 'candidate', pc: 1, item: cand(HOST_LINE) }); // learns HOST4 as this document's
      const [k0, k1, k2, k3] = keep as [string, string, string, string];
      const [r0, r1, r2, r3, r4, r5] = refuse as [string, string, string, string, string, string];
      const sdp = description([k0, r0, k1, r1, r2], [r3, k2, r4, k3, r5], eol!);
      expect(remoteSdp(r, sdp)).toBe(description([k0, k1], [k2, k3], eol!));
      // The same rules as the `remote` request, line by line.
      for (const line of [...keep, ...refuse]) expect(r.handle({ t: 'remote', pc: 1, candidate: line.slice(2) })).toMatchObject({ t: 'remote', allow: keep.includes(line) });
    });
  }

  it('mixed line endings and a last line without one are kept; a CR inside a candidate line removes it', () => {
    const r = new PageRequests(site('relay-only'));
    const sdp = `v=0\r\na=${'x'}\n${keep[0]}\r\n${refuse[0]}\n${keep[1]}`;
    expect(remoteSdp(r, sdp)).toBe(`v=0\r\na=x\n${keep[0]}\r\n${keep[1]}`);
    expect(remoteSdp(r, `v=0\n${keep[0]}\r${refuse[0]}\n`)).toBe('v=0\n');
    expect(remoteSdp(r, `${refuse[0]}`)).toBe('');
  });

  it('other spellings a lax parser might read as candidates are removed, allowed ones too (fail closed)', () => {
    const r = new PageRequests(site('srflx-only'));
    for (const odd of [refuse[0]!.replace('a=candidate', 'a=CANDIDATE'), ' ' + keep[0], keep[0]!.replace('a=', 'a = '), `a=x\r${refuse[0]}`, '\ta=Candidate\t:' + keep[0]!.slice(12)]) {
      expect(remoteSdp(r, `v=0\r\n${odd}\r\nt=0 0\r\n`), JSON.stringify(odd)).toBe('v=0\r\nt=0 0\r\n');
    }
    // Lines that only mention candidates stay.
    const benign = 'v=0\r\na=end-of-candidates\r\na=remote-candidates:1 203.0.113.7 50000\r\na=x-note:a=candidate:\r\n';
    expect(remoteSdp(r, benign)).toBe(benign);
  });

  it('direct: unchanged; mode unknown: the strictest rules; not a string: refused', () => {
    const sdp = description(keep, refuse, '\r\n');
    expect(remoteSdp(new PageRequests(site('direct')), sdp)).toBe(sdp);
    expect(remoteSdp(new PageRequests(site(null)), sdp)).toBe(description(keep, refuse.slice(-1), '\r\n')); // HOST4 unknown here
    for (const bad of [undefined, null, 5, { sdp }]) expect(new PageRequests(site('srflx-only')).handle({ t: 'remote-sdp', pc: 1, sdp: bad }).t).toBe('error');
  });
});

describe('before the background\'s answer (a mode hint only)', () => {
  it('holds reflexive candidates and stats, and leaves them out of descriptions; host and relay go on', () => {
    const s = { ...site('srflx-only'), confirmed: false };
    const r = new PageRequests(s);
    expect(r.handle({ t: 'candidate', pc: 1, item: cand(SRFLX_LINE) })).toEqual({ t: 'candidate', pending: true });
    expect(r.handle({ t: 'candidate', pc: 1, item: cand(HOST_LINE) })).toMatchObject({ pending: false });
    expect(r.handle(statsOf(1, {}))).toEqual({ t: 'stats', pending: true });
    const sdp = `v=0\r\na=${HOST_LINE}\r\na=${SRFLX_LINE}\r\n`;
    const out = (r.handle({ t: 'sdp', pc: 1, sdp }) as { sdp: string }).sdp;
    expect(out).not.toContain('typ srflx');
    expect(out).toContain('typ host');
    const confirmed = new PageRequests(site('srflx-only'));
    expect(confirmed.handle({ t: 'candidate', pc: 1, item: cand(SRFLX_LINE) })).toMatchObject({ pending: false });
  });
});

describe('this site\'s own names resolve inside the browser (in-page and same-site connections)', () => {
  /** The name this document showed for HOST4, as a remote candidate the page hands back. */
  const shownName = (r: PageRequests) => {
    const out = r.handle({ t: 'candidate', pc: 1, item: cand(HOST_LINE) }) as { item: { candidate: string } };
    const name = out.item.candidate.split(' ')[4]!;
    expect(name).toMatch(/\.local$/);
    return name;
  };

  it('addIceCandidate with one of the site\'s names: allowed, and the browser gets the address', () => {
    const r = new PageRequests(site('srflx-only'));
    const name = shownName(r);
    const line = `candidate:9 1 udp 2122260223 ${name} 40000 typ host generation 0`;
    expect(r.handle({ t: 'remote', pc: 2, candidate: line })).toEqual({ t: 'remote', allow: true, candidate: `candidate:9 1 udp 2122260223 ${HOST4} 40000 typ host generation 0` });
    // The raw address itself stays refused (the guess oracle), and an unknown name stays a name.
    expect(r.handle({ t: 'remote', pc: 2, candidate: `candidate:9 1 udp 2122260223 ${HOST4} 40000 typ host` })).toEqual({ t: 'remote', allow: false });
    const other = 'candidate:9 1 udp 2122260223 0b8fa0a4-4f5c-4e0a-9a7c-6d2f1c3b5a79.local 40000 typ host';
    expect(r.handle({ t: 'remote', pc: 2, candidate: other })).toEqual({ t: 'remote', allow: true });
  });

  it('a candidate that does not parse is refused as malformed (the shim rejects it as the browser would)', () => {
    const r = new PageRequests(site('srflx-only'));
    expect(r.handle({ t: 'remote', pc: 1, candidate: 'candidate:1 1 udp 2122260223 10.0.0.5 50000 typ' })).toEqual({ t: 'remote', allow: false, malformed: true });
    expect(r.handle({ t: 'remote', pc: 1, candidate: 'candidate:1 1 udp 2122260223 10.0.0.5 50000 typ host' })).toEqual({ t: 'remote', allow: false });
  });

  it('only where names are shown: relay-only and srflx-only without LAN names resolve nothing', () => {
    for (const s of [site('relay-only'), { ...site('srflx-only'), lanNames: false }]) {
      const r = new PageRequests(s);
      const name = s.names.nameFor(HOST4);
      expect(r.handle({ t: 'remote', pc: 2, candidate: `candidate:9 1 udp 2122260223 ${name} 40000 typ host` })).toEqual({ t: 'remote', allow: true });
    }
  });

  it('setRemoteDescription with the site\'s names: resolved in the a=candidate lines the browser gets', () => {
    const r = new PageRequests(site('srflx-only'));
    const name = shownName(r);
    const sdp = `v=0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=candidate:9 1 udp 2122260223 ${name} 40000 typ host\r\n`;
    expect((r.handle({ t: 'remote-sdp', pc: 2, sdp }) as { sdp: string }).sdp).toBe(sdp.replace(name, HOST4));
  });

  it('the remote description the browser holds shows the name again, never the address', () => {
    const r = new PageRequests(site('srflx-only'));
    const name = shownName(r);
    const held = `v=0\r\nc=IN IP4 ${HOST4}\r\na=candidate:9 1 udp 2122260223 ${HOST4} 40000 typ host\r\na=candidate:8 1 udp 2122260223 203.0.113.9 40001 typ host\r\n`;
    const seen = (r.handle({ t: 'remote-view-sdp', sdp: held }) as { sdp: string }).sdp;
    expect(seen).toBe(`v=0\r\nc=IN IP4 0.0.0.0\r\na=candidate:9 1 udp 2122260223 ${name} 40000 typ host\r\na=candidate:8 1 udp 2122260223 203.0.113.9 40001 typ host\r\n`);
    // direct shows the browser's description as it is.
    const direct = new PageRequests(site('direct'));
    expect((direct.handle({ t: 'remote-view-sdp', sdp: held }) as { sdp: string }).sdp).toBe(held);
  });
});

describe('activity (badge, popup and prompt triggers)', () => {
  const MDNS_LINE = 'candidate:1 1 udp 2122260223 6b1a1d2c-3e4f-4a5b-8c6d-7e8f9a0b1c2d.local 39216 typ host generation 0';
  function tracked(mode: Mode) {
    const urgent: boolean[] = [];
    const activity = new Activity((u) => void urgent.push(u));
    return { r: new PageRequests(site(mode), activity), activity, urgent };
  }

  it('counts connections once each, hidden candidates and distinct hidden addresses; a raw host address is urgent', () => {
    const { r, activity, urgent } = tracked('srflx-only');
    r.handle({ t: 'candidate', pc: 1, item: cand(HOST_LINE) });
    r.handle({ t: 'candidate', pc: 1, item: cand(SRFLX_LINE) }); // its raddr is the same host address
    r.handle({ t: 'candidate', pc: 2, item: cand(HOST_LINE) });
    expect(activity.take()).toEqual({ connections: 2, candidatesHidden: 3, addresses: [HOST4], hosts: [HOST4], rawHost: true, failed: false });
    expect(urgent[0]).toBe(true); // the first connection
    expect(urgent).toContain(true);
    expect(activity.take()).toBeNull(); // taken: nothing new
  });

  it('a raw host address is urgent once per document; later ones still report rawHost, in the batches', () => {
    const { r, activity, urgent } = tracked('srflx-only');
    r.handle({ t: 'candidate', pc: 1, item: cand(HOST_LINE) });
    expect(urgent.filter(Boolean)).toHaveLength(2); // the first connection, the first raw host address
    expect(activity.take()?.rawHost).toBe(true);
    for (let pc = 2; pc <= 5; pc++) {
      r.handle({ t: 'candidate', pc, item: cand(HOST_LINE) });
      expect(activity.take()?.rawHost).toBe(true);
    }
    expect(urgent.filter(Boolean)).toHaveLength(2);
  });

  it('a browser-made mDNS name is not a raw host address, and direct hides nothing', () => {
    const t = tracked('srflx-only');
    t.r.handle({ t: 'candidate', pc: 1, item: cand(MDNS_LINE) });
    expect(t.activity.take()?.rawHost ?? false).toBe(false);
    const d = tracked('direct');
    d.r.handle({ t: 'candidate', pc: 1, item: cand(HOST_LINE) });
    expect(d.activity.take()).toEqual({ connections: 1, candidatesHidden: 0, addresses: [], hosts: [], rawHost: false, failed: false });
  });

  it('a failure counts only on a connection that had something withheld, and not in direct', () => {
    const { r, activity } = tracked('srflx-only');
    r.handle({ t: 'candidate', pc: 1, item: cand(MDNS_LINE) }); // nothing withheld on pc 1
    r.handle({ t: 'failed', pc: 1 });
    expect(activity.take()?.failed).toBe(false);
    r.handle({ t: 'candidate', pc: 2, item: cand(HOST_LINE) });
    r.handle({ t: 'failed', pc: 2 });
    expect(activity.take()?.failed).toBe(true);
    const d = tracked('direct');
    d.r.handle({ t: 'candidate', pc: 1, item: cand(HOST_LINE) });
    d.r.handle({ t: 'failed', pc: 1 });
    expect(d.activity.take()?.failed).toBe(false);
  });
});

describe('direct with the LAN helper: the browser\'s own names', () => {
  const OWN = '9f8e7d6c-5b4a-4c3d-8e2f-1a0b9c8d7e6f.local';
  const OWN_LINE = `candidate:2 1 udp 2113937151 ${OWN} 50000 typ host generation 0 ufrag wurx`;
  /** A direct site whose lookups the test answers: `answers[name]` is set when the "helper" replies. */
  function resolvingSite() {
    const asked: string[] = [];
    const answers: Record<string, string | null> = {};
    const s = { ...site('direct'), resolving: true, ownAddress: (n: string) => (n in answers ? answers[n] : (asked.push(n), undefined)) };
    return { s, asked, answers, r: new PageRequests(s) };
  }

  it('the mode reply tells the shim to route direct candidates through the relay', () => {
    expect(resolvingSite().r.handle({ t: 'mode' })).toEqual({ t: 'mode', mode: 'direct', resolve: true });
    expect(new PageRequests(site('direct')).handle({ t: 'mode' })).toEqual({ t: 'mode', mode: 'direct', resolve: false });
  });

  it('shows a candidate with the browser\'s name at once, asks for it, and hands its address as a candidate of its own once resolved', () => {
    const { r, asked, answers } = resolvingSite();
    expect(r.handle({ t: 'candidate', pc: 1, item: cand(OWN_LINE) })).toEqual({ t: 'candidate', pending: false, item: cand(OWN_LINE), follow: true });
    expect(asked).toEqual([OWN]);
    expect(r.handle({ t: 'own-address', pc: 1, item: cand(OWN_LINE) })).toEqual({ t: 'candidate', pending: true });
    answers[OWN] = HOST4;
    expect(r.handle({ t: 'own-address', pc: 1, item: cand(OWN_LINE) })).toEqual({ t: 'candidate', pending: false, item: cand(OWN_LINE.replace(OWN, HOST4)) });
    // Other candidates go through untouched, at once, with nothing to follow.
    expect(r.handle({ t: 'candidate', pc: 1, item: cand(SRFLX_LINE) })).toEqual({ t: 'candidate', pending: false, item: cand(SRFLX_LINE) });
    expect(r.handle({ t: 'own-address', pc: 1, item: cand(SRFLX_LINE) })).toEqual({ t: 'candidate', pending: false, item: null });
  });

  it('nothing follows without the helper, or outside direct, whatever the page asks', () => {
    expect(new PageRequests(site('direct')).handle({ t: 'candidate', pc: 1, item: cand(OWN_LINE) })).toEqual({ t: 'candidate', pending: false, item: cand(OWN_LINE) });
    expect(new PageRequests(site('direct')).handle({ t: 'own-address', pc: 1, item: cand(OWN_LINE) })).toEqual({ t: 'candidate', pending: false, item: null });
    const answered = { ...site('srflx-only'), resolving: true, ownAddress: () => HOST4 };
    expect(new PageRequests(answered).handle({ t: 'own-address', pc: 1, item: cand(OWN_LINE) })).toEqual({ t: 'candidate', pending: false, item: null });
  });

  it('prefetch looks a queued candidate\'s name up at once', () => {
    const { r, asked } = resolvingSite();
    expect(r.handle({ t: 'prefetch', pc: 1, item: cand(OWN_LINE) })).toEqual({ t: 'ok' });
    expect(asked).toEqual([OWN]);
  });

  it('a name that did not resolve is shown as the browser gave it, and no address follows', () => {
    const { r, answers } = resolvingSite();
    answers[OWN] = null;
    expect(r.handle({ t: 'candidate', pc: 1, item: cand(OWN_LINE) })).toEqual({ t: 'candidate', pending: false, item: cand(OWN_LINE) });
    expect(r.handle({ t: 'own-address', pc: 1, item: cand(OWN_LINE) })).toEqual({ t: 'candidate', pending: false, item: null });
  });

  it('descriptions add each resolved name\'s address after it (c= lines take the address), stats show the address; names not resolved yet are asked for and stay', () => {
    const { r, asked, answers } = resolvingSite();
    const sdp = `v=0\r\nc=IN IP4 ${OWN}\r\na=${OWN_LINE}\r\n`;
    const first = r.handle({ t: 'sdp', pc: 1, sdp });
    expect(first).toEqual({ t: 'sdp', sdp });
    expect(asked).toContain(OWN);
    answers[OWN] = HOST4;
    expect(r.handle({ t: 'sdp', pc: 1, sdp })).toEqual({ t: 'sdp', sdp: `v=0\r\nc=IN IP4 ${HOST4}\r\na=${OWN_LINE}\r\na=${OWN_LINE.replace(OWN, HOST4)}\r\n` });
    const stats = r.handle(statsOf(1, { L: { type: 'local-candidate', address: OWN.toUpperCase(), candidateType: 'host' } }));
    expect(entriesOf(stats)).toEqual({ L: { type: 'local-candidate', address: HOST4, candidateType: 'host' } });
  });
});
