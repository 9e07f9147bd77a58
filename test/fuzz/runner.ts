// Runs fuzz programs (issue #16) in a browser pair of the test bed: each program as a page, in the
// browser without the extension (the control: it must show a raw address, or the program tested
// nothing and counts as inert) and in the browser with it, the site in the default mode srflx-only.
// What the guarded page recorded is judged with the harness's address search; a hit is minimised and
// written out as a reproducer page.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import type { Bed } from '../e2e/harness/bed';
import type { RunningBrowser } from '../e2e/harness/browsers';
import type { FixtureServer } from '../e2e/harness/fixture-server';
import { lanTraces, modeViolations, openPage, type BrowserPair } from '../e2e/harness/leak-tools';
import { Coverage, type Verdict } from './coverage';
import { minimise } from './minimise';
import { describe as describeProgram, generate, type Program } from './program';
import { renderPage } from './render';

/** The longest one program may take in one browser (its own waits are bounded far below this). */
const PROGRAM_TIMEOUT_MS = 45_000;
const ROUTE = '/fuzz/program';
/** Pages being run, by id, shared by every runner on a server (the route is one per server). */
const pages = new Map<string, string>();
let serial = 0;

export interface Outcome {
  index: number;
  program: Program;
  verdict: Verdict;
  /** LAN traces the control showed. */
  control: string[];
  /** What broke srflx-only in the guarded browser. */
  violations: string[];
  ms: number;
  error?: string;
  /** On a hit: the guarded browser's records that show a local address (the evidence). */
  evidence?: string[];
}

export interface Hit {
  outcome: Outcome;
  minimised: Program;
  tries: number;
  /** The reproducer page, and where it was written (null: not written). */
  page: string;
  file: string | null;
}

export interface RunnerOptions {
  /** Oracle calls the minimiser may make per hit (0: no minimising). */
  minimiseTries?: number;
  /** Folder for reproducer pages (null: none written). */
  reproducerDir?: string | null;
  log?: (line: string) => void;
}

export class FuzzRunner {
  readonly coverage = new Coverage();
  readonly hits: Hit[] = [];
  private readonly tabs = new Map<RunningBrowser, Page>();

  constructor(
    private readonly pair: BrowserPair,
    private readonly server: FixtureServer,
    private readonly bed: Bed,
    private readonly opts: RunnerOptions = {},
  ) {
    server.route(ROUTE, (req, res) => {
      const id = new URL(req.url ?? '/', 'http://x').searchParams.get('id') ?? '';
      const html = pages.get(id);
      if (html === undefined) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
    });
  }

  /** The site's mode in the guarded browser: the default (srflx-only), prompts off (leak-tools openPage). */
  async prepare(): Promise<void> {
    const page = await openPage(this.pair, 'srflx-only', this.server.origins[0], '/leaks/index.html');
    await page.close();
  }

  /** Runs `program` as a page in one browser; what it recorded (a thrown error becomes one record). */
  async record(b: RunningBrowser, program: Program, title: string): Promise<string[]> {
    const id = String(++serial);
    pages.set(id, renderPage(program, title));
    try {
      return await this.recordPage(b, `${ROUTE}?id=${id}`);
    } finally {
      pages.delete(id);
    }
  }

