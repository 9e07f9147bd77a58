// `npm run bench` (real apps, issue #8): what IceGuard costs a real app. Chromium ↔ Chromium in two
// hosts of the bed's LAN (STUN/TURN beyond its NAT), three pairs of browsers kept open through the run:
//   without  no extension: the browsers' raw host candidates, host ↔ host (a site with camera access);
//   names    no extension, the browsers' own default: host candidates as Chromium's own `.local`
//            names, which the peer resolves over mDNS (a site without camera access), host ↔ host;
//   with     IceGuard's default mode and the LAN helper: host ↔ host through IceGuard's names (same path);
//   relay    IceGuard's default mode, no helper: the names resolve nowhere and the NAT does not
//            hairpin, so the path is the TURN relay (a different path: reported, not held to the target).
// Figures: scenario 1 (simple-peer, 8 MiB over one data channel, SHA-256 checked): connect time, TTFB,
// throughput; scenario 2 (WebTorrent, one page seeds 4 MiB, the other downloads and checks them): time
// to completion; and the 50-connection figure, run as apps-many.test.ts does it (50 simple-peer
// connections at once between the two browsers: until all are open). Every page uses the bed's
// STUN/TURN in every condition, so the only difference is IceGuard (and the path it leads to).
// Each figure: one warm-up, then BENCH_APP_RUNS runs per condition, the conditions' order rotating per
// run; medians, ratios against `without` (target <= 1.05 where the path is the same). Prints a table
// and writes <dist>/bench-apps.json (ICEGUARD_DIST honoured). A run that does not connect or whose
// hash is wrong fails the benchmark (exit 1) after the table.
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { launch, type RunningBrowser } from '../test/e2e/harness';
import { closeApp, makeAppBed, openApp, openMany, pairsText, pairText, sendBetween, SIMPLE_PEER_VERSION, type AppBed, type PairTypes } from '../test/e2e/harness/apps';
import { DIST } from '../test/e2e/harness/browsers';
import { launchWithHelper } from '../test/e2e/harness/lan-helper';
import { cleanupAll, runScript, Scope } from '../test/e2e/harness/sys';
import { closeTorrentApp, openTorrentApp, reachTracker, seedAndDownload, serveWebTorrent, startTracker, WEBTORRENT_VERSION } from '../test/e2e/harness/webtorrent-app';

const RUNS = Number(process.env.BENCH_APP_RUNS ?? 5);
const LIMIT_S = Number(process.env.BENCH_APP_LIMIT_S ?? 600);
const SP_SIZE = 8 * 1024 * 1024;
const WT_SIZE = 4 * 1024 * 1024;
const MANY = 50;
const CONNECT_MS = 15_000;
const MANY_MS = 30_000;
const WT_MS = 20_000;

const CONDS = ['without', 'names', 'with', 'relay'] as const;
type Cond = (typeof CONDS)[number];
type Pair = { a: RunningBrowser; b: RunningBrowser };

/** One run's outcome: `ok` (connected, bytes intact), the figures, and the selected paths. */
interface Run {
  ok: boolean;
  figures: Record<string, number>;
  /** The selected pairs' paths, A's then B's (for WebTorrent: every connection's). */
  path: string;
  error?: string;
}

const median = (xs: number[]) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Which path each condition must take for its runs to count as the path the table names. */
const HOST_HOST = 'host ↔ host / host ↔ host';
const expectedPath = (c: Cond, path: string) => (c === 'relay' ? path.includes('relay') : path === HOST_HOST);

/** The warm-up runs, kept apart (the first page of a browser with the helper waits for it to start). */
const warmUps: Record<string, Partial<Record<Cond, Run>>> = {};

