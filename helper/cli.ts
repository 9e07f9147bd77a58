// Entry of the LAN helper. With a command (install, uninstall, status) it manages its installation;
// started by a browser (which passes the caller's origin or manifest path), it is the
// native-messaging host. Bundled by build.mjs into dist/helper/iceguard-helper.mjs.
import { fileURLToPath } from 'node:url';
import { runHost } from './host';
import { install, parseArgs, status, uninstall } from './install';

const USAGE = `usage: iceguard-helper install | uninstall | status [--browser chrome|chromium|firefox|all]
                      [--system] [--profile-dir DIR] [--chrome-id ID]...
  install     write the native-messaging host manifests (this user, or --system for all users;
              --profile-dir: a Chromium/Chrome user-data folder) and copy the helper next to them
  uninstall   remove them
  status      show what is installed where
  --chrome-id the id of IceGuard in Chrome/Chromium when installed from a store or your own CRX
              (the test build's id is always allowed); Firefox uses iceguard@iceguard`;

function main(argv: string[]): void {
  const first = argv[0] ?? '';
  if (!['install', 'uninstall', 'status', 'help', '--help', '-h'].includes(first)) {
    // Started by a browser: chrome-extension://<id>/ (Chrome) or a manifest path and an id (Firefox).
    runHost((line) => process.stderr.write(`iceguard-helper: ${line}\n`));
    return;
  }
  try {
    const { command, options } = parseArgs(argv);
    if (command === 'install') {
      const written = install({ ...options, bundle: fileURLToPath(import.meta.url), node: process.execPath });
      console.log(`installed the IceGuard LAN helper:\n  ${written.join('\n  ')}\nrestart the browser (or reload IceGuard) to connect.`);
    } else if (command === 'uninstall') {
      const removed = uninstall(options);
      console.log(removed.length ? `removed:\n  ${removed.join('\n  ')}` : 'nothing was installed');
    } else if (command === 'status') {
      console.log(status(options).join('\n'));
    } else console.log(USAGE);
  } catch (e) {
    console.error(`iceguard-helper: ${(e as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
}

main(process.argv.slice(2));
