// The build's promises: one manifest source turned into correct Chrome and Firefox manifests, a
// page bundle that leaves no global behind, and release bundles free of test-only code and keys.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromeIdFromKey, framePage, GECKO_ID, LISTING_LIMITS, manifestFor, mergeLocales } from '../../build.mjs';

const root = join(import.meta.dirname, '../..');
// Built into a folder of our own: the browser tests may be using dist/ at the same time.
const out = mkdtempSync(join(tmpdir(), 'iceguard-build-test-'));
const read = (p: string) => readFileSync(p.startsWith('dist/') ? join(out, p.slice(5)) : join(root, p), 'utf8');
const json = (p: string) => JSON.parse(read(p)) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(() => {
  execFileSync(process.execPath, ['build.mjs', '--test', '--out', out], { cwd: root, stdio: 'pipe' });
  execFileSync(process.execPath, ['build.mjs', '--out', out], { cwd: root, stdio: 'pipe' });
  execFileSync(process.execPath, ['build.mjs', '--fuzz-broken', '--out', out], { cwd: root, stdio: 'pipe' });
}, 60_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('manifests derived from manifest.json', () => {
  it('Chrome: MV3 service worker, no Firefox keys; the key only in the test build', () => {
    const m = json('dist/chrome/manifest.json');
    expect(m.manifest_version).toBe(3);
    expect(m.background).toEqual({ service_worker: 'background.js' });
    expect(m.browser_specific_settings).toBeUndefined();
    expect(m.key).toBeUndefined();
    const t = json('dist/test/chrome/manifest.json');
    expect(typeof t.key).toBe('string');
    expect(chromeIdFromKey(t.key)).toBe(json('dist/test/ids.json').chrome);
  });

  it('Firefox: event page scripts, fixed gecko id, strict_min_version 128', () => {
    const m = json('dist/firefox/manifest.json');
    expect(m.background).toEqual({ scripts: ['background.js'] });
    expect(m.browser_specific_settings.gecko).toMatchObject({ id: GECKO_ID, strict_min_version: '128.0' });
    expect(m.minimum_chrome_version).toBeUndefined();
    expect(m.key).toBeUndefined();
  });

  it('both: the MAIN-world shim at document_start in every frame, including about:blank and opaque origins', () => {
    for (const browser of ['chrome', 'firefox']) {
      const m = json(`dist/${browser}/manifest.json`);
      const main = m.content_scripts.find((c: { world?: string }) => c.world === 'MAIN');
      expect(main).toMatchObject({
        js: ['page.js'],
        run_at: 'document_start',
        all_frames: true,
        match_about_blank: true,
        match_origin_as_fallback: true,
      });
    }
  });

  it('nativeMessaging is optional in release builds (asked when the user turns the LAN helper on), required in test builds', () => {
    for (const browser of ['chrome', 'firefox']) {
      const release = json(`dist/${browser}/manifest.json`);
      expect(release.permissions).not.toContain('nativeMessaging');
      expect(release.optional_permissions).toEqual(['nativeMessaging']);
      expect(release.permissions).toContain('activeTab'); // the popup learns a withheld tab's address when clicked
      const test = json(`dist/test/${browser}/manifest.json`);
      expect(test.permissions).toContain('nativeMessaging');
      expect(test.optional_permissions).toBeUndefined();
    }
  });

  it('the patch is pure: the base manifest object is not modified', () => {
    const base = json('manifest.json');
    const copy = structuredClone(base);
    manifestFor(base, 'firefox', true);
    manifestFor(base, 'chrome', true);
    expect(base).toEqual(copy);
  });

  it('computes the Chromium id of a key as Chromium does (sha256, first 128 bits, a-p)', () => {
    // The id Chromium 156 showed for the committed test key when loaded unpacked.
    expect(chromeIdFromKey(read('test/fixtures/extension-key/chrome-test-key.pub.b64').trim())).toBe('ocondmpppmccbofhhggiejfabagcoejl');
  });
});

describe('bundles', () => {
  it('the page shim is one strict IIFE: nothing at top level but the call (its globals are checked in real browsers)', () => {
    for (const dir of ['dist/chrome', 'dist/firefox', 'dist/test/chrome']) {
      const code = read(`${dir}/page.js`).trim();
      expect(code.startsWith('"use strict";(()=>{')).toBe(true);
      expect(code.endsWith('})();')).toBe(true);
    }
  });

  it('the page shim stays under its 25 KB budget (20.7 KB with the bypass-class guards of #13/#19 and the held gathering state of #20; 24.1 KB with the text-node channel and the folded remote check of #15; 24.4 KB with the ICE server lists checked once per document) (minified)', () => {
    for (const dir of ['dist/chrome', 'dist/firefox']) expect(read(`${dir}/page.js`).length).toBeLessThan(25 * 1024);
  });

  it('release bundles carry no test bridge; test bundles do', () => {
    for (const browser of ['chrome', 'firefox']) {
      for (const file of ['page.js', 'relay.js', 'background.js']) {
        const release = read(`dist/${browser}/${file}`);
        expect(release).not.toContain('iceguard-test-bridge');
        expect(release).not.toContain('__iceguardProbe');
        expect(release).not.toContain('testBridge');
      }
      expect(read(`dist/test/${browser}/relay.js`)).toContain('iceguard-test-bridge');
      expect(read(`dist/test/${browser}/background.js`)).toContain('testBridge');
    }
  });

  it("the fuzzer's broken build is the test build but for the page shim (its guard is compiled out elsewhere)", () => {
    for (const browser of ['chrome', 'firefox']) {
      expect(read(`dist/fuzz-broken/${browser}/page.js`)).not.toBe(read(`dist/test/${browser}/page.js`));
      for (const file of ['relay.js', 'background.js', 'manifest.json']) {
        expect(read(`dist/fuzz-broken/${browser}/${file}`)).toBe(read(`dist/test/${browser}/${file}`));
      }
    }
  });
});

describe("IceGuard's pages: one head, set round each page's title and body", () => {
  const FRAME = '<head>{{title}}<link href="{{name}}.css"></head><body>\n{{body}}\n<script src="{{name}}.js"></script></body>';

  it('puts the title into the head and the rest into the body, with the page\'s own style sheet and script', () => {
    const page = framePage(FRAME, 'popup', '<!-- about it -->\n<title data-i18n="t">IceGuard</title>\n  <main>$& $1 {{name}}</main>\n');
    // `$&` and `$1` stay as they are (no replacement patterns), and a body's own braces are not the frame's.
    expect(page).toBe('<head><title data-i18n="t">IceGuard</title><link href="popup.css"></head><body>\n  <main>$& $1 {{name}}</main>\n<script src="popup.js"></script></body>');
  });

  it('refuses a page that does not begin with its title', () => {
    expect(() => framePage(FRAME, 'x', '<main></main>')).toThrow(/x\.html/);
    expect(() => framePage(FRAME, 'x', '<main><title>late</title></main>')).toThrow(/begins with its <title>/);
  });

  it.each(['options', 'popup', 'prompt'])('%s.html is built whole: doctype, one head with the shared sheet and its own, its script last', (name) => {
    for (const dir of ['dist/chrome', 'dist/firefox', 'dist/test/chrome']) {
      const html = read(`${dir}/${name}.html`);
      expect(html.startsWith('<!doctype html>\n<html lang="en">\n<head>\n  <meta charset="utf-8">')).toBe(true);
      expect(html.match(/<head>/g)).toHaveLength(1);
      expect(html.match(/<title data-i18n="\w+">[^<]+<\/title>/g)).toHaveLength(1);
      expect(html).toContain(`<link rel="stylesheet" href="ui.css">\n  <link rel="stylesheet" href="${name}.css">\n</head>\n<body>\n  <main`);
      expect(html.trimEnd().endsWith(`</main>\n  <script src="${name}.js"></script>\n</body>\n</html>`)).toBe(true);
      expect(html).not.toMatch(/\{\{\w+\}\}/);
    }
  });
});

describe('store listing texts', () => {
  it('fit the stores in every language (Chrome Web Store: description at most 132 characters)', async () => {
    const locales = (await mergeLocales()) as Record<string, Record<string, { message: string }>>;
    expect(Object.keys(locales).sort()).toEqual(['de', 'en']);
    for (const [lang, messages] of Object.entries(locales)) {
      for (const [key, max] of Object.entries(LISTING_LIMITS)) {
        const text = messages[key]!.message;
        expect([lang, key, [...text].length <= max]).toEqual([lang, key, true]);
        expect(text.length).toBeGreaterThan(3);
      }
    }
  });
});