/** Warm-up, then RUNS runs of each condition, their order rotating per run. */
async function rotate(name: string, run: (c: Cond, i: number) => Promise<Run>): Promise<Record<Cond, Run[]>> {
  const out: Record<Cond, Run[]> = { without: [], names: [], with: [], relay: [] };
  const warm = (warmUps[name] = {} as Partial<Record<Cond, Run>>);
  for (let i = 0; i <= RUNS; i++) {
    const order = CONDS.map((_, k) => CONDS[(k + i) % CONDS.length]!);
    for (const c of order) {
      const r = await run(c, i).catch((err: unknown): Run => ({ ok: false, figures: {}, path: 'none', error: err instanceof Error ? err.message.split('\n')[0] : String(err) }));
      if (i > 0) out[c].push(r);
      else warm[c] = r;
      process.stderr.write(`  ${name} ${i ? `run ${i}` : 'warm-up'} ${c}: ${r.ok ? JSON.stringify(r.figures) : `FAIL ${r.error ?? ''}`} ${r.path}\n`);
    }
  }
  return out;
}

const both = (p: [PairTypes | null, PairTypes | null]) => `${pairText(p[0])} / ${pairText(p[1])}`;

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the benchmark runs browsers in network namespaces: run it as root');
  const watchdog = setTimeout(() => {
    console.error(`bench-apps: not done after ${LIMIT_S} s (BENCH_APP_LIMIT_S); giving up`);
    cleanupAll();
    process.exit(1);
  }, LIMIT_S * 1000);
  watchdog.unref();
  const loadAtStart = loadavg()[0]!;
  const scope = new Scope();
  let app: AppBed | undefined;
  const browsers: Partial<Record<Cond, Pair>> = {};
  try {
    app = await makeAppBed();
    const { bed, hostB, serverA, serverB } = app;
    serveWebTorrent(serverA, serverB);
    const announce = await startTracker(bed, scope);
    // Every browser can reach the tracker, so the same browsers serve every figure.
    const start = (c: Cond, host: typeof hostB) => {
      const opts = { host, ...reachTracker(bed) };
      if (c === 'without') return launch('chromium', { ...opts, extension: false });
      if (c === 'names') return launch('chromium', { ...opts, extension: false, rawHostIps: false });
      return c === 'with' ? launchWithHelper('chromium', opts, scope) : launch('chromium', opts);
    };
    for (const c of CONDS) {
      const [a, b] = await Promise.all([start(c, bed.lan), start(c, hostB)]);
      browsers[c] = { a, b };
    }
    const pair = (c: Cond) => browsers[c]!;
    let rooms = 0;

    const sp = await rotate('simple-peer', async (c) => {
      const room = `bench${rooms++}`;
      const pa = await openApp(await pair(c).a.browser.newPage(), `${serverA.origins[0]}/apps/simple-peer.html`, room, 'a', 'b');
      const pb = await openApp(await pair(c).b.browser.newPage(), `${serverB.origins[0]}/apps/simple-peer.html`, room, 'b', 'a');
      try {
        const t = await sendBetween(pa, pb, { size: SP_SIZE, iceServers: bed.iceServers, limitMs: CONNECT_MS });
        const ok = t.connected && t.hashOk;
        return { ok, figures: { connectMs: t.connectMs, ttfbMs: t.ttfbMs, mbps: t.mbps }, path: both(t.pairs), error: ok ? undefined : t.connected ? 'bytes or hash wrong' : 'no connection' };
      } finally {
        await closeApp(pa);
        await closeApp(pb);
      }
    });

    const many = await rotate('50 connections', async (c) => {
      const room = `bench${rooms++}`;
      const pa = await openApp(await pair(c).a.browser.newPage(), `${serverA.origins[0]}/apps/many.html`, room, 'a', 'b');
      const pb = await openApp(await pair(c).b.browser.newPage(), `${serverB.origins[0]}/apps/many.html`, room, 'b', 'a');
      try {
        const m = await openMany(pa, pb, { n: MANY, iceServers: bed.iceServers, limitMs: MANY_MS });
        // The paths of the first and the last connection stand for all.
        const ends = [m.ids[0]!, m.ids[MANY - 1]!];
        const paths = new Set<string>();
        for (const id of ends) paths.add(both([await pa.pair(id), await pb.pair(id)]));
        const ok = m.opened[0] === MANY && m.opened[1] === MANY;
        return { ok, figures: { allOpenMs: m.ms }, path: [...paths].join('; '), error: ok ? undefined : `${m.opened.join(' and ')} of ${MANY} open` };
      } finally {
        await closeApp(pa);
        await closeApp(pb);
      }
    });

    const wt = await rotate('webtorrent', async (c) => {
      const pa = await openTorrentApp(pair(c).a, serverA.origins[0]);
      const pb = await openTorrentApp(pair(c).b, serverB.origins[0]);
      try {
        const s = await seedAndDownload(pa, pb, { size: WT_SIZE, announce, iceServers: bed.iceServers, timeoutMs: WT_MS });
        const error = s.hashOk ? undefined : s.got.done ? 'bytes or hash wrong' : `not done in ${WT_MS / 1000} s (${Math.round(s.got.progress * 100)} %)`;
        return { ok: s.hashOk, figures: { completionMs: s.got.ms }, path: `${pairsText(s.pairs[0])} / ${pairsText(s.pairs[1])}`, error };
      } finally {
        await closeTorrentApp(pa);
        await closeTorrentApp(pb);
      }
    });

    report({ sp, many, wt }, [loadAtStart, loadavg()[0]!]);
  } finally {
    for (const c of CONDS) {
      await browsers[c]?.a.close();
      await browsers[c]?.b.close();
    }
    app?.close();
    scope.close();
    clearTimeout(watchdog);
  }
}

