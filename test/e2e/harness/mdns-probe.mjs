// @ts-check
// An mDNS querier for tests, run inside a bed namespace: asks once for NAME with TYPE (A, AAAA, ANY)
// as a QM (multicast reply wanted) or QU (unicast reply wanted, RFC 6762 §5.4) question from port
// 5353, or only listens (`listen`: announcements, goodbyes), and prints every record it hears about
// NAME as a JSON line until WAIT_MS pass. The QU bit is set in the packet by hand: dns-packet cannot
// encode it (nor decode it: a QU question decodes with class 'UNKNOWN_32769').
//   node mdns-probe.mjs <name> <A|AAAA|ANY> <qm|qu|listen> <wait-ms> [6]   (6: over IPv6, ff02::fb on eth0)
import dgram from 'node:dgram';
import packet from 'dns-packet';

const [name, type, how, wait, family] = process.argv.slice(2);
const v6 = family === '6';
const group = v6 ? 'ff02::fb' : '224.0.0.251';
if (!name || !type || !how || !wait) {
  console.error('usage: mdns-probe.mjs <name> <A|AAAA|ANY> <qm|qu|listen> <wait-ms>');
  process.exit(2);
}
const lower = name.toLowerCase();
const socket = dgram.createSocket({ type: v6 ? 'udp6' : 'udp4', reuseAddr: true });
let started = process.hrtime.bigint();
socket.on('message', (buf, rinfo) => {
  let res;
  try {
    res = packet.decode(buf);
  } catch {
    return;
  }
  if (res.type !== 'response') return;
  for (const section of /** @type {const} */ (['answers', 'additionals'])) {
    for (const r of res[section] ?? []) {
      if (String(r.name).toLowerCase() !== lower) continue;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const rr = /** @type {any} */ (r);
      console.log(JSON.stringify({ section, type: rr.type, ttl: rr.ttl, flush: rr.flush, data: rr.data, from: rinfo.address, ms }));
    }
  }
});
socket.bind(5353, v6 ? '::' : '0.0.0.0', () => {
  if (v6) {
    socket.addMembership(group, '::%eth0');
    socket.setMulticastInterface('::%eth0');
  } else socket.addMembership(group);
  socket.setMulticastLoopback(false);
  console.log(JSON.stringify({ ready: true }));
  if (how === 'listen') return;
  const buf = packet.encode({ type: 'query', id: 0, questions: [{ name: lower, type: /** @type {any} */ (type), class: 'IN' }] });
  if (how === 'qu') buf[buf.length - 2] = /** @type {number} */ (buf[buf.length - 2]) | 0x80; // the class of the one question ends the packet
  started = process.hrtime.bigint();
  socket.send(buf, 5353, v6 ? `${group}%eth0` : group, (err) => {
    if (err) console.log(JSON.stringify({ error: String(err) }));
  });
});
setTimeout(() => socket.close(() => process.exit(0)), Number(wait));
