#!/usr/bin/env node
// Builds IceGuard for Chrome/Chromium and Firefox from one source tree and one manifest.
//
//   node build.mjs            release builds: dist/chrome, dist/firefox (minified, with source maps)
//   node build.mjs --test     test builds: dist/test/chrome, dist/test/firefox (+ test bridge, fixed
//                             Chromium id via a manifest `key`); never packed into a zip
//   node build.mjs --pack     release builds and the helper, then dist/iceguard-<browser>-<version>.zip via
//                             web-ext and dist/iceguard-lan-helper-<version>.tgz via npm pack (no network)
//   node build.mjs --fuzz-broken  a test build whose shim leaves child frames unpatched, in
//                             dist/fuzz-broken/<browser>: the fuzzer's control that it catches a real gap
//                             (test/e2e/fuzz-smoke.test.ts); never packed
//   node build.mjs --tools    Node scripts in scripts/*.ts -> dist/tools/*.mjs (demo, benchmarks)
//   node build.mjs --helper   the LAN helper (helper/) -> dist/helper/iceguard-helper.mjs, and its npm
//                             package, ready to publish, in dist/helper-package/
//   node build.mjs --all      all of the above (with --fuzz-broken)
//   node build.mjs --watch    release builds, rebuilt on change (add --test for test builds)
//   --out DIR                 write to DIR instead of dist/ (tests build into a temporary folder)
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, cp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
let dist = join(root, 'dist');
const BROWSERS = /** @type {const} */ (['chrome', 'firefox']);

/**
 * A module of the source tree, bundled in memory and imported: Node runs no TypeScript, and the build
 * takes shared lists from where the extension declares them rather than repeating them.
 * @param {string} path
 */
