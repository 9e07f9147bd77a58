// A local WebTorrent tracker for the app tests (issue #8): npm `bittorrent-tracker`'s Server, WebSocket
// only (no HTTP announce, no UDP), started with `spawnIn` inside a namespace of the bed.
//   node tracker.mjs <address> [port]   →   prints "ready <port>" once listening
// It relays the peers' WebRTC offers and answers between browsers (that is all a WebSocket tracker
// does for browser peers) and prints one line per announce, for a failing test's log.
import { createRequire } from 'node:module';

/** The package has no types; the few calls below are its documented Server API. @type {any} */
const Server = createRequire(import.meta.url)('bittorrent-tracker/server.js');

const [address, port = '0'] = process.argv.slice(2);
if (!address) {
  process.stderr.write('usage: tracker.mjs <address> [port]\n');
  process.exit(2);
}

// `http: false` still gets a bare HTTP server underneath the WebSocket one (it answers 404).
const server = new Server({ http: false, udp: false, ws: true, stats: false });
server.on('error', (/** @type {Error} */ err) => {
  process.stderr.write(`tracker error: ${err.message}\n`);
  process.exit(1);
});
server.on('warning', (/** @type {Error} */ err) => process.stderr.write(`tracker warning: ${err.message}\n`));
for (const event of ['start', 'complete', 'update', 'stop']) {
  server.on(event, (/** @type {string} */ peerId) => process.stdout.write(`${event} ${peerId}\n`));
}
server.listen(Number(port), address, () => {
  process.stdout.write(`ready ${server.ws.address().port}\n`);
});
