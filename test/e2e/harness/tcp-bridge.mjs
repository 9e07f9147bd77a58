// @ts-check
// Joins a TCP port inside a network namespace to a Unix socket, which every namespace can reach
// through the file system. Run with `ip netns exec <ns> node tcp-bridge.mjs <mode> ...`:
//   in  <unix-path> <tcp-port>   listen on the Unix socket, connect to 127.0.0.1:<tcp-port> in the ns
//                                (how the harness reaches Firefox's WebDriver BiDi port)
//   out <unix-path> [tcp-port]   listen on 127.0.0.1:<tcp-port or any> in the ns, connect to the
//                                Unix socket (how a browser in the ns reaches a fixture server)
// Prints one line, `ready <port>`, once listening; the harness ends it by PID (SIGTERM).
import net from 'node:net';

const [mode, unixPath, tcpPort] = process.argv.slice(2);

/** @param {net.Socket} a @param {net.Socket} b */
function join(a, b) {
  a.pipe(b);
  b.pipe(a);
  a.on('error', () => b.destroy());
  b.on('error', () => a.destroy());
  a.on('close', () => b.destroy());
  b.on('close', () => a.destroy());
}

if (mode === 'in' && unixPath && tcpPort) {
  const server = net.createServer((c) => join(c, net.connect(Number(tcpPort), '127.0.0.1')));
  server.listen(unixPath, () => console.log(`ready ${tcpPort}`));
} else if (mode === 'out' && unixPath) {
  const server = net.createServer((c) => join(c, net.connect(unixPath)));
  server.listen(Number(tcpPort ?? 0), '127.0.0.1', () => {
    const address = server.address();
    console.log(`ready ${typeof address === 'object' && address ? address.port : 0}`);
  });
} else {
  console.error('usage: tcp-bridge.mjs in <unix-path> <tcp-port> | out <unix-path> [tcp-port]');
  process.exit(2);
}
process.on('SIGTERM', () => process.exit(0));
