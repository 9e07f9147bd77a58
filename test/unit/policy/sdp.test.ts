import { describe, expect, it } from 'vitest';
import {
  ConnectionContext, HostAddresses, isUuidV4LocalName, NameAllocator, parseCandidate, rewriteSdp, transformCandidate,
  type TransformOptions,
} from '../../../src/policy/index';
import { crlf, leakedHostAddresses, newContext, prng, sdpCase, sdpCases } from './helpers';

const SRFLX: TransformOptions = { mode: 'srflx-only', lanNames: true };
const RELAY: TransformOptions = { mode: 'relay-only', lanNames: true };
const lines = (sdp: string) => sdp.split('\r\n');
const only = (sdp: string, prefix: string) => lines(sdp).filter((l) => l.startsWith(prefix));
const cands = (sdp: string) => only(sdp, 'a=candidate:').map((l) => {
  const p = parseCandidate(l);
  if (!p.ok) throw new Error('bad output line ' + l);
  return p.value;
});

describe('rewriteSdp on Chromium/Firefox-style SDPs', () => {
  it('has fixtures', () => expect(sdpCases().length).toBeGreaterThanOrEqual(7));

  it('leaves an SDP without anything to hide byte for byte (Chromium before gathering)', () => {
    const { sdp } = sdpCase('chromium-initial-offer.sdp');
    for (const opts of [SRFLX, RELAY, { mode: 'srflx-only', lanNames: false } as const]) expect(rewriteSdp(sdp, newContext(), opts)).toBe(sdp);
  });

  it('direct: returns the SDP unchanged', () => {
    const { sdp } = sdpCase('chromium-gathered-host-default.sdp');
    expect(rewriteSdp(sdp, newContext(), { mode: 'direct', lanNames: true })).toBe(sdp);
  });

  it('Chromium, host default: names host candidates, hides c= and m= port, keeps every other line', () => {
    const { sdp } = sdpCase('chromium-gathered-host-default.sdp');
    const out = rewriteSdp(sdp, newContext(), SRFLX);
    expect(only(out, 'c=')).toEqual(['c=IN IP4 0.0.0.0', 'c=IN IP4 0.0.0.0', 'c=IN IP4 0.0.0.0']);
    expect(only(out, 'm=').map((m) => m.split(' ')[1])).toEqual(['9', '9', '9']);
    const c = cands(out);
    expect(c.map((x) => x.type)).toEqual(['host', 'host', 'srflx', 'relay']);
    expect(isUuidV4LocalName(c[0]!.address)).toBe(true);
    expect(c[1]!.address).toBe(c[0]!.address);
    expect(c.slice(2).map((x) => [x.address, x.raddr, x.rport])).toEqual([['203.0.113.1', '0.0.0.0', '9'], ['203.0.113.2', '0.0.0.0', '9']]);
    // Everything else is byte for byte the input.
    const rest = (s: string) => lines(s).filter((l) => !/^(a=candidate:|c=|m=)/.test(l));
    expect(rest(out)).toEqual(rest(sdp));
    expect(out.endsWith('\r\n')).toBe(true);
    expect(out).not.toContain('198.51.100.10');
  });

  it('Chromium, srflx default: the public c= address and m= port stay', () => {
    const { sdp } = sdpCase('chromium-gathered-srflx-default.sdp');
    const out = rewriteSdp(sdp, newContext(), SRFLX);
    expect(only(out, 'c=')[0]).toBe('c=IN IP4 203.0.113.1');
    expect(only(out, 'm=audio')[0]).toMatch(/^m=audio 39216 /);
    // relay-only: the srflx is gone, so its address in c= is hidden too
    const relay = rewriteSdp(sdp, newContext(), RELAY);
    expect(only(relay, 'c=')[0]).toBe('c=IN IP4 0.0.0.0');
    expect(only(relay, 'm=audio')[0]).toMatch(/^m=audio 9 /);
    expect(cands(relay).map((x) => x.type)).toEqual(['relay']);
  });

  it('Chromium mDNS: browser names pass through, raddr 0.0.0.0 rport 0 becomes rport 9', () => {
    const { sdp } = sdpCase('chromium-mdns.sdp');
    const out = rewriteSdp(sdp, newContext(), SRFLX);
    const c = cands(out);
    expect(c.map((x) => x.address)).toEqual(['3c4e7b9a-1f2d-4c5e-9a8b-7f6e5d4c3b2a.local', '3c4e7b9a-1f2d-4c5e-9a8b-7f6e5d4c3b2a.local', '203.0.113.1']);
    expect(c[2]).toMatchObject({ raddr: '0.0.0.0', rport: '9', ext: ' generation 0 network-id 1 network-cost 999' });
    expect(only(out, 'm=audio')[0]).toMatch(/^m=audio 54321 /);
  });

  it('Firefox: hides the host default, keeps a=end-of-candidates and bundle-only port 0', () => {
    const { sdp } = sdpCase('firefox-gathered.sdp');
    const out = rewriteSdp(sdp, newContext(), SRFLX);
    expect(only(out, 'm=').map((m) => m.split(' ')[1])).toEqual(['9', '0', '0']);
    expect(only(out, 'c=')).toEqual(['c=IN IP4 0.0.0.0', 'c=IN IP4 0.0.0.0', 'c=IN IP4 0.0.0.0']);
    expect(only(out, 'a=end-of-candidates')).toHaveLength(1);
    expect(cands(out).map((x) => x.transport)).toEqual(['UDP', 'TCP', 'UDP', 'UDP']);
    expect(out).not.toContain('198.51.100.10');
  });

  it('dual stack with TCP: IPv6 c=/a=rtcp hidden as IP6 ::, host-equal IPv6 srflx dropped, passive/so kept', () => {
    const { sdp } = sdpCase('dual-stack-tcp.sdp');
    const out = rewriteSdp(sdp, newContext(), SRFLX);
    expect(only(out, 'c=')).toEqual(['c=IN IP6 ::']);
    expect(only(out, 'a=rtcp:')).toEqual(['a=rtcp:9 IN IP6 ::']);
    expect(only(out, 'm=')[0]).toMatch(/^m=application 9 /);
    const c = cands(out);
    expect(c.filter((x) => x.type === 'host').map((x) => x.ext.split(' ')[2])).toEqual(['0', '0', '0', 'active', 'active', 'passive', 'so']);
    expect(c.filter((x) => x.type !== 'host').map((x) => x.address)).toEqual(['2001:db8:ffff::7', '203.0.113.1', '203.0.113.1', '2001:db8:2::2']);
    const names = new Set(c.filter((x) => x.type === 'host').map((x) => x.address));
    expect(names.size).toBe(3); // one per address: 2001:db8:1::10, fd00:1::10, 198.51.100.10
    expect(leakedHostAddresses(out, sdpCase('dual-stack-tcp.sdp').hostAddresses)).toEqual([]);
  });

  it('ICE restart: same names for the same addresses, new candidates scrubbed, o= and remote-candidates host addresses hidden', () => {
    const ctx = newContext();
    const first = rewriteSdp(sdpCase('chromium-gathered-host-default.sdp').sdp, ctx, SRFLX);
    const restart = rewriteSdp(sdpCase('chromium-ice-restart.sdp').sdp, ctx, SRFLX);
    expect(cands(restart)[0]!.address).toBe(cands(first)[0]!.address);
    expect(cands(restart)[0]!.foundation).toBe(cands(first)[0]!.foundation);
    expect(only(restart, 'a=ice-ufrag:')[0]).toBe('a=ice-ufrag:Vb4e');
    expect(only(restart, 'o=')[0]).toBe('o=- 4611731400430051336 3 IN IP4 0.0.0.0');
    expect(only(restart, 'a=remote-candidates:')[0]).toBe('a=remote-candidates:1 0.0.0.0 41002');
    expect(restart).not.toContain('198.51.100.10');
  });

  it('shares names with trickled candidates of the same connection', () => {
    const ctx = newContext();
    const trickled = transformCandidate('candidate:846687099 1 udp 2122260223 198.51.100.10 39216 typ host generation 0 ufrag wurx network-id 1', ctx, SRFLX);
    const out = rewriteSdp(sdpCase('chromium-gathered-host-default.sdp').sdp, ctx, SRFLX);
    expect(trickled.line?.split(' ')[4]).toBe(cands(out)[0]!.address);
  });

  it('judges a srflx line that comes before its host line with the host already known', () => {
    const sdp = crlf('v=0\nm=audio 5 RTP/AVP 0\nc=IN IP4 198.51.100.10\na=candidate:2 1 udp 1 198.51.100.10 5 typ srflx raddr 0.0.0.0 rport 0\na=candidate:1 1 udp 2 198.51.100.10 5 typ host\n');
    const out = rewriteSdp(sdp, newContext(), SRFLX);
    expect(cands(out).map((x) => x.type)).toEqual(['host']);
    expect(only(out, 'c=')[0]).toBe('c=IN IP4 0.0.0.0');
  });
});

