// Runs the built LAN helper (dist/helper/iceguard-helper.mjs) in a bed host as a browser would (a
// native-messaging host on stdin/stdout), and asks for mDNS names from another host (mdns-probe.mjs).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DIST, launch, type BrowserKind, type LaunchOptions, type RunningBrowser } from './browsers';
import { repoRoot, Scope, spawnIn, tempDir } from './sys';

export const HELPER_BUNDLE = join(DIST, 'helper', 'iceguard-helper.mjs');
const PROBE = join(repoRoot(), 'test/e2e/harness/mdns-probe.mjs');

export interface HelperProcess {
  pid: number;
  /** Sends one request and waits for the next reply (requests are answered in order). */
  request(message: unknown, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Writes raw bytes to its stdin (framing tests). */
  write(bytes: Buffer): void;
  nextReply(timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Closes stdin (as a browser does when the port closes) and waits for the exit code. */
  closeStdin(timeoutMs?: number): Promise<number | null>;
  stderr(): string;
  stop(): void;
}

export function frame(message: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  const head = Buffer.alloc(4);
  head.writeUInt32LE(body.length, 0);
  return Buffer.concat([head, body]);
}

export function startHelper(ns: string, scope: Scope): HelperProcess {
  if (!existsSync(HELPER_BUNDLE)) throw new Error(`${HELPER_BUNDLE} is missing: run \`node build.mjs --helper\``);
  const p = spawnIn(ns, process.execPath, [HELPER_BUNDLE, 'chrome-extension://ocondmpppmccbofhhggiejfabagcoejl/'], {
    scope,
    label: 'iceguard-helper',
    stdin: 'pipe',
    rawStdout: true,
  });
  let buffered = Buffer.alloc(0);
  const replies: Record<string, unknown>[] = [];
  const waiting: Array<() => void> = [];
  p.child.stdout!.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 4) {
      const n = buffered.readUInt32LE(0);
      if (buffered.length < 4 + n) break;
      replies.push(JSON.parse(buffered.subarray(4, 4 + n).toString('utf8')) as Record<string, unknown>);
      buffered = buffered.subarray(4 + n);
    }
    for (const w of waiting.splice(0)) w();
  });
  const nextReply = (timeoutMs = 5000) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply from the helper in ${timeoutMs} ms:\n${p.output()}`)), timeoutMs);
      const check = () => {
        const r = replies.shift();
        if (r) {
          clearTimeout(timer);
          resolve(r);
        } else waiting.push(check);
      };
      check();
    });
  return {
    pid: p.pid,
    request: (message, timeoutMs) => {
      p.child.stdin!.write(frame(message));
      return nextReply(timeoutMs);
    },
    write: (bytes) => void p.child.stdin!.write(bytes),
    nextReply,
    closeStdin: (timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        if (p.child.exitCode !== null) return resolve(p.child.exitCode);
        const timer = setTimeout(() => reject(new Error('the helper did not exit after stdin closed')), timeoutMs);
        p.child.once('exit', (code) => {
          clearTimeout(timer);
          resolve(code);
        });
        p.child.stdin!.end();
      }),
    stderr: p.output,
    stop: p.stop,
  };
}

export interface HeardRecord {
  section: 'answers' | 'additionals';
  type: string;
  ttl: number;
  flush: boolean;
  data: unknown;
  from: string;
  ms: number;
}

/**
 * From host namespace `ns`: asks for `name` (QM or QU) or only listens, for `waitMs`; returns every
 * record about `name` it heard. `started` resolves once the probe listens (start a listener first).
 */
export function probe(
  ns: string,
  scope: Scope,
  name: string,
  type: 'A' | 'AAAA' | 'ANY',
  how: 'qm' | 'qu' | 'listen',
  waitMs: number,
  family: 4 | 6 = 4,
): { started: Promise<void>; heard: Promise<HeardRecord[]> } {
  const p = spawnIn(ns, process.execPath, [PROBE, name, type, how, String(waitMs), String(family)], { scope, label: 'mdns-probe' });
  const started = p.waitFor(/"ready":true/, 5000).then(() => undefined);
  const heard = new Promise<HeardRecord[]>((resolve) => {
    p.child.once('exit', () => {
      const lines = p.output().split('\n').filter((l) => l.startsWith('{'));
      resolve(lines.map((l) => JSON.parse(l) as HeardRecord & { ready?: boolean }).filter((r) => !r.ready) as HeardRecord[]);
    });
  });
  return { started, heard };
}

/**
 * Launches a browser with IceGuard and the LAN helper installed where that browser reads it, as
 * `npm run helper -- install` does: into the Chromium profile (--profile-dir), or Firefox's HOME.
 */
export function launchWithHelper(kind: BrowserKind, opts: LaunchOptions, scope: Scope): Promise<RunningBrowser> {
  const install = (args: string[], env?: NodeJS.ProcessEnv) => void execFileSync(process.execPath, [HELPER_BUNDLE, 'install', ...args], { stdio: 'pipe', env });
  if (kind === 'chromium') {
    const profile = tempDir(scope, 'profile');
    install(['--browser', 'chromium', '--profile-dir', profile]);
    return launch(kind, { ...opts, chromiumProfile: profile });
  }
  return launch(kind, { ...opts, beforeStart: ({ home }) => install(['--browser', 'firefox'], { ...process.env, HOME: home, XDG_DATA_HOME: '' }) });
}
