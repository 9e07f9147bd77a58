// The helper's commands (install, uninstall, status) as one function of the arguments and the place it
// runs in, printing through `out`: cli.ts gives it this process, tests a fake home.
import { describeScan, findInstalledBuilds, type Scan } from './find-ids';
import { install, parseArgs, status, TEST_CHROME_ID, uninstall } from './install';
import type { Place } from './paths';
import { GECKO_ID } from '../src/shared/helper-protocol';

export const USAGE = `usage: iceguard-lan-helper install | uninstall | status [--browser chrome|chromium|firefox|all]
                           [--system] [--profile-dir DIR] [--chrome-id ID]...
  install     write the native-messaging host manifests (this user, or --system for all users;
              --profile-dir: a Chromium/Chrome user-data folder) and copy the helper next to them.
              Allows the IceGuard builds it finds in this user's browser profiles, or with
              --chrome-id the given Chrome/Chromium ids instead (the test build's id always)
  uninstall   remove them
  status      show what is installed where, and which IceGuard builds it finds
  Firefox's IceGuard is always iceguard@iceguard. Linux and macOS; Windows is not supported yet.`;

export interface Context {
  place: Place;
  /** The running helper script, which install copies. */
  bundle: string;
  /** The running Node.js. */
  node: string;
  out: (line: string) => void;
}

const chromiumIds = (scan: Scan) => scan.found.filter((f) => f.browser !== 'firefox').map((f) => f.id);
const firefoxIds = (scan: Scan) => scan.found.filter((f) => f.browser === 'firefox').map((f) => f.id);

/** Runs one command; throws on bad arguments or a failed install. */
export function runCommand(argv: string[], ctx: Context): void {
  const { command, options } = parseArgs(argv);
  const where = { ...options, place: ctx.place };
  if (command === 'install') {
    const scan = findInstalledBuilds(ctx.place, options.browsers, options.profileDir);
    for (const line of describeScan(scan)) ctx.out(line);
    // Ids given on the command line are the user's choice: found ones are then only reported.
    const chromeIds = options.chromeIds.length ? options.chromeIds : chromiumIds(scan);
    const written = install({ ...where, chromeIds, firefoxIds: firefoxIds(scan), bundle: ctx.bundle, node: ctx.node });
    ctx.out(`installed the IceGuard LAN helper:\n  ${written.join('\n  ')}`);
    if (options.browsers.some((b) => b !== 'firefox')) ctx.out(`Chrome/Chromium ids allowed: ${[...new Set([TEST_CHROME_ID, ...chromeIds])].join(', ')}`);
    if (options.browsers.includes('firefox')) ctx.out(`Firefox add-on ids allowed: ${[...new Set([GECKO_ID, ...firefoxIds(scan)])].join(', ')}`);
    ctx.out('restart the browser (or reload IceGuard) to connect.');
  } else if (command === 'uninstall') {
    const removed = uninstall(where);
    ctx.out(removed.length ? `removed:\n  ${removed.join('\n  ')}` : 'nothing was installed');
  } else if (command === 'status') {
    const scan = findInstalledBuilds(ctx.place, options.browsers, options.profileDir);
    for (const line of status({ ...where, chromeIds: [...options.chromeIds, ...chromiumIds(scan)], firefoxIds: firefoxIds(scan) })) ctx.out(line);
    for (const line of describeScan(scan)) ctx.out(line);
  } else ctx.out(USAGE);
}
