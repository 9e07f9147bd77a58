// fast-check generators for candidate lines and SDPs: valid, hostile, mutated, truncated and random.
import fc from 'fast-check';
import { spellings, urlCanonical } from './helpers';

/** Every property in this folder runs with a fixed seed: the suite is deterministic. */
export const SEED = 20240611;
export const params = (numRuns: number) => ({ seed: SEED, numRuns });

const UNSPECIFIED = new Set([urlCanonical('0.0.0.0'), urlCanonical('::')]);

/** Host addresses as a browser could see them: private, public, link-local, IPv6 of every kind. */
export const hostAddress = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 254 })).map(([a, b, c]) => `10.${a}.${b}.${c}`),
  fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 254 })).map(([a, b]) => `192.168.${a}.${b}`),
  fc.tuple(fc.integer({ min: 16, max: 31 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 254 })).map(([a, b, c]) => `172.${a}.${b}.${c}`),
  fc.constantFrom('198.51.100.10', '169.254.7.8', '100.64.1.2', '203.0.113.77', '8.8.4.4', '127.0.0.1'),
  fc.ipV4(),
  fc.constantFrom('fe80::1c2:3ff:fe44:5566', 'fd00:1::10', '2001:db8:1::10', '2a00:1450:4001:81c::200e', '::1'),
  fc.ipV6(),
).filter((a) => {
  const c = urlCanonical(a);
  return c !== undefined && !UNSPECIFIED.has(c) && c !== urlCanonical('::ffff:0.0.0.0');
});

export const spellingOf = (address: string) => fc.constantFrom(...spellings(address));

