// `npm run fuzz -- --minutes M --seed S [--browser chromium|firefox] [--first N] [--count N] [--broken] [--quiet]`
// (or `--replay PAGE [--count N]`: run a reproducer page N times):
// the long run of the hostile-page fuzzer (issue #16, test/fuzz/). Runs generated programs in the test
// bed, in each browser for its share of the minutes, and prints programs/s, coverage per axis value
// (executed/inert), the inert count and every hit with its minimised reproducer (written to
// test/fixtures/pages/fuzz/). --broken runs against the deliberately broken build instead
// (node build.mjs --fuzz-broken), whose reproducers go to dist/fuzz-broken-hits/. Exit code 1 on a hit.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BROWSER_KINDS, createBed, PAGES_DIR, serveFixtures, type BrowserKind } from '../test/e2e/harness';
import { launchPair } from '../test/e2e/harness/leak-tools';
import { repoRoot, runScript } from '../test/e2e/harness/sys';
import { programOfPage } from '../test/fuzz/render';
import { FuzzRunner } from '../test/fuzz/runner';

interface Args {
  minutes: number;
  seed: number;
  browsers: BrowserKind[];
  first: number;
  /** At most this many programs per browser. */
  count: number;
  broken: boolean;
  quiet: boolean;
  /** A reproducer page to run `count` times (default 5) instead of generating programs. */
  replay: string | null;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { minutes: 10, seed: Date.now() % 1_000_000, browsers: BROWSER_KINDS, first: 0, count: Number.MAX_SAFE_INTEGER, broken: false, quiet: false, replay: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--minutes') args.minutes = Number(value());
    else if (a === '--seed') args.seed = Number(value());
    else if (a === '--first') args.first = Number(value());
    else if (a === '--count') args.count = Number(value());
    else if (a === '--browser') {
      const b = value();
      if (!BROWSER_KINDS.includes(b as BrowserKind)) throw new Error(`--browser ${b}: one of ${BROWSER_KINDS.join(', ')}`);
      args.browsers = [b as BrowserKind];
    } else if (a === '--broken') args.broken = true;
    else if (a === '--quiet') args.quiet = true;
    else if (a === '--replay') args.replay = value();
    else throw new Error(`unknown option ${a}`);
  }
  if (!(args.minutes > 0) || !Number.isInteger(args.seed) || !Number.isInteger(args.first) || !(args.count > 0)) throw new Error('--minutes > 0, --count > 0, --seed and --first integers');
  return args;
}

/** Runs a saved reproducer page's program `times` times and prints each verdict. */
async function replay(runner: FuzzRunner, file: string, times: number, kind: BrowserKind): Promise<void> {
  const program = programOfPage(readFileSync(file, 'utf8'));
  if (!program) throw new Error(`${file}: no program comment (not written by the fuzzer)`);
  await runner.prepare();
  const verdicts: string[] = [];
  for (let i = 0; i < times; i++) {
    const o = await runner.judge(program, `replay of ${file}`);
    verdicts.push(o.verdict);
    const lines = [...o.violations, ...(o.evidence ?? []).slice(0, 3).map((r) => r.slice(0, 3000))];
    console.log(`${kind} replay ${i + 1}/${times}: ${o.verdict} in ${o.ms} ms; control ${o.control.join(', ') || 'nothing'}${lines.map((l) => `\n    ${l}`).join('')}`);
  }
  await runner.close();
  console.log(`${kind}: ${verdicts.filter((v) => v === 'hit').length} hits of ${times} replays`);
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the fuzzer runs browsers in network namespaces: run it as root');
  const args = parseArgs(process.argv.slice(2));
  const bed = await createBed();
  const server = await serveFixtures(bed.lan.ns);
  const share = (args.minutes * 60_000) / args.browsers.length;
  let hits = 0;
  console.log(`fuzz: seed ${args.seed}, ${args.minutes} min over ${args.browsers.join(' and ')}${args.broken ? ', BROKEN build' : ''}`);
  for (const kind of args.browsers) {
    const pair = await launchPair(kind, bed, args.broken ? 'fuzz-broken' : 'test');
    const runner = new FuzzRunner(pair, server, bed, {
      minimiseTries: 30,
      reproducerDir: args.broken ? join(repoRoot(), 'dist/fuzz-broken-hits') : join(PAGES_DIR, 'fuzz'),
      log: args.quiet ? (l) => l.startsWith('HIT') && console.log(l) : (l) => console.log(l),
    });
    const started = Date.now();
    if (args.replay) {
      await replay(runner, args.replay, args.count === Number.MAX_SAFE_INTEGER ? 5 : args.count, kind).finally(() => pair.close());
      continue;
    }
    try {
      await runner.prepare();
      // Minimising counts against the browser's share; a program already started finishes.
      await runner.runMany(args.seed, args.first, args.count, started + share);
    } finally {
      await runner.close();
      await pair.close();
    }
    const secs = (Date.now() - started) / 1000;
    const c = runner.coverage;
    const v = c.verdicts;
    console.log(`\n${kind}: ${c.programs} programs in ${secs.toFixed(0)} s (${(c.programs / secs).toFixed(3)} programs/s); pass ${v.pass}, inert ${v.inert}, hits ${v.hit}, suspect ${v.suspect}, errors ${v.error}`);
    console.log('coverage per axis value (executed/inert):');
    for (const line of c.lines()) console.log(line);
    const missing = c.missing();
    if (missing.length) console.log(`never executed: ${missing.join(', ')}`);
    for (const h of runner.hits) {
      console.log(`\nHIT ${kind} seed ${args.seed} program ${h.outcome.index}: ${h.outcome.violations.slice(0, 5).join('; ')}`);
      console.log(`reproducer${h.file ? ` (${h.file})` : ''}:\n${h.page}`);
    }
    hits += runner.hits.length;
  }
  server.close();
  bed.close();
  if (hits) process.exitCode = 1;
}

runScript(main);
