// Launches Debian's Chromium or Firefox ESR inside a namespace of the bed, with or without the built
// extension, driven by puppeteer-core (CDP over a pipe for Chromium, WebDriver BiDi for Firefox).
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import type { Host } from './bed';
import { BRIDGE } from './fixture-server';
import { CHROMIUM_ETC, chromiumPolicyFolder, FIREFOX_DISTRIBUTION, firefoxDistributionFolder, firefoxManagedStorage, mountScript, type PolicyFile } from './policy';
import { killPid, repoRoot, Scope, spawnIn, tempDir } from './sys';

export type BrowserKind = 'chromium' | 'firefox';
export const BROWSER_KINDS: BrowserKind[] = ['chromium', 'firefox'];
export const CHROMIUM = '/usr/lib/chromium/chromium';
export const FIREFOX = '/usr/lib/firefox-esr/firefox-esr';

/** The build folder; ICEGUARD_DIST points elsewhere (a build made with `node build.mjs --out DIR`). */
export const DIST = process.env.ICEGUARD_DIST ? resolve(process.env.ICEGUARD_DIST) : join(repoRoot(), 'dist');

/** Which build of the extension a browser loads (build.mjs: --test, release, --fuzz-broken). */
export type ExtensionBuild = 'test' | 'release' | 'fuzz-broken';

export interface LaunchOptions {
  /** The bed host (network namespace) the browser runs in. */
  host: Host;
  /**
   * `'test'` (default): dist/test/<browser>; `'release'`: dist/<browser>; `'fuzz-broken'`: the fuzzer's
   * deliberately broken test build, dist/fuzz-broken/<browser>; `false`: none.
   */
  extension?: ExtensionBuild | false;
  /** Chromium: load the unpacked extension in this folder instead of a build (`extension` is ignored). */
  extensionPath?: string;
  /**
   * Make the browser hand raw host addresses to pages, as it does once a site holds camera/mic
   * permission (the real-world leak). Default true: without it a leak test proves nothing.
   */
  rawHostIps?: boolean;
  headless?: boolean;
  /** Extra Chromium command-line flags (e.g. `--js-flags=--expose-gc` for benchmarks). */
  chromiumArgs?: string[];
  /** A Chromium profile folder the caller owns, to start a browser again on the same profile (default: a fresh one). */
  chromiumProfile?: string;
  /** Extra Firefox preferences. */
  firefoxPrefs?: Record<string, string | number | boolean>;
  /**
   * Runs before the browser starts, with its HOME and profile folders (Chromium: the user-data dir),
   * e.g. to install the LAN helper's native-messaging manifest where this browser reads it.
   */
  beforeStart?: (dirs: { home: string; profile: string }) => void;
  /**
   * Enterprise policy (policy.ts): the content of a managed policy file in /etc/chromium/policies/managed/
   * as this Chromium sees it (e.g. `chromiumExtensionPolicy(id, data)`).
   */
  chromiumPolicy?: object;
  /** The `data` of a managed-storage manifest for the extension, in Firefox's `$HOME/.mozilla/managed-storage/`. */
  firefoxManagedStorage?: object;
  /** Firefox's `distribution/policies.json` as this Firefox sees it (e.g. `firefoxExtensionPolicies(id, data)`). */
  firefoxPolicies?: object;
}

export interface RunningBrowser {
  kind: BrowserKind;
  browser: Browser;
  /** The extension's id, when one was loaded. */
  extensionId: string | null;
  pid: number;
  /** The policy file given at launch (chromiumPolicy, firefoxManagedStorage or firefoxPolicies), to rewrite. */
  policy: PolicyFile | null;
  close(): Promise<void>;
}

interface TestIds {
  chrome: string;
  firefox: string;
  version: string;
}

export function testIds(): TestIds {
  const file = join(DIST, 'test', 'ids.json');
  if (!existsSync(file)) throw new Error('no test build: run `node build.mjs --test` first');
  return JSON.parse(readFileSync(file, 'utf8')) as TestIds;
}