const ICE = '+/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'.split('');
const iceChars = (max: number) => fc.string({ unit: fc.constantFrom(...ICE), minLength: 1, maxLength: max });
const digits = (max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'.split('')), minLength: 1, maxLength: max });
const foundation = iceChars(32);
const component = digits(3);
const priority = digits(10);
const port = fc.integer({ min: 0, max: 65535 }).map(String);
const transport = fc.mixedCase(fc.constantFrom('udp', 'tcp'));
const mdnsName = fc.uuid({ version: 4 }).map((u) => u + '.local');
const publicAddress = fc.oneof(fc.constantFrom('203.0.113.1', '203.0.113.2', '2001:db8:ffff::7', '8.8.8.8'), fc.ipV4(), fc.ipV6());
const knownExt = fc.oneof(
  digits(3).map((v) => ['generation', v]),
  iceChars(8).map((v) => ['ufrag', v]),
  digits(2).map((v) => ['network-id', v]),
  fc.constantFrom('10', '50', '999').map((v) => ['network-cost', v]),
  fc.constantFrom('active', 'passive', 'so').map((v) => ['tcptype', v]),
);

/** Valid lines whose address/raddr may be any spelling of the given host addresses, or of other addresses. */
export function candidateLine(hosts: readonly string[]): fc.Arbitrary<string> {
  const anyHost = hosts.length > 0 ? fc.constantFrom(...hosts).chain(spellingOf) : publicAddress;
  const address = fc.oneof(anyHost, publicAddress, mdnsName, fc.constantFrom('host.example.com', '2130706433', '0.0.0.0', '::'));
  const ext = fc.array(fc.oneof(knownExt, fc.tuple(fc.constantFrom('x-addr', 'network-name', 'raddr'), fc.oneof(anyHost, fc.constant('eth0')))), { maxLength: 4 });
  return fc
    .record({
      prefix: fc.constantFrom('', 'candidate:', 'a=candidate:'),
      foundation,
      component,
      transport,
      priority,
      address,
      port,
      type: fc.constantFrom('host', 'srflx', 'prflx', 'relay'),
      raddr: fc.option(fc.oneof(anyHost, publicAddress, fc.constantFrom('0.0.0.0', '::')), { nil: undefined }),
      rport: fc.option(port, { nil: undefined }),
      ext,
    })
    .map((c) =>
      `${c.prefix}${c.foundation} ${c.component} ${c.transport} ${c.priority} ${c.address} ${c.port} typ ${c.type}` +
      (c.raddr === undefined ? '' : ` raddr ${c.raddr}`) + (c.rport === undefined ? '' : ` rport ${c.rport}`) +
      c.ext.map(([n, v]) => ` ${n} ${v}`).join(''));
}

/** Insert, delete, duplicate or truncate somewhere in the text. */
export function mutated(text: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(text, fc.nat(), fc.nat(), fc.constantFrom('insert', 'delete', 'truncate', 'dup', 'none'), fc.string({ unit: 'binary-ascii', maxLength: 6 }))
    .map(([t, i, j, op, s]) => {
      const a = t.length === 0 ? 0 : i % (t.length + 1);
      const b = Math.min(t.length, a + (j % 8));
      return op === 'insert' ? t.slice(0, a) + s + t.slice(a)
        : op === 'delete' ? t.slice(0, a) + t.slice(b)
        : op === 'truncate' ? t.slice(0, a)
        : op === 'dup' ? t.slice(0, b) + t.slice(a)
        : t;
    });
}

/** A session: its host addresses and a shuffled mix of lines (one host candidate per host address, in some spelling). */
export const session = fc.uniqueArray(hostAddress, { minLength: 1, maxLength: 4, selector: (a) => urlCanonical(a) }).chain((hosts) =>
  fc.record({
    hosts: fc.constant(hosts),
    hostLines: fc.tuple(...hosts.map((h) => fc.tuple(spellingOf(h), transport, port).map(([s, t, p]) => `candidate:1 1 ${t} 2122260223 ${s} ${p} typ host generation 0`))),
    others: fc.array(fc.oneof(
      { weight: 6, arbitrary: candidateLine(hosts) },
      { weight: 2, arbitrary: mutated(candidateLine(hosts)) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
      { weight: 1, arbitrary: fc.constant('') },
    ), { maxLength: 12 }),
  }).chain((s) => fc.shuffledSubarray([...s.hostLines, ...s.others], { minLength: s.hostLines.length + s.others.length })
    .map((lines) => ({ hosts: s.hosts, lines }))),
);

/** An SDP for a session: realistic skeleton, host addresses in c=, a=rtcp, o= and unknown lines, random junk, mixed endings. */
export function sdpFor(hosts: readonly string[], lines: readonly string[]): fc.Arbitrary<string> {
  const sp = fc.constantFrom(...hosts).chain(spellingOf);
  const addrType = (a: string) => (a.includes(':') ? 'IP6' : 'IP4');
  const cLine = fc.oneof(sp, publicAddress, fc.constant('0.0.0.0')).map((a) => `c=IN ${addrType(a)} ${a}`);
  const rtcp = fc.tuple(port, fc.oneof(sp, publicAddress)).map(([p, a]) => `a=rtcp:${p} IN ${addrType(a)} ${a}`);
  const junk = fc.oneof(
    sp.map((a) => `a=x-local:${a}`),
    sp.map((a) => `a=remote-candidates:1 ${a} 5000`),
    sp.map((a) => `o=- 123 2 IN ${addrType(a)} ${a}`),
    sp.map((a) => `a=x [${a}]:9`),
    fc.string({ unit: 'binary-ascii', maxLength: 30 }),
    fc.constantFrom('a=end-of-candidates', 'a=rtcp-mux', 'a=rtcp:9', 'a=ice-ufrag:wurx', 'a=group:BUNDLE 0 1', 'm=', 'c=', 'a=rtcp:'),
  );
  const section = fc.tuple(
    fc.constantFrom('audio', 'video', 'application'), fc.oneof(port, fc.constant('0'), fc.constant('9')), cLine, fc.option(rtcp, { nil: undefined }),
    fc.array(junk, { maxLength: 3 }),
  ).map(([m, p, c, r, j]) => [`m=${m} ${p} UDP/TLS/RTP/SAVPF 111`, c, ...(r ? [r] : []), ...j]);
  return fc.tuple(
    fc.array(section, { minLength: 1, maxLength: 3 }), fc.option(cLine, { nil: undefined }), fc.array(junk, { maxLength: 2 }),
    fc.array(fc.constantFrom('\r\n', '\n'), { minLength: 1, maxLength: 4 }), fc.boolean(), fc.nat(),
  ).map(([sections, sessionC, sessionJunk, eols, endsWithEol, seed]) => {
    const out = ['v=0', 'o=- 4611731400430051336 2 IN IP4 127.0.0.1', 's=-', 't=0 0', ...(sessionC ? [sessionC] : []), ...sessionJunk];
    let k = 0;
    sections.forEach((sec, i) => {
      out.push(...sec);
      // Candidates go to the first section; later sections get a share too (BUNDLE or not).
      const share = i === sections.length - 1 ? lines.length - k : Math.ceil(lines.length / sections.length);
      for (const l of lines.slice(k, k + share)) out.push(l.startsWith('a=') ? l : 'a=' + (l.startsWith('candidate:') ? l : 'candidate:' + l));
      k += share;
    });
    let text = '';
    out.forEach((l, i) => { text += l + (i === out.length - 1 && !endsWithEol ? '' : (eols[(seed + i) % eols.length] as string)); });
    return text;
  });
}
