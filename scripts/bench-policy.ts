// Benchmark of the policy core's hot paths: one candidate transform, one SDP rewrite (targets: < 2 µs, < 100 µs).
// Run: npx esbuild scripts/bench-policy.ts --bundle --platform=node --format=esm --outfile=/tmp/bench-policy.mjs && node /tmp/bench-policy.mjs
import { ConnectionContext, NameAllocator, parseCandidate, rewriteSdp, transformCandidate, type RandomSource, type TransformOptions } from '../src/policy/index';

const random: RandomSource = (bytes) => crypto.getRandomValues(bytes);
const SRFLX: TransformOptions = { mode: 'srflx-only', lanNames: true };
const RELAY: TransformOptions = { mode: 'relay-only', lanNames: true };

// Real Chromium 156 and Firefox ESR 153 lines from the test network, plus IPv6 and mDNS lines.
const LINES = [
  'candidate:846687099 1 udp 2122260223 198.51.100.10 39216 typ host generation 0 ufrag wurx network-id 1',
  'candidate:4089003057 1 udp 1686052607 203.0.113.1 39216 typ srflx raddr 198.51.100.10 rport 39216 generation 0 ufrag wurx network-id 1',
  'candidate:2005027023 1 udp 58662911 203.0.113.2 49298 typ relay raddr 203.0.113.1 rport 39216 generation 0 ufrag wurx network-id 1',
  'candidate:3437084655 1 tcp 1518280447 198.51.100.10 9 typ host tcptype active generation 0 ufrag wurx network-id 1',
  'candidate:0 1 UDP 2122252543 198.51.100.10 58569 typ host',
  'candidate:1 1 UDP 1686052863 203.0.113.1 58569 typ srflx raddr 198.51.100.10 rport 58569',
  'candidate:2 1 UDP 92217087 203.0.113.2 52546 typ relay raddr 203.0.113.2 rport 52546',
  'candidate:1840965416 1 udp 2122262783 2001:db8:1::10 50000 typ host generation 0 network-id 2',
  'candidate:1981425132 1 udp 1685987071 2001:db8:ffff::7 40123 typ srflx raddr fd00:1::10 rport 50010 generation 0 network-id 3',
  'candidate:1 1 udp 2122260223 3c4e7b9a-1f2d-4c5e-9a8b-7f6e5d4c3b2a.local 54321 typ host generation 0 network-cost 999',
];

function sdp10x40(): string {
  const head = ['v=0', 'o=- 4611731400430051336 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0 1 2 3 4 5 6 7 8 9', 'a=extmap-allow-mixed', 'a=msid-semantic: WMS s'];
  const out = [...head];
  for (let m = 0; m < 10; m++) {
    const port = 39216 + m;
    out.push(`m=${m % 2 ? 'video' : 'audio'} ${port} UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126`, 'c=IN IP4 198.51.100.10', 'a=rtcp:9 IN IP4 0.0.0.0',
      `a=candidate:846687099 1 udp 2122260223 198.51.100.10 ${port} typ host generation 0 network-id 1`,
      `a=candidate:3437084655 1 tcp 1518280447 198.51.100.10 9 typ host tcptype active generation 0 network-id 1`,
      `a=candidate:4089003057 1 udp 1686052607 203.0.113.1 ${port} typ srflx raddr 198.51.100.10 rport ${port} generation 0 network-id 1`,
      `a=candidate:2005027023 1 udp 58662911 203.0.113.2 ${49298 + m} typ relay raddr 203.0.113.1 rport ${port} generation 0 network-id 1`,
      'a=ice-ufrag:wurx', 'a=ice-pwd:Zq0bF4mZ3vLkX8sJpT2nYc9R', 'a=ice-options:trickle',
      'a=fingerprint:sha-256 4A:1D:6E:0B:9C:33:F2:7A:58:C1:E4:02:9B:7D:AA:61:3F:95:0E:C8:24:B7:D1:5A:86:F0:3C:19:E2:4B:77:AD',
      'a=setup:actpass', `a=mid:${m}`, 'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level', 'a=sendrecv', 'a=msid:s t', 'a=rtcp-mux',
      'a=rtpmap:111 opus/48000/2', 'a=rtcp-fb:111 transport-cc', 'a=fmtp:111 minptime=10;useinbandfec=1', 'a=rtpmap:63 red/48000/2',
      'a=rtpmap:9 G722/8000', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000', `a=ssrc:${1785413470 + m} cname:Jd3kq9XbV2mPz7Lr`);
  }
  return out.join('\r\n') + '\r\n';
}

/** Wall-clock µs per call (performance.now) and CPU µs per call (process.cpuUsage, robust on a busy machine). */
function time(label: string, iterations: number, fn: (i: number) => void): [string, string, number, number] {
  for (let i = 0; i < Math.min(iterations, 20_000); i++) fn(i); // warm up
  const cpu = process.cpuUsage();
  const t = performance.now();
  for (let i = 0; i < iterations; i++) fn(i);
  const wall = performance.now() - t;
  const used = process.cpuUsage(cpu);
  return [label, String(iterations), (wall * 1000) / iterations, (used.user + used.system) / iterations];
}

const ctx = new ConnectionContext(new NameAllocator(random), random);
const sdp = sdp10x40();
if ((sdp.match(/a=candidate:/g) ?? []).length !== 40) throw new Error('the SDP must hold 40 candidates');
// Distinct lines (ports vary): the core keeps recent parses, and a page's candidates differ by port
// at least, so cycling through ten lines would time the cache, not the parse.
const VARIANTS = Array.from({ length: 4096 }, (_, i) => (LINES[i % LINES.length] as string).replace(/ (\d+) typ /, (_m, port: string) => ` ${(Number(port) + Math.floor(i / LINES.length)) % 65536 || 1} typ `));
let sink = 0;
const rows = [
  time('parseCandidate (mixed lines)', 500_000, (i) => { sink += +parseCandidate(VARIANTS[i % VARIANTS.length] as string).ok; }),
  time('transformCandidate srflx-only (mixed)', 500_000, (i) => { sink += transformCandidate(VARIANTS[i % VARIANTS.length] as string, ctx, SRFLX).reason.length; }),
  time('transformCandidate relay-only (mixed)', 500_000, (i) => { sink += transformCandidate(VARIANTS[i % VARIANTS.length] as string, ctx, RELAY).reason.length; }),
  time('rewriteSdp srflx-only (10 m=, 40 cand.)', 5_000, () => { sink += rewriteSdp(sdp, ctx, SRFLX).length; }),
  time('rewriteSdp relay-only (10 m=, 40 cand.)', 5_000, () => { sink += rewriteSdp(sdp, ctx, RELAY).length; }),
];
console.log('operation'.padEnd(42) + 'iterations'.padStart(12) + 'µs/op'.padStart(10) + 'cpu µs/op'.padStart(12));
for (const [label, n, us, cpu] of rows) console.log(label.padEnd(42) + n.padStart(12) + us.toFixed(2).padStart(10) + cpu.toFixed(2).padStart(12));
console.log(`(targets: < 2 µs per candidate, < 100 µs per SDP; node ${process.version}; checksum ${sink % 997})`);