interface Figure {
  label: string;
  key: string;
  unit: string;
  /** true: more is better (throughput), so the ratio is without ÷ with. */
  higher?: boolean;
  /** Held to the target where the path is the same. */
  target: boolean;
  runs: Record<Cond, Run[]>;
}

function report(r: { sp: Record<Cond, Run[]>; many: Record<Cond, Run[]>; wt: Record<Cond, Run[]> }, load: [number, number]): void {
  const figures: Figure[] = [
    { label: '1 simple-peer 8 MiB: connect', key: 'connectMs', unit: 'ms', target: false, runs: r.sp },
    { label: '1 simple-peer 8 MiB: TTFB', key: 'ttfbMs', unit: 'ms', target: true, runs: r.sp },
    { label: '1 simple-peer 8 MiB: throughput', key: 'mbps', unit: 'Mbit/s', higher: true, target: true, runs: r.sp },
    { label: '2 WebTorrent 4 MiB: completion', key: 'completionMs', unit: 'ms', target: true, runs: r.wt },
    { label: `${MANY} connections at once: all open`, key: 'allOpenMs', unit: 'ms', target: true, runs: r.many },
  ];
  const rows = figures.map((f) => {
    const med = Object.fromEntries(CONDS.map((c) => [c, median(f.runs[c].filter((x) => x.ok).map((x) => x.figures[f.key]!))])) as Record<Cond, number>;
    const ratio = (c: Cond, base: Cond = 'without') => (f.higher ? med[base] / med[c] : med[c] / med[base]);
    return { figure: f.label, unit: f.unit, median: med, ratio: { with: ratio('with'), relay: ratio('relay'), withOverNames: ratio('with', 'names') }, target: f.target ? 1.05 : null };
  });
  // The most common path per condition and scenario, and how many runs took the expected one.
  const paths = Object.fromEntries(
    (['sp', 'many', 'wt'] as const).map((k) => [
      k,
      Object.fromEntries(
        CONDS.map((c) => {
          const list = r[k][c].map((x) => x.path);
          const common = [...new Set(list)].sort((x, y) => list.filter((p) => p === y).length - list.filter((p) => p === x).length)[0] ?? 'none';
          return [c, { common, expected: list.filter((p) => p.split('; ').every((q) => expectedPath(c, q))).length, of: list.length }];
        }),
      ),
    ]),
  ) as Record<'sp' | 'many' | 'wt', Record<Cond, { common: string; expected: number; of: number }>>;
  const failed = (['sp', 'many', 'wt'] as const).flatMap((k) => CONDS.flatMap((c) => r[k][c].filter((x) => !x.ok).map((x) => `${k} ${c}: ${x.error}`)));

  const num = (n: number, unit: string) => (Number.isFinite(n) ? `${unit === 'Mbit/s' ? n.toFixed(1) : Math.round(n)} ${unit}` : 'n/a');
  const rat = (n: number) => (Number.isFinite(n) ? n.toFixed(3) : 'n/a');
  const pad = (s: string, n: number) => s.padEnd(n);
  console.log(`\nReal-app benchmark (issue #8): Chromium ↔ Chromium, two hosts on the bed's LAN, STUN/TURN beyond its NAT on every page;`);
  console.log(`simple-peer ${SIMPLE_PEER_VERSION}, webtorrent ${WEBTORRENT_VERSION}; ${RUNS} runs per condition after a warm-up, order rotating; medians.`);
  console.log(`  without: no extension, raw addresses (host ↔ host)   names: no extension, the browser's own mDNS names (host ↔ host)`);
  console.log(`  with: IceGuard srflx-only + LAN helper (host ↔ host, same path)   relay: IceGuard srflx-only, no helper (TURN relay: a different path)`);
  console.log(`  ratio: with ÷ without (throughput: without ÷ with), so above 1 is slower with IceGuard; target <= 1.05 for the same path; ÷names: with ÷ names`);
  // At the end the load is mostly the benchmark's own six browsers: only the start says whether other work ran.
  const busy = load[0] > cpus().length / 2 ? ': other work was running, figures are noisier' : '';
  console.log(`  load average (1 min) before the browsers started ${load[0].toFixed(1)} on ${cpus().length} cores${busy}\n`);
  console.log(`${pad('figure', 36)}${pad('without', 14)}${pad('names', 14)}${pad('with', 14)}${pad('ratio', 8)}${pad('÷names', 8)}${pad('target', 12)}${pad('relay', 14)}ratio (other path)`);
  for (const row of rows) {
    const verdict = row.target === null ? 'info' : row.ratio.with <= row.target ? '<=1.05 ok' : '<=1.05 MISS';
    console.log(
      `${pad(row.figure, 36)}${pad(num(row.median.without, row.unit), 14)}${pad(num(row.median.names, row.unit), 14)}${pad(num(row.median.with, row.unit), 14)}${pad(rat(row.ratio.with), 8)}${pad(rat(row.ratio.withOverNames), 8)}${pad(verdict, 12)}${pad(num(row.median.relay, row.unit), 14)}${rat(row.ratio.relay)}`,
    );
  }
  console.log('\nselected paths (A / B), most common, and runs on the expected path:');
  const names = { sp: '1 simple-peer', many: `${MANY} connections (first and last)`, wt: '2 WebTorrent (seeder / downloader)' };
  for (const k of ['sp', 'many', 'wt'] as const) {
    console.log(`  ${names[k]}: ${CONDS.map((c) => `${c} ${paths[k][c].common} (${paths[k][c].expected}/${paths[k][c].of})`).join('; ')}`);
  }
  if (failed.length) console.log(`\nFAILED runs (not in the medians): ${failed.join('; ')}`);
  const file = join(DIST, 'bench-apps.json');
  writeFileSync(file, JSON.stringify({ runs: RUNS, sizes: { simplePeer: SP_SIZE, webtorrent: WT_SIZE, connections: MANY }, loadAverage: load, cores: cpus().length, figures: rows, paths, failed, raw: r, warmUps }, null, 2) + '\n');
  console.log(`\nwritten: ${file}`);
  if (failed.length) throw new Error(`${failed.length} runs failed`);
}

runScript(main);