async function importSource(path) {
  const { outputFiles } = await esbuild.build({ absWorkingDir: root, entryPoints: [path], bundle: true, write: false, format: 'esm', platform: 'neutral', logLevel: 'warning' });
  const code = /** @type {{ text: string }} */ (outputFiles[0]).text;
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

/** Firefox's id for IceGuard, as the LAN helper's manifest allows it (src/shared/helper-protocol.ts). */
export const GECKO_ID = /** @type {string} */ ((await importSource('src/shared/helper-protocol.ts')).GECKO_ID);
/** The modes, for one hint script a mode (src/policy/mode.ts). @type {readonly string[]} */
const HINT_MODES = (await importSource('src/policy/mode.ts')).MODES;

/** Bundles, each an IIFE so nothing leaks into the global scope of the world it runs in. */
const ENTRIES = [
  { in: 'src/page/main.ts', out: 'page' }, // MAIN world, document_start
  { in: 'src/content/relay.ts', out: 'relay' }, // ISOLATED world
  { in: 'src/background/main.ts', out: 'background' }, // service worker / event page
  { in: 'options/options.ts', out: 'options' }, // extension pages
  { in: 'src/ui/popup/popup.ts', out: 'popup' },
  { in: 'src/ui/prompt/prompt.ts', out: 'prompt' },
];
/** Static files copied as they are. */
const STATIC = [
  'managed_schema.json', // enterprise policy (Chrome's storage.managed; Firefox reads policies without it)
  'options/options.css',
  'src/ui/ui.css',
  'src/ui/popup/popup.css',
  'src/ui/prompt/prompt.css',
  ...[16, 32, 48, 128].map((n) => `src/ui/icons/icon-${n}.png`), // from icon.svg by scripts/icons.ts
];
/**
 * IceGuard's pages: each file holds the page's <title> and body, and framePage sets them into
 * src/ui/page.html, the one head (and script tag) they share. `<name>.html` loads `<name>.css` and `<name>.js`.
 */
const PAGES = ['options/options.html', 'src/ui/popup/popup.html', 'src/ui/prompt/prompt.html'];
const PAGE_FRAME = 'src/ui/page.html';
const LOCALES = join(root, 'src/locales');

/**
 * A page as the browser gets it: `source` (an optional leading comment, the page's <title>, then its
 * body) set into `frame` at {{title}} and {{body}}, with {{name}} (its style sheet and script) as given.
 * @param {string} frame @param {string} name @param {string} source
 */
export function framePage(frame, name, source) {
  const title = /^\s*(?:<!--[^]*?-->\s*)?(<title\b[^>]*>[^<]*<\/title>)\n?/.exec(source);
  if (!title) throw new Error(`${name}.html: a page begins with its <title>`);
  const parts = { title: title[1], name, body: source.slice(title[0].length).trimEnd() };
  return frame.replace(/\{\{(title|name|body)\}\}/g, (_, key) => parts[/** @type {'title'|'name'|'body'} */ (key)] ?? '');
}

/** @param {string} outdir */
async function writePages(outdir) {
  const frame = await readFile(join(root, PAGE_FRAME), 'utf8');
  for (const file of PAGES) {
    const name = basename(file, '.html');
    await writeFile(join(outdir, `${name}.html`), framePage(frame, name, await readFile(join(root, file), 'utf8')));
  }
}

/**
 * `_locales/<lang>/messages.json` from the per-part files in src/locales/<lang>/*.json (each part of
 * the UI keeps its own strings). A key defined twice, or missing from a language that English has,
 * fails the build: every language is complete.
 */
export async function mergeLocales() {
  /** @type {Record<string, Record<string, unknown>>} */
  const out = {};
  for (const lang of (await readdir(LOCALES)).sort()) {
    /** @type {Record<string, unknown>} */
    const messages = {};
    for (const file of (await readdir(join(LOCALES, lang))).filter((f) => f.endsWith('.json')).sort()) {
      const part = JSON.parse(await readFile(join(LOCALES, lang, file), 'utf8'));
      for (const [key, value] of Object.entries(part)) {
        if (key in messages) throw new Error(`locale ${lang}: "${key}" is defined twice (${file})`);
        if (!/^[A-Za-z0-9_]+$/.test(key)) throw new Error(`locale ${lang}: "${key}" is not a valid message name`);
        messages[key] = value;
      }
    }
    out[lang] = messages;
  }
  const en = out.en;
  if (!en) throw new Error('src/locales/en is missing');
  for (const [lang, messages] of Object.entries(out)) {
    const missing = Object.keys(en).filter((k) => !(k in messages));
    const extra = Object.keys(messages).filter((k) => !(k in en));
    if (missing.length) throw new Error(`locale ${lang} lacks ${missing.join(', ')}`);
    if (extra.length) throw new Error(`locale ${lang} has keys English lacks: ${extra.join(', ')}`);
    // Store listings: the Chrome Web Store takes at most 132 characters of description, AMO's summary 250.
    for (const [key, max] of Object.entries(LISTING_LIMITS)) {
      const text = /** @type {{ message?: string } | undefined} */ (messages[key])?.message ?? '';
      if ([...text].length > max) throw new Error(`locale ${lang}: "${key}" is ${[...text].length} characters, the stores take ${max}`);
    }
  }
  return out;
}

/** Message -> the most characters a store listing takes of it (Chrome Web Store: manifest description 132). */
export const LISTING_LIMITS = { extName: 45, extDescription: 132 };

/**
 * The store kit's permission lines (docs/store.md "Permissions": "- `name`: why"), against what the
 * manifest asks for: the Chrome Web Store wants a reason for every permission at submission.
 * @param {any} manifest @param {string} storeText
 * @returns {{ missing: string[], stale: string[] }} asked for without a line; a line for nothing asked
 */
export function permissionJustifications(manifest, storeText) {
  const keys = ['permissions', 'optional_permissions', 'host_permissions', 'optional_host_permissions'];
  const asked = new Set(keys.flatMap((k) => manifest[k] ?? []));
  const section = storeText.split(/^## /m).find((s) => s.startsWith('Permissions\n')) ?? '';
  const justified = new Set([...section.matchAll(/^- `([^`]+)`: \S/gm)].map((m) => /** @type {string} */ (m[1])));
  return { missing: [...asked].filter((p) => !justified.has(p)), stale: [...justified].filter((p) => !asked.has(p)) };
}

/**
 * The manifest patch per browser: small and declarative (one manifest source, manifest.json).
 * @param {any} base @param {'chrome'|'firefox'} browser @param {boolean} test @param {string} [testKey] the test build's public key (Chromium)
 */
export function manifestFor(base, browser, test, testKey = '') {
  const m = structuredClone(base);
  if (browser === 'firefox') {
    // Firefox runs MV3 backgrounds as event pages, not service workers.
    m.background = { scripts: [m.background.service_worker] };
    delete m.minimum_chrome_version;
    // 128: first Firefox with `world: "MAIN"` content scripts (and the ESR we test on is newer).
    m.browser_specific_settings = {
      gecko: {
        id: GECKO_ID,
        strict_min_version: '128.0',
        // IceGuard collects and transmits nothing (AMO's built-in data consent).
        data_collection_permissions: { required: ['none'] },
      },
    };
  }
  if (test) {
    // The LAN helper's permission is optional (asked on the options page, which needs a click and the
    // browser's own dialog). Headless browsers show that dialog to no one, so the test builds, whose
    // browser tests start the helper, hold it from the install (docs/architecture.md "Permissions").
    m.optional_permissions = m.optional_permissions.filter((/** @type {string} */ p) => p !== 'nativeMessaging');
    m.permissions = [...m.permissions, 'nativeMessaging'];
    if (!m.optional_permissions.length) delete m.optional_permissions;
  }
  if (browser === 'chrome' && test) {
    // A fixed public key gives the unpacked test build a stable extension id, which policy and
    // native-messaging tests need. Release zips never carry it (the store assigns the id).
    m.key = testKey;
  }
  return m;
}

/** The test build's public key: a test fixture, read for test builds only (the release build reads no fixture). */
let testKeyRead = null;
const testKey = () => (testKeyRead ??= readFile(join(root, 'test/fixtures/extension-key/chrome-test-key.pub.b64'), 'utf8').then((k) => k.trim()));

/**
 * Chromium's id for an unpacked extension with a `key`: sha256 of the DER key, first 16 bytes, a-p.
 * @param {string} keyB64
 */
export function chromeIdFromKey(keyB64) {
  const hex = createHash('sha256').update(Buffer.from(keyB64, 'base64')).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

/**
 * Where a build goes: release dist/<browser>, test dist/test/<browser>, broken dist/fuzz-broken/<browser>.
 * @param {'chrome'|'firefox'} browser @param {boolean} test @param {boolean} [broken]
 */
function outDir(browser, test, broken = false) {
  return broken ? join(dist, 'fuzz-broken', browser) : test ? join(dist, 'test', browser) : join(dist, browser);
}

/** @param {'chrome'|'firefox'} browser @param {boolean} test @param {boolean} [broken] */
function esbuildOptions(browser, test, broken = false) {
  const outdir = outDir(browser, test, broken);
  return {
    absWorkingDir: root,
    entryPoints: ENTRIES,
    outdir,
    bundle: true,
    format: /** @type {const} */ ('iife'),
    target: ['chrome128', 'firefox128'],
    minify: !process.env.ICEGUARD_PROFILE_NAMES,
    sourcemap: /** @type {const} */ ('external'),
    legalComments: /** @type {const} */ ('none'),
    // __FUZZ_BROKEN__: the deliberately broken build (--fuzz-broken); false everywhere else, so esbuild drops its code.
    define: { __BROWSER__: JSON.stringify(browser), __TEST__: String(test), __FUZZ_BROKEN__: String(broken) },
    logLevel: /** @type {const} */ ('warning'),
  };
}

/**
 * The mode hints: src/content/hint.ts once per (kind, mode), as `hint-<kind>-<mode>.js`.
 * @param {string} outdir @param {'chrome'|'firefox'} browser
 */
async function buildHints(outdir, browser) {
  for (const kind of /** @type {const} */ (['site', 'default'])) {
    for (const mode of HINT_MODES) {
      await esbuild.build({
        entryPoints: [join(root, 'src/content/hint.ts')],
        outfile: join(outdir, `hint-${kind}-${mode}.js`),
        bundle: true,
        format: 'iife',
        minify: true,
        target: browser === 'chrome' ? 'chrome128' : 'firefox128',
        define: { __HINT_KIND__: JSON.stringify(kind), __HINT_MODE__: JSON.stringify(mode) },
        logLevel: 'warning',
      });
    }
  }
}

/** @param {'chrome'|'firefox'} browser @param {boolean} test @param {any} base @param {boolean} [broken] */
async function writeStatic(browser, test, base, broken = false) {
  const outdir = outDir(browser, test, broken);
  await mkdir(outdir, { recursive: true });
  await buildHints(outdir, browser);
  for (const file of STATIC) await cp(join(root, file), join(outdir, basename(file)));
  await writePages(outdir);
  for (const [lang, messages] of Object.entries(await mergeLocales())) {
    await mkdir(join(outdir, '_locales', lang), { recursive: true });
    await writeFile(join(outdir, '_locales', lang, 'messages.json'), JSON.stringify(messages, null, 2) + '\n');
  }
  const manifest = manifestFor(base, browser, test, test ? await testKey() : '');
  await writeFile(join(outdir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
}

/** @param {boolean} test @param {boolean} [broken] a test build with __FUZZ_BROKEN__ (implies test) */
async function buildExtension(test, broken = false) {
  const base = JSON.parse(await readFile(join(root, 'manifest.json'), 'utf8'));
  await rm(broken ? join(dist, 'fuzz-broken') : test ? join(dist, 'test') : join(dist, 'chrome'), { recursive: true, force: true });
  if (!test) await rm(join(dist, 'firefox'), { recursive: true, force: true });
  for (const browser of BROWSERS) {
    await esbuild.build(esbuildOptions(browser, test, broken));
    await writeStatic(browser, test, base, broken);
  }
  if (broken) return;
  if (test) {
    const ids = { chrome: chromeIdFromKey(await testKey()), firefox: GECKO_ID, version: base.version };
    await writeFile(join(dist, 'test', 'ids.json'), JSON.stringify(ids, null, 2) + '\n');
  }
}

async function buildTools() {
  const dir = join(root, 'scripts');
  const entries = (await readdir(dir)).filter((f) => f.endsWith('.ts'));
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: entries.map((f) => join(dir, f)),
    outdir: join(dist, 'tools'),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    define: { __BROWSER__: '"chrome"', __TEST__: 'false', __FUZZ_BROKEN__: 'false' },
    logLevel: 'warning',
  });
}

/**
 * The LAN helper (helper/): one self-contained Node script, multicast-dns included, then its npm package.
 * Bundled rather than depending on multicast-dns: `npx` fetches one tarball with nothing to resolve,
 * the versions are the ones package-lock.json pinned and the tests ran, and `install` can copy one
 * file that runs anywhere (the installed helper must not need the package it came from).
 */
async function buildHelper() {
  const { metafile } = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [{ in: 'helper/cli.ts', out: 'iceguard-helper' }],
    outdir: join(dist, 'helper'),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    metafile: true,
    // multicast-dns and its dependencies are CommonJS: give them a require().
    banner: { js: "#!/usr/bin/env node\nimport { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'warning',
  });
  await writeHelperPackage(bundledPackages(metafile));
}

/**
 * The npm packages a bundle took code from (their folders under node_modules), from esbuild's metafile.
 * @param {import('esbuild').Metafile} metafile
 */
function bundledPackages(metafile) {
  const dirs = Object.keys(metafile.inputs).flatMap((input) => {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    return m ? [/** @type {string} */ (m[1])] : [];
  });
  return [...new Set(dirs)].sort();
}

/**
 * The licence notices of bundled packages, which their licences (MIT) ask to ship with the code.
 * @param {string[]} dirs
 */
async function thirdPartyNotices(dirs) {
  const parts = [];
  for (const dir of dirs) {
    const pkg = JSON.parse(await readFile(join(root, dir, 'package.json'), 'utf8'));
    const file = (await readdir(join(root, dir))).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
    if (!file) throw new Error(`${pkg.name} is bundled into the helper but ships no licence file`);
    parts.push(`${pkg.name} ${pkg.version} (${pkg.license})\n\n${(await readFile(join(root, dir, file), 'utf8')).trim()}\n`);
  }
  return `The IceGuard LAN helper bundles these packages:\n\n${parts.join('\n' + '-'.repeat(72) + '\n\n')}`;
}

/**
 * dist/helper-package/: the `iceguard-lan-helper` npm package, from helper/package.json with the
 * extension's version (manifest.json is the one version source), the bundle as its bin, README, licences.
 * @param {string[]} bundled
 */
async function writeHelperPackage(bundled) {
  const dir = join(dist, 'helper-package');
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'bin'), { recursive: true });
  const { name, ...rest } = JSON.parse(await readFile(join(root, 'helper/package.json'), 'utf8'));
  const { version } = JSON.parse(await readFile(join(root, 'manifest.json'), 'utf8'));
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name, version, ...rest }, null, 2) + '\n');
  const bin = join(dir, 'bin', 'iceguard-lan-helper.mjs');
  await cp(join(dist, 'helper', 'iceguard-helper.mjs'), bin);
  await chmod(bin, 0o755);
  await cp(join(root, 'helper/README.md'), join(dir, 'README.md'));
  await cp(join(root, 'LICENSE'), join(dir, 'LICENSE'));
  await writeFile(join(dir, 'THIRD-PARTY-LICENSES.txt'), await thirdPartyNotices(bundled));
}

/** dist/iceguard-lan-helper-<version>.tgz from dist/helper-package/ (a local folder: npm needs no network). */
function packHelper() {
  const out = execFileSync('npm', ['pack', join(dist, 'helper-package'), '--pack-destination', dist, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return join(dist, /** @type {{ filename: string }[]} */ (JSON.parse(out))[0]?.filename ?? '');
}

async function pack() {
  const base = JSON.parse(await readFile(join(root, 'manifest.json'), 'utf8'));
  const { missing, stale } = permissionJustifications(base, await readFile(join(root, 'docs/store.md'), 'utf8'));
  if (missing.length) throw new Error(`docs/store.md gives no reason for the permission ${missing.join(', ')}`);
  if (stale.length) throw new Error(`docs/store.md gives a reason for ${stale.join(', ')}, which manifest.json does not ask for`);
  const webExt = await import('web-ext');
  /** @type {Record<string, string>} */
  const zips = {};
  for (const browser of BROWSERS) {
    const name = `iceguard-${browser}-${base.version}.zip`;
    await webExt.cmd.build(
      { sourceDir: join(dist, browser), artifactsDir: dist, filename: name, overwriteDest: true },
      { shouldExitProgram: false },
    );
    zips[browser] = join(dist, name);
  }
  return zips;
}

/** @param {string[]} argv */
async function main(argv) {
  const out = argv.indexOf('--out');
  if (out >= 0) {
    const dir = argv[out + 1];
    if (!dir) throw new Error('--out needs a folder');
    dist = resolve(dir);
    argv = argv.filter((_, i) => i !== out && i !== out + 1);
  }
  const has = (/** @type {string} */ f) => argv.includes(f);
  const unknown = argv.filter((a) => !['--test', '--fuzz-broken', '--pack', '--tools', '--helper', '--all', '--watch'].includes(a));
  if (unknown.length) {
    console.error(`build.mjs: unknown option ${unknown.join(' ')}`);
    process.exit(2);
  }
  if (has('--watch')) {
    const test = has('--test');
    const base = JSON.parse(await readFile(join(root, 'manifest.json'), 'utf8'));
    for (const browser of BROWSERS) {
      await writeStatic(browser, test, base);
      const ctx = await esbuild.context(esbuildOptions(browser, test));
      await ctx.watch();
    }
    console.log(`watching (${test ? 'test' : 'release'} builds); Ctrl-C to stop`);
    return;
  }
  const all = has('--all');
  const onlyExtras = (has('--test') || has('--fuzz-broken') || has('--tools') || has('--helper')) && !has('--pack') && !all;
  if (!onlyExtras) await buildExtension(false);
  if (has('--test') || all) await buildExtension(true);
  if (has('--fuzz-broken') || all) await buildExtension(true, true);
  if (has('--tools') || all) await buildTools();
  if (has('--helper') || has('--pack') || all) await buildHelper();
  if (has('--pack') || all) {
    const zips = await pack();
    for (const [browser, path] of Object.entries(zips)) console.log(`${browser}: ${path}`);
    console.log(`LAN helper package: ${packHelper()}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
