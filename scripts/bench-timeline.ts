// One simple-peer connection's timeline, run after run (issue #15): Chromium ↔ Chromium on two LAN
// hosts, STUN/TURN on every page, as `npm run bench`'s apps part. Prints when each side opened, sent
// and got each signal and connected (ms from B's open), and with IceGuard (test build) the shim's
// requests to the relay as they came (PENDING: held for the mode or a name) and when the background's
// answer arrived. COND: with (IceGuard + LAN helper, the default), relay (IceGuard, no helper),
// without (raw addresses), names (the browser's own mDNS names); RUNS (default 4; run 0 starts the
// helper); MANY=50: many.html's 50 connections at once instead; PROFILE_OUT=<prefix>: a CPU profile of
// A's page per run (<prefix>-<run>.cpuprofile). `node build.mjs --test --tools && COND=with
// node dist/tools/bench-timeline.mjs` (root).
import { writeFileSync } from 'node:fs';
import { backgroundCall, launch } from '../test/e2e/harness';
import { closeApp, makeAppBed, openApp, connectAll } from '../test/e2e/harness/apps';
import { launchWithHelper } from '../test/e2e/harness/lan-helper';
import { runScript, Scope } from '../test/e2e/harness/sys';

/** MANY > 1: many.html's connections at once instead of one simple-peer connection. */
const MANY = Number(process.env.MANY ?? 1);

async function main(): Promise<void> {
  const scope = new Scope();
  const app = await makeAppBed();
  const { bed, hostB, serverA, serverB } = app;
  const cond = process.env.COND ?? 'with';
  const start = (host: typeof hostB) => (cond === 'without' ? launch('chromium', { host, extension: false }) : cond === 'names' ? launch('chromium', { host, extension: false, rawHostIps: false }) : cond === 'relay' ? launch('chromium', { host, extension: 'test' }) : launchWithHelper('chromium', { host, extension: 'test' }, scope));
  const [a, b] = await Promise.all([start(bed.lan), start(hostB)]);
  try {
    for (let run = 0; run < Number(process.env.RUNS ?? 4); run++) {
      const page = MANY > 1 ? 'many' : 'simple-peer';
      const pa = await openApp(await a.browser.newPage(), `${serverA.origins[0]}/apps/${page}.html`, `r${run}`, 'a', 'b');
      const pb = await openApp(await b.browser.newPage(), `${serverB.origins[0]}/apps/${page}.html`, `r${run}`, 'b', 'a');
      const ids = Array.from({ length: MANY }, (_, i) => `c${i}`);
      const cdp = process.env.PROFILE_OUT ? await pa.page.createCDPSession() : null;
      if (cdp) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
        await cdp.send('Profiler.start');
      }
      const c = await connectAll(pa, pb, ids, { iceServers: bed.iceServers, limitMs: 30_000 });
      if (cdp) writeFileSync(`${process.env.PROFILE_OUT}-${run}.cpuprofile`, JSON.stringify((await cdp.send('Profiler.stop')).profile));
      if (MANY > 1) {
        console.log(`run ${run}: ${MANY} connections, all open after ${c.ms} ms (${c.opened.join(' and ')} open)`);
        if (cond === 'with' || cond === 'relay') {
          for (const [n, p] of [['A', pa], ['B', pb]] as const) {
            const s = await backgroundCall<{ state: { asks: Record<string, number>; askMs: Record<string, number>; askLog: { at: number; kind: string; pending: boolean }[] } }>(p.page, { type: 'relay-state' });
            const held = (s.state.askLog ?? []).filter((x) => x.pending).length;
            console.log(`  ${n}: ${Object.entries(s.state.asks ?? {}).map(([k, v]) => `${k} ${v} (${(s.state.askMs[k] ?? 0).toFixed(1)} ms)`).join(", ")}; relay ${Object.values(s.state.askMs ?? {}).reduce((x, y) => x + y, 0).toFixed(1)} ms; held (first 300 requests) ${held}`);
          }
        }
        await closeApp(pa);
        await closeApp(pb);
        continue;
      }
      const tl = async (p: typeof pa) => (await p.page.evaluate(() => (window as unknown as { app: { timeline(): { at: number; what: string }[] } }).app.timeline()));
      const [ta, tb] = [await tl(pa), await tl(pb)];
      const t0 = Math.min(...ta.map((x) => x.at), ...tb.map((x) => x.at));
      const all = [...ta.map((x) => ({ ...x, who: 'A' })), ...tb.map((x) => ({ ...x, who: 'B' }))].sort((x, y) => x.at - y.at);
      console.log(`run ${run}: connect ${c.ms} ms`);
      console.log('  ' + all.map((x) => `${x.at - t0}:${x.who} ${x.what}`).join(' | '));
      if (cond === 'with' || cond === 'relay') {
        for (const [n, p] of [['A', pa], ['B', pb]] as const) {
          const s = await backgroundCall<{ state: Record<string, unknown> }>(p.page, { type: 'relay-state' });
          const st = s.state as { relayStartedMs: number; modeArrivedMs: number; answerArrivedMs: number };
          const now = await p.page.evaluate(() => [performance.timeOrigin, performance.now()]);
          console.log(`  ${n} asks: ` + (s.state.askLog as { at: number; kind: string; c: string; pending: boolean }[]).filter((x) => x.at >= t0).map((x) => `${x.at - t0}:${x.kind}${x.c ? ' ' + x.c : ''}${x.pending ? ' PENDING' : ''}`).join(' | '));
          console.log(`  ${n}: relay answer at ${(now[0]! + st.answerArrivedMs - t0).toFixed(0)} (mode ${(now[0]! + st.modeArrivedMs - t0).toFixed(0)})`);
        }
      }
      await closeApp(pa);
      await closeApp(pb);
    }
  } finally {
    await a.close();
    await b.close();
    app.close();
    scope.close();
  }
}
runScript(main);
