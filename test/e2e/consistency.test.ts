// What a page sees stays consistent while IceGuard holds candidates (issue #20): gathering state and
// its events, the end of candidates, and the local description, on the first page after a fresh
// browser start (when the background's first answer is slowest) and after it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useBed } from './harness/hooks';
import { backgroundCall, BROWSER_KINDS, launch, type Bed, type FixtureServer, type RunningBrowser } from './harness';
import { callLeaks, lanTraces } from './harness/leak-tools';

let bed: Bed;
let server: FixtureServer;
useBed((b, s) => {
  bed = b;
  server = s;
});

interface Consistency {
  order: string[];
  atComplete: { via: string; shownBefore: number; inDescription: number; sdp: string } | null;
  finalCandidates: number;
}

describe.each(BROWSER_KINDS)('%s', (kind) => {
  let b: RunningBrowser | undefined;
  beforeEach(async () => {
    b = await launch(kind, { host: bed.lan });
  });
  afterEach(async () => {
    await b?.close();
    b = undefined;
  });

  const run = async () => {
    const page = await b!.browser.newPage();
    try {
      await page.goto(`${server.origins[0]}/leaks/bypass.html`);
      await page.waitForFunction(() => 'pageScenarios' in window, { timeout: 10_000 });
      return await callLeaks<Consistency>(page, 'bypass-call', 'gatheringConsistency', { iceServers: bed.iceServers });
    } finally {
      await page.close().catch(() => undefined);
    }
  };

  const check = (r: Consistency) => {
    expect(lanTraces(r, bed)).toEqual([]);
    expect(r.atComplete).not.toBeNull();
    const c = r.atComplete!;
    expect(c.shownBefore).toBeGreaterThan(0);
    expect(c.inDescription).toBeGreaterThanOrEqual(c.shownBefore);
    // After the first `complete`: no candidate line, and the attribute and the listener agree.
    const firstComplete = r.order.findIndex((o) => o.startsWith('state complete'));
    expect(r.order.slice(firstComplete).filter((o) => o === 'candidate line')).toEqual([]);
    expect(r.order.filter((o) => o.startsWith('state complete'))).toHaveLength(2);
    expect(r.order).toContain('null');
    expect(r.finalCandidates).toBe(c.inDescription);
  };

  it('first page after a fresh start: at "complete" the description holds every candidate shown, and only the end comes after', async () => {
    check(await run());
  });

  it('first page after a fresh start: a non-trickle in-page pair with no ICE server connects, names shown while the policy is read', async ({ annotate }) => {
    const page = await b!.browser.newPage();
    try {
      await page.goto(`${server.origins[0]}/leaks/index.html`);
      await page.waitForFunction(() => 'leaks' in window, { timeout: 10_000 });
      const started = Date.now();
      const seen = await callLeaks<{ connected: boolean; connectMs: number; echo: string | null; seen: unknown }>(page, 'roundTrip', { iceServers: [], nonTrickle: true });
      const ms = Date.now() - started;
      expect(seen).toMatchObject({ connected: true, echo: 'echo:ping' });
      expect(lanTraces(seen.seen, bed)).toEqual([]);
      const { state } = await backgroundCall<{ state: { first: { from: string } | null; modeFrom: string; modeArrivedMs: number; answerArrivedMs: number; relayStartedMs: number } }>(page, { type: 'relay-state' });
      // The relay's first word: provisional in Chromium (whose first policy read takes ~3 s) unless this
      // page came later than that; the real answer by the end.
      expect(['provisional', 'background', 'hint']).toContain(state.first?.from);
      expect(state.modeFrom).toBe('background');
      await annotate(`first answer ${state.first?.from} after ${Math.round(state.modeArrivedMs - state.relayStartedMs)} ms, the real one after ${Math.round(state.answerArrivedMs - state.relayStartedMs)} ms; the pair connected in ${seen.connectMs} ms (${ms} ms with the stats read)`);
    } finally {
      await page.close().catch(() => undefined);
    }
  });

  it('a later page: the same', async () => {
    // No prompt window in this one (a window opening under WebDriver BiDi can stall Firefox's next navigation).
    const page = await b!.browser.newPage();
    await page.goto(`${server.origins[0]}/leaks/blank.html`);
    await backgroundCall(page, { type: 'ui', request: { ui: 'set-setting', key: 'prompts', value: { rawHost: false, failed: false, firstUse: false } } });
    await page.close();
    check(await run());
  });
});
