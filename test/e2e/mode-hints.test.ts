// Mode hints (src/background/hints.ts): the site's mode known synchronously at document_start, so a
// page's first inline script already meets it. Chromium's match patterns carry ports, so every site
// gets an exact hint; Firefox's cannot, so a decided site on a non-default port (as every fixture
// origin here is) gets none, nor does any other port of its host: those wait for the background.
// A site on the default port gets an exact hint in both.
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBed } from './harness/hooks';
import { backgroundCall, BROWSER_KINDS, findAddresses, launch, type Bed, type FixtureServer, type RunningBrowser } from './harness';

let bed: Bed;
let server: FixtureServer;
useBed((b, s) => {
  bed = b;
  server = s;
});

interface Early {
  at: number;
  error: string | null;
  candidates: string[];
  complete: boolean;
}
interface RelayState {
  mode: string | null;
  modeFrom: string | null;
  first: { mode: string | null; from: string | null } | null;
  modeArrivedMs: number | null;
}

describe.each(BROWSER_KINDS)('%s', (kind) => {
  let b: RunningBrowser;
  let page: Page;
  beforeAll(async () => {
    b = await launch(kind, { host: bed.lan });
    page = await b.browser.newPage();
    await page.goto(`${server.origins[0]}/gather.html`);
    await backgroundCall(page, { type: 'ui', request: { ui: 'set-setting', key: 'prompts', value: { rawHost: false, failed: false, firstUse: false } } });
  });
  afterAll(async () => {
    await b?.close();
  });

  type Hint = { js: string[]; matches: string[] };
  /**
   * Until the hints the background registered on its own (reactions.ts, after each change) are as
   * `want` says; the bridge only reads them. Bounded: a hint that never comes fails here.
   */
  async function hintsWhere(want: (hints: Hint[]) => boolean): Promise<void> {
    const read = async () => (await backgroundCall<{ hints: Hint[] }>(page, { type: 'hints' })).hints;
    for (let end = Date.now() + 8000; !want(await read()) && Date.now() < end; ) await new Promise((r) => setTimeout(r, 100));
    expect(want(await read())).toBe(true);
  }
  /** The pattern a site's own hint matches (Chromium's with the port), or null where it gets none (Firefox, another port). */
  const sitePattern = (origin: string): string | null => {
    const u = new URL(origin);
    if (kind === 'chromium') return `${u.protocol}//${u.hostname}:${u.port || (u.protocol === 'https:' ? 443 : 80)}/*`;
    return u.port === '' ? `${u.protocol}//${u.hostname}/*` : null;
  };
  /** The site's own hint states `mode`, or (null, or a site that gets none) no hint names the site. */
  const siteHinted = (origin: string, mode: string | null) => (hints: Hint[]) => {
    const p = sitePattern(origin);
    const own = hints.filter((h) => p !== null && h.matches.includes(p));
    return mode === null || p === null ? own.length === 0 : own.some((h) => h.js.includes(`hint-site-${mode}.js`));
  };
  const defaultHinted = (mode: string) => (hints: Hint[]) => hints.some((h) => h.js.includes(`hint-default-${mode}.js`));

  const setDefault = async (mode: string) => {
    await backgroundCall(page, { type: 'ui', request: { ui: 'set-setting', key: 'defaultMode', value: mode } });
    await hintsWhere(defaultHinted(mode));
  };
  const setSite = async (origin: string, mode: string | null) => {
    await backgroundCall(page, { type: 'set-site-mode', origin, mode });
    await hintsWhere(siteHinted(origin, mode));
  };
  /** Opens early.html (`suffix`: a query and fragment) until its connection failed or gathered (or, `firstCandidate`, gave one). */
  async function visit(origin: string, suffix = '', firstCandidate = false): Promise<{ early: Early; relay: RelayState }> {
    await page.goto(`${origin}/early.html${suffix}`);
    await page.waitForFunction(
      (first) => {
        const e = (window as unknown as { early: Early }).early;
        return e.error !== null || e.complete || (first && e.candidates.length > 0);
      },
      { timeout: 10_000 },
      firstCandidate,
    );
    const early = await page.evaluate(() => (window as unknown as { early: Early }).early);
    const relay = (await backgroundCall<{ state: RelayState }>(page, { type: 'relay-state' })).state;
    return { early, relay };
  }

  it('default off: the first inline script already gets NotAllowedError', async () => {
    await setDefault('off');
    const { early, relay } = await visit(server.origins[0]!);
    expect(early.error).toBe('NotAllowedError');
    expect(relay.first).toEqual({ mode: 'off', from: 'hint' });
    expect(relay.mode).toBe('off'); // and the background agrees
  });

  it('default srflx-only: the mode is there before the first script, and no candidate is held for it', async () => {
    await setDefault('srflx-only');
    const { early, relay } = await visit(server.origins[0]!);
    expect(early.error).toBeNull();
    expect(relay.first).toEqual({ mode: 'srflx-only', from: 'hint' });
    expect(relay.modeArrivedMs).not.toBeNull();
    expect(relay.modeArrivedMs!).toBeLessThanOrEqual(early.at);
    expect(findAddresses(JSON.stringify(early), bed.lan.addresses)).toEqual([]);
  });

  it('a decided site: an exact hint in Chromium; in Firefox no hint for any port of its host', async () => {
    const [decided, other] = [server.origins[0]!, server.origins[1]!];
    await setSite(decided, 'direct');
    const d = await visit(decided);
    const o = await visit(other);
    if (kind === 'chromium') {
      expect(d.relay.first).toEqual({ mode: 'direct', from: 'hint' });
      expect(findAddresses(JSON.stringify(d.early), bed.lan.addresses).length).toBeGreaterThan(0);
      expect(o.relay.first).toEqual({ mode: 'srflx-only', from: 'hint' }); // same host, other port: the default
    } else {
      expect(d.relay.first?.from).toBe('background');
      expect(o.relay.first?.from).toBe('background');
    }
    // Either way the background's answer is the one that stays, and nothing leaked on the other site.
    expect(d.relay.mode).toBe('direct');
    expect(o.relay.mode).toBe('srflx-only');
    expect(findAddresses(JSON.stringify(o.early), bed.lan.addresses)).toEqual([]);
  });

  it('a changed decision changes the hint before the next document (never a stale one)', async () => {
    const site = server.origins[0]!;
    await setSite(site, 'off');
    const v = await visit(site);
    expect(v.relay.mode).toBe('off');
    if (kind === 'chromium') {
      expect(v.early.error).toBe('NotAllowedError');
      expect(v.relay.first).toEqual({ mode: 'off', from: 'hint' });
    } else {
      expect(v.relay.first?.from).toBe('background');
    }
    await setSite(site, null);
    const w = await visit(site);
    expect(w.early.error).toBeNull();
    expect(w.relay.first).toEqual({ mode: 'srflx-only', from: 'hint' }); // no decisions left: the default hint again
  });

  it('a decided site on the default port: an exact hint in both browsers; its other ports follow the rules above', async () => {
    const site = server.defaultPortOrigin;
    await setSite(site, 'direct');
    const d = await visit(site);
    expect(d.relay.first).toEqual({ mode: 'direct', from: 'hint' });
    expect(findAddresses(JSON.stringify(d.early), bed.lan.addresses).length).toBeGreaterThan(0);
    const o = await visit(server.origins[0]!); // same host, another port, undecided
    expect(o.relay.first).toEqual(kind === 'chromium' ? { mode: 'srflx-only', from: 'hint' } : { mode: 'srflx-only', from: 'background' });
    expect(findAddresses(JSON.stringify(o.early), bed.lan.addresses)).toEqual([]);
    await setSite(site, null);
  });

  it('a site an enterprise rule names (issue #21): its own hint, so the first script is direct, and a STUN server the browser accepts is not refused', async () => {
    const site = server.defaultPortOrigin;
    // A STUN server at a loopback address: refused outside `direct` (it reaches the local network).
    // Nothing answers it, so Chromium's gathering takes its STUN timeout: the host candidates do.
    const local = `#servers=${encodeURIComponent(JSON.stringify([{ urls: 'stun:127.0.0.1:3478' }]))}`;
    const before = await visit(site, `?before${local}`); // a query of its own: the same URL twice would only change the fragment
    expect(before.early.error).toBe('NotAllowedError');
    await backgroundCall(page, { type: 'test-policy', policy: { DirectAllowedUrls: [site], SiteModes: [{ url: '*.example', mode: 'off' }] } });
    try {
      await hintsWhere(siteHinted(site, 'direct'));
      const d = await visit(site, `?ruled${local}`, true);
      expect(d.relay.first).toEqual({ mode: 'direct', from: 'hint' });
      expect(d.early.error).toBeNull();
      expect(findAddresses(JSON.stringify(d.early), bed.lan.addresses).length).toBeGreaterThan(0);
    } finally {
      await backgroundCall(page, { type: 'test-policy', policy: null });
      await hintsWhere((h) => siteHinted(site, null)(h) && defaultHinted('srflx-only')(h));
    }
  });
});
