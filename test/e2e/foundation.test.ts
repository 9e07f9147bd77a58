// The foundation's promises in both real browsers: the built extension loads, its MAIN-world script
// runs before any page script (page and same-origin frames), and the bed really exposes what later
// leak tests must hide: raw host addresses without the extension, srflx and relay through the NAT.
import { describe, expect, it } from 'vitest';
import { useBed } from './harness/hooks';
import {
  backgroundCall,
  BROWSER_KINDS,
  findAddresses,
  gather,
  launch,
  testIds,
  type Bed,
  type FixtureServer,
} from './harness';

let bed: Bed;
let server: FixtureServer;

useBed((b, s) => {
  bed = b;
  server = s;
});

interface OrderResult {
  probe: { readyState: string; scriptsBefore: number; href: string } | null;
  scriptsNow: number;
}

describe.each(BROWSER_KINDS)('%s', (kind) => {
  it('loads the built extension; its background answers', async () => {
    const b = await launch(kind, { host: bed.lan });
    try {
      const ids = testIds();
      expect(b.extensionId).toBe(kind === 'chromium' ? ids.chrome : ids.firefox);
      const page = await b.browser.newPage();
      await page.goto(`${server.origins[0]}/gather.html`);
      const reply = await backgroundCall<{ ok: boolean; browser: string; version: string }>(page, { type: 'ping' });
      expect(reply).toMatchObject({ ok: true, browser: kind === 'chromium' ? 'chrome' : 'firefox', version: ids.version });
    } finally {
      await b.close();
    }
  });

  it('runs the MAIN-world shim before the first inline script of the page and of its frames', async () => {
    const b = await launch(kind, { host: bed.lan });
    try {
      const page = await b.browser.newPage();
      await page.goto(`${server.origins[1]}/order.html`, { waitUntil: 'load' });
      const results = await page.evaluate(() => {
        const frame = (id: string) => (document.getElementById(id) as HTMLIFrameElement).contentWindow as unknown as { orderResult?: unknown };
        const top = window as unknown as { orderResult?: unknown };
        return { top: top.orderResult, sameOrigin: frame('same-origin').orderResult, srcdoc: frame('srcdoc').orderResult };
      });
      for (const [where, result] of Object.entries(results) as Array<[string, OrderResult]>) {
        expect(result, where).toBeTruthy();
        expect(result.probe, `${where}: the shim's marker when the first script ran`).not.toBeNull();
        expect(result.probe!.scriptsBefore, `${where}: scripts that ran before the shim`).toBe(0);
        expect(result.probe!.readyState, where).toBe('loading');
        expect(result.scriptsNow, where).toBe(1);
      }
      expect(results.top && (results.top as OrderResult).probe!.href).toBe(`${server.origins[1]}/order.html`);
    } finally {
      await b.close();
    }
  });

  it('the shim adds no global to the page (only the test build\'s marker)', async () => {
    const globals = async (extension: false | 'test') => {
      const b = await launch(kind, { host: bed.lan, extension });
      try {
        const page = await b.browser.newPage();
        await page.goto(`${server.origins[0]}/gather.html`);
        return await page.evaluate(() => Object.getOwnPropertyNames(window));
      } finally {
        await b.close();
      }
    };
    const without = new Set(await globals(false));
    const added = (await globals('test')).filter((name) => !without.has(name));
    expect(added).toEqual(['__iceguardProbe']);
  });

  it('control: without the extension the page sees the raw host address, and srflx and relay candidates', async () => {
    const b = await launch(kind, { host: bed.lan, extension: false });
    try {
      expect(b.extensionId).toBeNull();
      const page = await b.browser.newPage();
      await page.goto(`${server.origins[0]}/gather.html`);
      const seen = await gather(page, { iceServers: bed.iceServers, getUserMedia: true });
      expect(seen.complete).toBe(true);
      expect(findAddresses(seen.candidates.join('\n'), [bed.lan.v4])).toEqual([bed.lan.v4]);
      expect(seen.types).toEqual(expect.arrayContaining(['host', 'srflx', 'relay']));
      const srflx = seen.candidates.find((c) => c.includes(' typ srflx'));
      const relay = seen.candidates.find((c) => c.includes(' typ relay'));
      expect(srflx).toContain(` ${bed.router.wanV4} `);
      expect(relay).toContain(` ${bed.wan.v4} `);
      // Without the extension the test bridge is absent: the marker the shim leaves is too.
      expect(await page.evaluate(() => '__iceguardProbe' in window)).toBe(false);
    } finally {
      await b.close();
    }
  });
});
