// The browser floor (issue #5): privacy.network.webRTCIPHandlingPolicy set as the user chose, read
// back through the browser's API, with its effect on a real gathering; "strict" lifts it only while a
// tab of a direct site is open and puts it back after; "none" hands the setting back to the browser.
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBed } from './harness/hooks';
import { backgroundCall, BROWSER_KINDS, gather, launch, type Bed, type FixtureServer, type RunningBrowser } from './harness';

let bed: Bed;
let server: FixtureServer;
useBed(
  (b, s) => {
    bed = b;
    server = s;
  },
  { turn: true },
);

interface Floor {
  wanted: string | null;
  value: string | null;
  levelOfControl: string | null;
  lifted: boolean;
}

describe.each(BROWSER_KINDS)('%s', (kind) => {
  let b: RunningBrowser;
  let page: Page;
  beforeAll(async () => {
    b = await launch(kind, { host: bed.lan });
    page = await b.browser.newPage();
    await page.goto(`${server.origins[0]}/gather.html`);
    // No prompt windows in this file: they are not what it tests.
    await backgroundCall(page, { type: 'ui', request: { ui: 'set-setting', key: 'prompts', value: { rawHost: false, failed: false, firstUse: false } } });
  });
  afterAll(async () => {
    await b?.close();
  });

  const floor = async () => (await backgroundCall<{ floor: Floor }>(page, { type: 'floor' })).floor;
  const set = async (key: string, value: unknown) => {
    const r = await backgroundCall<{ reply: { ok: boolean } }>(page, { type: 'ui', request: { ui: 'set-setting', key, value } });
    expect(r.reply.ok).toBe(true);
  };
  /** Polls the floor until `want` holds (the background applies it after storage changes). */
  async function floorWhere(want: (f: Floor) => boolean): Promise<Floor> {
    const end = Date.now() + 8000;
    let f = await floor();
    while (!want(f) && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 100));
      f = await floor();
    }
    return f;
  }

  it('none (the default) leaves the browser its own setting', async () => {
    const f = await floor();
    expect(f.wanted).toBeNull();
    expect(f.levelOfControl).toBe('controllable_by_this_extension');
  });

  it('mode 3 is set in the browser, and the browser then gathers no host candidates', async () => {
    const before = await gather(page, { iceServers: bed.iceServers });
    expect(before.types).toContain('host');
    await set('floor', 'public-interface-only');
    const f = await floorWhere((x) => x.value === 'default_public_interface_only');
    expect(f).toMatchObject({ value: 'default_public_interface_only', levelOfControl: 'controlled_by_this_extension', lifted: false });
    const after = await gather(page, { iceServers: bed.iceServers });
    expect(after.complete).toBe(true);
    expect(after.types).not.toContain('host');
    // Measured: Chromium still gathers srflx and relay; Firefox ESR 153 gathers relay only.
    expect(after.types).toEqual(expect.arrayContaining(kind === 'chromium' ? ['srflx', 'relay'] : ['relay']));
  });

  it('mode 4 is set in the browser', async () => {
    await set('floor', 'disable-non-proxied-udp');
    const f = await floorWhere((x) => x.value === 'disable_non_proxied_udp');
    expect(f).toMatchObject({ value: 'disable_non_proxied_udp', levelOfControl: 'controlled_by_this_extension' });
  });

  it('strict: lifted while a tab of a direct site is open, put back when it closes', async () => {
    await set('floor', 'public-interface-only');
    await set('floorStrict', true);
    expect(await floorWhere((x) => x.value === 'default_public_interface_only')).toMatchObject({ lifted: false });
    const directOrigin = server.origins[1]!;
    await backgroundCall(page, { type: 'set-site-mode', origin: directOrigin, mode: 'direct' });
    const tab = await b.browser.newPage();
    await tab.goto(`${directOrigin}/gather.html`);
    // What the tabs call for is read at once, the browser's setting once the reaction applied it: both awaited.
    const lifted = await floorWhere((x) => x.lifted && x.levelOfControl === 'controllable_by_this_extension');
    expect(lifted).toMatchObject({ lifted: true, wanted: null, levelOfControl: 'controllable_by_this_extension' });
    // The direct site now gets host candidates from the browser (and, being direct, sees them).
    expect((await gather(tab, { iceServers: [] })).types).toContain('host');
    await tab.close();
    expect(await floorWhere((x) => !x.lifted && x.value === 'default_public_interface_only')).toMatchObject({ lifted: false, value: 'default_public_interface_only' });
  });

  it('back to none: IceGuard lets go of the setting', async () => {
    await set('floorStrict', false);
    await set('floor', 'none');
    const f = await floorWhere((x) => x.levelOfControl === 'controllable_by_this_extension');
    expect(f.wanted).toBeNull();
    expect((await gather(page, { iceServers: bed.iceServers })).types).toContain('host');
  });
});