function extensionDir(kind: BrowserKind, which: ExtensionBuild): string {
  const dir = join(DIST, which === 'release' ? '' : which, kind === 'chromium' ? 'chrome' : 'firefox');
  if (!existsSync(join(dir, 'manifest.json'))) {
    throw new Error(`no ${which} build in ${dir}: run \`node build.mjs${which === 'release' ? '' : ` --${which}`}\``);
  }
  return dir;
}

export async function launch(kind: BrowserKind, opts: LaunchOptions): Promise<RunningBrowser> {
  const scope = new Scope();
  try {
    return kind === 'chromium' ? await launchChromium(scope, opts) : await launchFirefox(scope, opts);
  } catch (err) {
    scope.close();
    throw err;
  }
}

async function launchChromium(scope: Scope, opts: LaunchOptions): Promise<RunningBrowser> {
  const dir = tempDir(scope, 'chromium');
  opts.beforeStart?.({ home: dir, profile: opts.chromiumProfile ?? join(dir, 'profile') });
  // puppeteer spawns this wrapper; `exec` keeps one PID from the wrapper down to Chromium, and the
  // pipe (fds 3 and 4) survives the execs, so no debugging port has to cross the namespace.
  const wrapper = join(dir, 'chromium-in-ns.sh');
  // With a policy: its own /etc/chromium, bind-mounted in the namespace's private mount table.
  let policy: PolicyFile | null = null;
  let mount = '';
  if (opts.chromiumPolicy) {
    const etc = join(dir, 'etc-chromium');
    policy = chromiumPolicyFolder(etc, opts.chromiumPolicy);
    mount = `/bin/sh '${mountScript(dir)}' '${etc}' '${CHROMIUM_ETC}' `;
  }
  writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec '${opts.host.ns}' ${mount}env HOME='${dir}' '${CHROMIUM}' "$@"\n`);
  chmodSync(wrapper, 0o755);
  const ext = opts.extension === undefined ? 'test' : opts.extension;
  const args = [
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
    '--disable-default-apps',
    '--no-default-browser-check',
    // Every name resolves to nothing, but loopback and the mDNS names WebRTC uses.
    '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE *.local',
  ];
  if (opts.rawHostIps !== false) {
    // Fake devices and an auto-granted prompt: getUserMedia succeeds, and Chromium then stops
    // hiding host addresses behind mDNS names (the camera-permission case).
    args.push('--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream');
  }
  if (opts.extensionPath) args.push(`--load-extension=${opts.extensionPath}`);
  else if (ext) args.push(`--load-extension=${extensionDir('chromium', ext)}`);
  args.push(...(opts.chromiumArgs ?? []));
  const browser = await puppeteer.launch({
    executablePath: wrapper,
    pipe: true,
    headless: opts.headless ?? true,
    userDataDir: opts.chromiumProfile ?? join(dir, 'profile'),
    enableExtensions: Boolean(ext),
    args,
    timeout: 30_000,
  });
  const pid = browser.process()?.pid ?? 0;
  scope.add(`kill chromium (${pid})`, () => killPid(pid));
  let extensionId: string | null = null;
  if (ext) {
    const worker = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://'), {
      timeout: 15_000,
    });
    extensionId = new URL(worker.url()).host;
  }
  return { kind: 'chromium', browser, extensionId, pid, policy, close: closer(browser, scope) };
}

function firefoxPrefs(rawHostIps: boolean): Record<string, string | number | boolean> {
  return {
    // Keep Firefox off the (absent) network and quiet.
    'network.dns.forceResolve': '127.0.0.1',
    'app.update.disabledForTesting': true,
    'app.normandy.enabled': false,
    'browser.shell.checkDefaultBrowser': false,
    'browser.startup.page': 0,
    'browser.startup.homepage': 'about:blank',
    'browser.startup.homepage_override.mstone': 'ignore',
    'browser.newtabpage.enabled': false,
    'browser.safebrowsing.malware.enabled': false,
    'browser.safebrowsing.phishing.enabled': false,
    'browser.safebrowsing.downloads.enabled': false,
    'datareporting.policy.dataSubmissionEnabled': false,
    'datareporting.healthreport.uploadEnabled': false,
    'toolkit.telemetry.reportingpolicy.firstRun': false,
    'extensions.update.enabled': false,
    'extensions.getAddons.cache.enabled': false,
    'network.captive-portal-service.enabled': false,
    'network.connectivity-service.enabled': false,
    'services.settings.server': 'http://127.0.0.1:9/',
    'dom.disable_open_during_load': false,
    // Fake camera and microphone, granted without a prompt.
    'media.navigator.streams.fake': true,
    'media.navigator.permission.disabled': true,
    // Firefox's stand-in for the camera-permission case (docs/design.md "Tests that can see a leak").
    'media.peerconnection.ice.obfuscate_host_addresses': !rawHostIps,
  };
}

async function launchFirefox(scope: Scope, opts: LaunchOptions): Promise<RunningBrowser> {
  const dir = tempDir(scope, 'firefox');
  const profile = join(dir, 'profile');
  const prefs = Object.entries({ ...firefoxPrefs(opts.rawHostIps !== false), ...opts.firefoxPrefs })
    .map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`)
    .join('\n');
  mkdirSync(profile);
  writeFileSync(join(profile, 'user.js'), prefs + '\n');
  opts.beforeStart?.({ home: dir, profile });
  const args = ['--no-remote', '--profile', profile, '--remote-debugging-port', '0'];
  if (opts.headless ?? true) args.unshift('--headless');
  if (opts.firefoxManagedStorage && opts.firefoxPolicies) throw new Error('one Firefox policy at a time');
  let policy: PolicyFile | null = null;
  let command = [FIREFOX, ...args];
  if (opts.firefoxManagedStorage) policy = firefoxManagedStorage(dir, opts.firefoxManagedStorage);
  if (opts.firefoxPolicies) {
    // Its own distribution folder, bind-mounted in the namespace's private mount table.
    const dist = join(dir, 'distribution');
    policy = firefoxDistributionFolder(dist, opts.firefoxPolicies);
    command = ['/bin/sh', mountScript(dir), dist, FIREFOX_DISTRIBUTION, ...command];
  }
  const ff = spawnIn(opts.host.ns, command[0]!, command.slice(1), { scope, env: { ...process.env, HOME: dir }, label: 'firefox' });
  const [, port] = await ff.waitFor(/WebDriver BiDi listening on ws:\/\/127\.0\.0\.1:(\d+)/, 30_000);
  // The BiDi port is on the namespace's loopback: reach it through a Unix socket bridge.
  const socket = join(dir, 'bidi.sock');
  const bridge = spawnIn(opts.host.ns, process.execPath, [BRIDGE, 'in', socket, port!], { scope, label: 'tcp-bridge in' });
  await bridge.waitFor(/^ready /m, 10_000);
  const browser = await puppeteer.connect({
    browserWSEndpoint: `ws+unix://${socket}:/session`,
    protocol: 'webDriverBiDi',
    // Firefox's remote agent checks the Host header against its own address.
    headers: { Host: `127.0.0.1:${port}` },
    defaultViewport: null,
  });
  let extensionId: string | null = null;
  const ext = opts.extension === undefined ? 'test' : opts.extension;
  if (ext) extensionId = await browser.installExtension(extensionDir('firefox', ext));
  return { kind: 'firefox', browser, extensionId, pid: ff.pid, policy, close: closer(browser, scope) };
}

function closer(browser: Browser, scope: Scope): () => Promise<void> {
  return async () => {
    // A polite close first, bounded; the scope then ends whatever is left by PID.
    await Promise.race([browser.close().catch(() => undefined), new Promise((r) => setTimeout(r, 5000))]);
    scope.close();
  };
}
