// LAN helper benchmark (issue #7), part of `npm run bench`: the built helper in bed host A with
// 10,000 registered names; host B on the same bridge asks for them (QU questions, unicast answers)
// in bounded bursts. Prints answers per second, loss, p50/p99 answer latency, and the helper's
// resident memory with 10,000 names. Targets: >= 10,000 answers/s with no loss, p99 < 2 ms, < 80 MB.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBed } from '../test/e2e/harness';
import { startHelper } from '../test/e2e/harness/lan-helper';
import { repoRoot, runScript, Scope, spawnIn, tempDir } from '../test/e2e/harness/sys';

const NAMES = Number(process.env.BENCH_NAMES ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const BURST = Number(process.env.BENCH_BURST ?? 1000);
const GAP_MS = Number(process.env.BENCH_GAP_MS ?? 50);

const rssMb = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};

function uuid(i: number): string {
  const hex = i.toString(16).padStart(12, '0');
  return `b3a1c2d4-0000-4000-8000-${hex}.local`;
}

async function main(): Promise<void> {
  const scope = new Scope();
  const bed = await createBed();
  try {
    const b = bed.addHost(20);
    const helper = startHelper(bed.lan.ns, scope);
    await helper.request({ type: 'hello' });
    const rssEmpty = rssMb(helper.pid);
    const names: string[] = [];
    // The helper caps names per tab (32) and per site (64): spread them like many tabs would.
    for (let i = 0; i < NAMES; i += 32) {
      const batch = [];
      for (let j = i; j < Math.min(NAMES, i + 32); j++) batch.push({ name: uuid(j), address: bed.lan.v4 });
      const r = await helper.request({ type: 'register', tab: i / 32, site: `https://site${Math.floor(i / 64)}.example`, names: batch });
      names.push(...((r.accepted as string[]) ?? []));
    }
    if (names.length !== NAMES) throw new Error(`registered ${names.length} of ${NAMES} names`);
    await new Promise((r) => setTimeout(r, 1500)); // announcements settle
    const rss = rssMb(helper.pid);
    const dir = tempDir(scope, 'bench-helper');
    const file = join(dir, 'names.txt');
    // Shuffled, so answers are looked up all over the registry.
    const order = names.map((n, i) => [((i * 7919) % names.length), n] as const).sort((x, y) => x[0] - y[0]).map((x) => x[1]);
    writeFileSync(file, order.join('\n') + '\n');
    type Load = { asked: number; answered: number; seconds: number; p50: number; p99: number; max: number };
    const runLoad = async (rounds: number, burst: number, gapMs: number): Promise<Load> => {
      const load = spawnIn(b.ns, process.execPath, [join(repoRoot(), 'scripts/mdns-load.mjs'), file, String(rounds), String(burst), String(gapMs)], { scope, label: 'mdns-load' });
      const [line] = await load.waitFor(/^\{.*\}$/m, 120_000);
      return JSON.parse(line) as Load;
    };
    // Latency one question at a time, about 1,000 a second (one per ms); then throughput under bursts.
    const steady = await runLoad(2000, 1, 1);
    const r = await runLoad(ROUNDS, BURST, GAP_MS);
    const summary = {
      names: NAMES,
      asked: r.asked,
      answered: r.answered,
      lossPercent: (100 * (r.asked - r.answered)) / r.asked,
      answersPerSecond: r.answered / r.seconds,
      offeredPerSecond: r.asked / r.seconds,
      latencyMs: { p50: steady.p50, p99: steady.p99, max: steady.max, steadyLossPercent: (100 * (steady.asked - steady.answered)) / steady.asked },
      burstLatencyMs: { p50: r.p50, p99: r.p99, max: r.max },
      rssMb: { empty: rssEmpty, withNames: rss },
    };
    console.log(`\nLAN helper benchmark: ${NAMES} names registered; host B asks ${ROUNDS} bursts of ${BURST} QU questions, ${GAP_MS} ms apart`);
    console.log(`  answers: ${r.answered} of ${r.asked} (loss ${summary.lossPercent.toFixed(2)}%), ${summary.answersPerSecond.toFixed(0)} answers/s at ${summary.offeredPerSecond.toFixed(0)} asked/s   (target >= 10000/s, no loss)`);
    console.log(`  answer latency, one question per ms: p50 ${steady.p50?.toFixed(3)} ms, p99 ${steady.p99?.toFixed(3)} ms, max ${steady.max?.toFixed(3)} ms (${steady.answered}/${steady.asked} answered)   (target p99 < 2 ms)`);
    console.log(`  answer latency inside the bursts (queueing included): p50 ${r.p50?.toFixed(3)} ms, p99 ${r.p99?.toFixed(3)} ms`);
    console.log(`  helper memory (RSS): ${rssEmpty.toFixed(1)} MB empty, ${rss.toFixed(1)} MB with ${NAMES} names   (target < 80 MB)`);
    writeFileSync(join(repoRoot(), 'dist/bench-helper.json'), JSON.stringify(summary, null, 2) + '\n');
  } finally {
    scope.close();
    bed.close();
  }
}

runScript(main);