describe('rewriteSdp: line handling', () => {
  const body = 'v=0\no=- 1 2 IN IP4 127.0.0.1\ns=-\nt=0 0\nm=audio 5000 RTP/AVP 0\nc=IN IP4 10.0.0.1\na=candidate:1 1 udp 1 10.0.0.1 5000 typ host\na=candidate:x\na=end-of-candidates';

  it('keeps CRLF, bare LF, mixed endings and a last line without an ending exactly', () => {
    for (const [input, eol] of [[crlf(body) + '\r\n', '\r\n'], [body + '\n', '\n'], [body, '']] as const) {
      const out = rewriteSdp(input, newContext(), SRFLX);
      expect(out.endsWith('a=end-of-candidates' + eol)).toBe(true);
      expect(out.split(eol === '' ? '\n' : eol).length).toBe(input.split(eol === '' ? '\n' : eol).length - 1); // one bad candidate line removed
    }
    const mixed = 'v=0\r\ns=-\nt=0 0\r\n';
    expect(rewriteSdp(mixed, newContext(), SRFLX)).toBe(mixed);
    expect(rewriteSdp('v=0\r', newContext(), SRFLX)).toBe('v=0\r');
    expect(rewriteSdp('', newContext(), SRFLX)).toBe('');
  });

  it('applies rules only to whole lines of their kind; other lines go through the host address scrub', () => {
    const sdp = 'v=0\r\n\r\njunk 198.51.100.10\r\nm=audio 5000 RTP/AVP 0\r\na=content:main\r\na=c\r\na=r\r\na=rtcpx\r\n' +
      'a=x a=candidate:1 1 udp 1 198.51.100.10 5000 typ host\r\nc=IN IP4 203.0.113.9\r\na=candidate:1 1 udp 1 198.51.100.10 5000 typ host';
    const out = rewriteSdp(sdp, newContext(), SRFLX);
    expect(out.split('\r\n').slice(0, 10)).toEqual(['v=0', '', 'junk 0.0.0.0', 'm=audio 9 RTP/AVP 0', 'a=content:main', 'a=c', 'a=r', 'a=rtcpx',
      'a=x a=candidate:1 1 udp 1 0.0.0.0 5000 typ host', 'c=IN IP4 0.0.0.0']);
    expect(out.split('\r\n')[10]).toMatch(/^a=candidate:\d+ 1 udp 1 [0-9a-f-]{36}\.local 5000 typ host$/); // last line, no line ending
  });

  it('removes unparsable candidate lines (fail closed)', () => {
    const out = rewriteSdp(crlf(body), newContext(), SRFLX);
    expect(only(out, 'a=candidate:')).toHaveLength(1);
    expect(out).not.toContain('a=candidate:x');
  });

  it('uses the session-level c= for sections without one, and keeps port 0 and the /count suffix', () => {
    const sdp = crlf('v=0\nc=IN IP4 10.0.0.1\nm=audio 5000/2 RTP/AVP 0\nm=video 0 RTP/AVP 96\nm=text 7000 RTP/AVP 98\nc=IN IP4 203.0.113.4\na=candidate:1 1 udp 1 203.0.113.4 7000 typ relay raddr 0.0.0.0 rport 0\n');
    const out = rewriteSdp(sdp, newContext(), SRFLX);
    expect(only(out, 'm=')).toEqual(['m=audio 9/2 RTP/AVP 0', 'm=video 0 RTP/AVP 96', 'm=text 7000 RTP/AVP 98']);
    expect(only(out, 'c=')).toEqual(['c=IN IP4 0.0.0.0', 'c=IN IP4 203.0.113.4']);
    const publicSession = crlf('v=0\nc=IN IP4 203.0.113.4/127\nm=audio 5000 RTP/AVP 0\na=candidate:1 1 udp 1 203.0.113.4 7000 typ relay\n');
    const kept = rewriteSdp(publicSession, newContext(), SRFLX);
    expect(only(kept, 'm=')[0]).toBe('m=audio 5000 RTP/AVP 0');
    expect(only(kept, 'c=')[0]).toBe('c=IN IP4 203.0.113.4/127');
    const noC = crlf('v=0\nm=audio 5000 RTP/AVP 0\n');
    expect(rewriteSdp(noC, newContext(), SRFLX)).toBe(noC);
  });

  it('hides malformed c= lines and leaves malformed m= lines alone', () => {
    const sdp = crlf('v=0\nm=audio x RTP/AVP 0\nc=IN IP4\nm=video 5\nc=IN IP6 2001:db8::9 extra\nm=\nc=XX IP4 203.0.113.4\nm=audio 70000 RTP/AVP 0\nc=IN IP4 10.0.0.1\nc=IN IP4 example.com\n');
    const out = rewriteSdp(sdp, newContext(), SRFLX);
    expect(only(out, 'c=')).toEqual(['c=IN IP4 0.0.0.0', 'c=IN IP6 ::', 'c=IN IP4 0.0.0.0', 'c=IN IP4 0.0.0.0', 'c=IN IP4 0.0.0.0']);
    expect(only(out, 'm=')).toEqual(['m=audio x RTP/AVP 0', 'm=video 9', 'm=', 'm=audio 9 RTP/AVP 0']);
  });

  it('a=rtcp: hides host or local addresses (port 9), keeps kept public ones and port-only lines', () => {
    const sdp = crlf('v=0\nm=audio 5000 RTP/AVP 0\nc=IN IP4 203.0.113.4\na=rtcp:5001 IN IP4 198.51.100.10\na=rtcp:5001 IN IP4 203.0.113.4\na=rtcp:5001\na=rtcp:5001 IN IP6 fd00::1\na=rtcp-mux\na=candidate:1 1 udp 1 198.51.100.10 5000 typ host\na=candidate:2 1 udp 1 203.0.113.4 5000 typ srflx raddr 198.51.100.10 rport 5000\n');
    const out = rewriteSdp(sdp, newContext(), SRFLX);
    expect(only(out, 'a=rtcp')).toEqual(['a=rtcp:9 IN IP4 0.0.0.0', 'a=rtcp:5001 IN IP4 203.0.113.4', 'a=rtcp:5001', 'a=rtcp:9 IN IP6 ::', 'a=rtcp-mux']);
    expect(only(out, 'm=')[0]).toBe('m=audio 5000 RTP/AVP 0');
  });

  it('off and unknown modes: the fully scrubbed SDP (no candidates, every default address hidden)', () => {
    const { sdp } = sdpCase('chromium-gathered-srflx-default.sdp');
    for (const mode of ['off', 'nonsense'] as const) {
      const out = rewriteSdp(sdp, newContext(), { mode: mode as 'off', lanNames: true });
      expect(only(out, 'a=candidate')).toEqual([]);
      expect(new Set(only(out, 'c='))).toEqual(new Set(['c=IN IP4 0.0.0.0']));
      expect(only(out, 'm=').map((m) => m.split(' ')[1])).toEqual(['9', '9', '9']);
      expect(out).not.toMatch(/198\.51\.100\.10|203\.0\.113\./);
    }
  });

  it('falls back to the fully scrubbed SDP when the rewrite fails, and to "" when even that fails', () => {
    const { sdp, hostAddresses } = sdpCase('chromium-ice-restart.sdp');
    const broken = new ConnectionContext({ nameFor: () => { throw new Error('no names'); } }, prng());
    const out = rewriteSdp(sdp, broken, SRFLX);
    expect(only(out, 'a=candidate')).toEqual([]);
    expect(only(out, 'c=')).toEqual(['c=IN IP4 0.0.0.0', 'c=IN IP4 0.0.0.0', 'c=IN IP4 0.0.0.0']);
    expect(leakedHostAddresses(out, hostAddresses)).toEqual([]);
    expect(only(out, 'a=ice-ufrag:')).toHaveLength(3);
    const hosts = new HostAddresses();
    hosts.hasIp = () => { throw new Error('hostile'); };
    expect(rewriteSdp(sdp, new ConnectionContext(new NameAllocator(prng()), prng(), hosts), SRFLX)).toBe('');
    expect(rewriteSdp(undefined as unknown as string, newContext(), SRFLX)).toBe('');
  });
});
