// Entry of the LAN helper, the `iceguard-lan-helper` bin of its npm package. With a command (install,
// uninstall, status) it manages its installation; started by a browser (which passes the caller's
// origin or manifest path), it is the native-messaging host. Bundled by build.mjs into one file with no
// dependencies (dist/helper/iceguard-helper.mjs, and the package in dist/helper-package/).
import { fileURLToPath } from 'node:url';
import { runCommand, USAGE } from './commands';
import { runHost } from './host';
import { currentPlace } from './paths';

/** The oldest Node.js the bundle is built for (build.mjs `target: node20`). */
const MIN_NODE_MAJOR = 20;

function main(argv: string[]): void {
  const first = argv[0] ?? '';
  if (Number(process.versions.node.split('.')[0]) < MIN_NODE_MAJOR) {
    process.stderr.write(`iceguard-helper: Node.js ${process.versions.node} is too old; it needs ${MIN_NODE_MAJOR} or later\n`);
    process.exit(1);
  }
  if (!['install', 'uninstall', 'status', 'help', '--help', '-h'].includes(first)) {
    // Started by a browser: chrome-extension://<id>/ (Chrome) or a manifest path and an id (Firefox).
    runHost((line) => process.stderr.write(`iceguard-helper: ${line}\n`));
    return;
  }
  try {
    const ctx = { place: currentPlace(), bundle: fileURLToPath(import.meta.url), node: process.execPath, out: (line: string) => console.log(line) };
    runCommand(argv, ctx);
  } catch (e) {
    console.error(`iceguard-lan-helper: ${(e as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
}

main(process.argv.slice(2));