  /** Runs a page written by renderPage (`path` on the fixture server, e.g. a reproducer) in one browser. */
  async recordPage(b: RunningBrowser, path: string): Promise<string[]> {
    let page = this.tabs.get(b);
    try {
      if (!page) {
        page = await b.browser.newPage();
        this.tabs.set(b, page);
      }
      const ice = encodeURIComponent(JSON.stringify(this.bed.iceServers));
      await page.goto(`${this.server.origins[0]}${path}${path.includes('?') ? '&' : '?'}ice=${ice}`, { waitUntil: 'domcontentloaded', timeout: 20_000 });
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`program did not finish within ${PROGRAM_TIMEOUT_MS} ms`)), PROGRAM_TIMEOUT_MS);
      });
      const evaluated = page.evaluate(() => (window as unknown as { fuzzResult: Promise<string> }).fuzzResult);
      evaluated.catch(() => undefined); // reported through the race
      try {
        return JSON.parse(await Promise.race([evaluated, limit])) as string[];
      } finally {
        clearTimeout(timer);
      }
    } catch (err) {
      // A tab in an unknown state is not reused.
      this.tabs.delete(b);
      await page?.close().catch(() => undefined);
      return [`runner error: ${err instanceof Error ? err.message : String(err)}`];
    }
  }

  /** What breaks srflx-only in what a program recorded in the guarded browser. */
  async violations(program: Program, title: string): Promise<string[]> {
    return modeViolations(await this.record(this.pair.guarded, program, title), 'srflx-only', this.bed);
  }

  /**
   * Runs a program in both browsers and judges what the guarded one recorded against the control;
   * with `path`, the page saved there (a reproducer of `program`) instead of a fresh rendering.
   */
  async judge(program: Program, title: string, index = -1, path?: string): Promise<Outcome> {
    const started = Date.now();
    const run = (b: RunningBrowser) => (path ? this.recordPage(b, path) : this.record(b, program, title));
    const [control, guarded] = await Promise.all([run(this.pair.control), run(this.pair.guarded)]);
    const traces = lanTraces(control, this.bed);
    const violations = modeViolations(guarded, 'srflx-only', this.bed);
    const runnerError = [...control, ...guarded].find((s) => s.startsWith('runner error: '));
    const verdict: Verdict = violations.length ? (traces.length ? 'hit' : 'suspect') : runnerError ? 'error' : traces.length ? 'pass' : 'inert';
    const evidence = violations.length ? guarded.filter((r) => modeViolations([r], 'srflx-only', this.bed).length > 0).slice(0, 20) : undefined;
    return { index, program, verdict, control: traces, violations, ms: Date.now() - started, ...(runnerError ? { error: runnerError } : {}), ...(evidence ? { evidence } : {}) };
  }

  /** Runs program `index` of `seed` in both browsers; on a hit, minimises it and writes a reproducer. */
  async run(seed: number, index: number): Promise<Outcome> {
    const program = generate(seed, index);
    const title = `IceGuard fuzz program ${seed}/${index} (${this.pair.guarded.kind})`;
    const outcome = await this.judge(program, title, index);
    this.coverage.add(program, outcome.verdict);
    const { verdict, violations } = outcome;
    const evidence = (outcome.evidence ?? []).slice(0, 6).map((r) => (r.length > 400 ? `${r.slice(0, 400)}...` : r));
    this.opts.log?.(`${this.pair.guarded.kind} ${seed}/${index} ${verdict} ${outcome.ms} ms: ${describeProgram(program)}${[...violations.slice(0, 5), ...evidence].map((l) => `\n    ${l}`).join('')}`);
    if (verdict === 'hit') await this.onHit(seed, outcome, title);
    return outcome;
  }

  private async onHit(seed: number, outcome: Outcome, title: string): Promise<void> {
    const tries = this.opts.minimiseTries ?? 30;
    const small = tries > 0
      ? await minimise(outcome.program, async (q) => (await this.violations(q, `${title}, minimising`)).length > 0, tries)
      : { program: outcome.program, tries: 0, complete: false };
    const name = `${this.pair.guarded.kind}-seed${seed}-${outcome.index}`;
    const page = renderPage(small.program, `IceGuard fuzz reproducer ${name}`);
    let file: string | null = null;
    if (this.opts.reproducerDir) {
      mkdirSync(this.opts.reproducerDir, { recursive: true });
      file = join(this.opts.reproducerDir, `${name}.html`);
      writeFileSync(file, page);
    }
    this.hits.push({ outcome, minimised: small.program, tries: small.tries, page, file });
    this.opts.log?.(`HIT ${name}, minimised in ${small.tries} runs${small.complete ? '' : ' (budget ran out)'}: ${describeProgram(small.program)}${file ? `\n  reproducer: ${file}` : ''}`);
  }

  /** Runs programs `first`, `first+1`, ... of `seed` until `count` ran, `deadline` (epoch ms) passed, or `stop` says so. */
  async runMany(seed: number, first: number, count: number, deadline: number, stop: (o: Outcome) => boolean = () => false): Promise<Outcome[]> {
    const out: Outcome[] = [];
    for (let i = first; i < first + count && Date.now() < deadline; i++) {
      const o = await this.run(seed, i);
      out.push(o);
      if (stop(o)) break;
    }
    return out;
  }

  async close(): Promise<void> {
    for (const page of this.tabs.values()) await page.close().catch(() => undefined);
    this.tabs.clear();
  }
}
