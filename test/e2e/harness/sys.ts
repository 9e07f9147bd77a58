// Process and cleanup plumbing for the real-browser harness: run commands, spawn long-lived
// processes we own (ended only by their PID), and undo everything on every exit path.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A short id that keeps namespaces, files and interfaces of concurrent runs apart. */
export function uniqueId(): string {
  return `${process.pid.toString(36)}${randomBytes(3).toString('hex')}`;
}

/** Runs a command to completion; throws with its stderr on failure. */
export function run(cmd: string, args: string[], opts: { input?: string; timeoutMs?: number } = {}): string {
  try {
    return execFileSync(cmd, args, {
      encoding: 'utf8',
      input: opts.input,
      timeout: opts.timeoutMs ?? 15_000,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${(e.stderr || e.message).trim()}`);
  }
}

type Cleanup = { label: string; fn: () => void };
const cleanups: Cleanup[] = [];
let hooked = false;

/**
 * Registers a synchronous undo step. Steps run last-in first-out when `cleanupAll` is called, and
 * also on process exit and on SIGINT/SIGTERM, so a crashed or interrupted test leaves nothing behind.
 */
export function onCleanup(label: string, fn: () => void): () => void {
  if (!hooked) {
    hooked = true;
    process.once('exit', () => cleanupAll());
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(sig, () => {
        cleanupAll();
        process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
      });
    }
  }
  const entry = { label, fn };
  cleanups.push(entry);
  // Returns "run it now": runs this one step once and forgets it.
  return () => {
    const i = cleanups.indexOf(entry);
    if (i >= 0) {
      cleanups.splice(i, 1);
      safely(entry);
    }
  };
}

function safely(entry: Cleanup): void {
  try {
    entry.fn();
  } catch (err) {
    process.stderr.write(`cleanup "${entry.label}" failed: ${(err as Error).message}\n`);
  }
}

export function cleanupAll(): void {
  while (cleanups.length) safely(cleanups.pop()!);
}

/**
 * A group of undo steps that can be closed early (a bed, a browser), and that is undone at exit
 * anyway if nobody closed it.
 */
export class Scope {
  private readonly undo: Array<() => void> = [];
  add(label: string, fn: () => void): void {
    this.undo.push(onCleanup(label, fn));
  }
  close(): void {
    while (this.undo.length) this.undo.pop()!();
  }
}

/** A temporary folder removed when `scope` closes. */
export function tempDir(scope: Scope, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `iceguard-${prefix}-`));
  scope.add(`rm ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Ends a process we started, by PID: SIGTERM, then SIGKILL if it is still there after `graceMs`. */
export function killPid(pid: number | undefined, graceMs = 3000): void {
  if (!pid) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!alive(pid)) return;
    execFileSync('sleep', ['0.05']);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* gone between the check and the kill */
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A zombie still answers signal 0; it is dead for our purposes.
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

export interface Spawned {
  child: ChildProcess;
  pid: number;
  /** Everything written to stdout and stderr so far (bounded to the last 256 KiB). */
  output(): string;
  /** Resolves with the first match of `re` in the output, or rejects after `timeoutMs`. */
  waitFor(re: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  stop(): void;
}

/**
 * Spawns a long-lived process inside network namespace `ns` (or in ours when `ns` is null).
 * `ip netns exec` execs the program, so the PID we get is the program's own.
 */
export function spawnIn(
  ns: string | null,
  cmd: string,
  args: string[],
  opts: { scope: Scope; env?: NodeJS.ProcessEnv; label?: string; stdin?: 'pipe' | 'ignore'; rawStdout?: boolean },
): Spawned {
  const [file, argv] = ns ? ['ip', ['netns', 'exec', ns, cmd, ...args]] : [cmd, args];
  const child = spawn(file, argv, { env: opts.env ?? process.env, stdio: [opts.stdin ?? 'ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`could not start ${cmd}`);
  const pid = child.pid;
  let out = '';
  const waiters = new Set<() => void>();
  const append = (chunk: Buffer) => {
    out = (out + chunk.toString('utf8')).slice(-256 * 1024);
    for (const w of waiters) w();
  };
  // rawStdout: the caller reads stdout itself (binary protocols); `output()` has stderr only.
  if (!opts.rawStdout) child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  let stopped = false;
  const stop = () => {
    if (!stopped) killPid(pid);
    stopped = true;
  };
  opts.scope.add(`kill ${opts.label ?? cmd} (${pid})`, stop);
  return {
    child,
    pid,
    output: () => out,
    stop,
    waitFor(re, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = re.exec(out);
          if (m) {
            done();
            resolve(m);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            done();
            reject(new Error(`${opts.label ?? cmd} exited (${child.exitCode ?? child.signalCode}) before ${re}:\n${out.slice(-2000)}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${re} from ${opts.label ?? cmd}:\n${out.slice(-2000)}`));
        }, timeoutMs);
        const onExit = () => check();
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
          child.off('exit', onExit);
        };
        waiters.add(check);
        child.on('exit', onExit);
        check();
      });
    },
  };
}

/**
 * The repository's root folder, found from this module's location; works both from the sources and
 * from a bundle under dist/tools/ (npm start). A bundle built elsewhere (`node build.mjs --tools --out
 * DIR`) finds it from the working folder instead.
 */
export function repoRoot(): string {
  for (const start of [dirname(fileURLToPath(import.meta.url)), process.cwd()]) {
    let dir = start;
    for (let i = 0; i < 8; i++) {
      if (existsSync(join(dir, 'build.mjs')) && existsSync(join(dir, 'package.json'))) return dir;
      dir = dirname(dir);
    }
  }
  throw new Error('cannot find the IceGuard repository root');
}

/** Runs a Node script's `main`, undoing everything the harness made whether it succeeds or fails. */
export function runScript(main: () => Promise<void>): void {
  main().then(
    () => cleanupAll(),
    (err: unknown) => {
      console.error(err instanceof Error ? err.stack : err);
      cleanupAll();
      process.exit(1);
    },
  );
}
