// @ts-check
// Load generator for the LAN helper benchmark (scripts/bench-helper.ts), run inside a bed namespace:
// sends QU questions (unicast answers: RFC 6762's once-a-second multicast limit does not apply) for
// names read from NAMES_FILE, in bursts of BURST every GAP_MS, ROUNDS times (each burst paced in
// slices of 50 so neither side's socket buffer is the bottleneck), and prints one JSON line:
// how many were asked and answered, and the answer latencies (p50, p99, max) in ms.
//   node mdns-load.mjs <names-file> <rounds> <burst> <gap-ms>
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import packet from 'dns-packet';

const [file, roundsText, burstText, gapText] = process.argv.slice(2);
if (!file || !roundsText || !burstText || !gapText) {
  console.error('usage: mdns-load.mjs <names-file> <rounds> <burst> <gap-ms>');
  process.exit(2);
}
const names = readFileSync(file, 'utf8').split('\n').filter(Boolean);
const rounds = Number(roundsText);
const burst = Number(burstText);
const gap = Number(gapText);
/** name -> send times not yet answered (a name may be asked more than once) */
const sent = new Map();
/** @type {number[]} */
const latencies = [];
let asked = 0;
const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true, recvBufferSize: 4 * 1024 * 1024 });
socket.on('message', (buf) => {
  const now = performance.now();
  let res;
  try {
    res = packet.decode(buf);
  } catch {
    return;
  }
  for (const a of res.answers ?? []) {
    const times = sent.get(String(a.name).toLowerCase());
    if (!times || !times.length) continue;
    latencies.push(now - times.shift());
  }
});
socket.bind(5353, '0.0.0.0', async () => {
  socket.addMembership('224.0.0.251');
  socket.setMulticastLoopback(false);
  const started = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < burst; i++) {
      if (i > 0 && i % 50 === 0) await new Promise((res) => setImmediate(res));
      const name = /** @type {string} */ (names[(r * burst + i) % names.length]);
      const buf = packet.encode({ type: 'query', id: 0, questions: [{ name, type: 'A', class: 'IN' }] });
      buf[buf.length - 2] = /** @type {number} */ (buf[buf.length - 2]) | 0x80; // QU
      const times = sent.get(name) ?? [];
      times.push(performance.now());
      sent.set(name, times);
      socket.send(buf, 5353, '224.0.0.251');
      asked++;
    }
    await new Promise((res) => setTimeout(res, gap));
  }
  await new Promise((res) => setTimeout(res, 500)); // stragglers
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (/** @type {number} */ q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? null;
  console.log(JSON.stringify({ asked, answered: latencies.length, seconds, p50: at(0.5), p99: at(0.99), max: latencies[latencies.length - 1] ?? null }));
  socket.close();
});
