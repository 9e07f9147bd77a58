// `npm start`: shows what a site sees of your network with and without IceGuard. Starts Chromium
// (headless, or headed when a display exists) inside a private test network, once without and once
// with the built extension, on the bundled demo page, and prints a table; then where the packages are.
import { existsSync, readFileSync } from 'node:fs';
import { repoRoot, runScript } from '../test/e2e/harness/sys';
import { createBed, findAddresses, gather, launch, serveFixtures, type Bed, type Gathered } from '../test/e2e/harness';

const root = repoRoot() + '/';

interface Seen {
  label: string;
  leaked: string[];
  gathered: Gathered;
}

async function visit(bed: Bed, origin: string, withExtension: boolean, headless: boolean): Promise<Seen> {
  const b = await launch('chromium', { host: bed.lan, extension: withExtension ? 'release' : false, headless });
  try {
    const page = await b.browser.newPage();
    await page.goto(`${origin}/demo.html`);
    const gathered = await gather(page, { iceServers: bed.iceServers, getUserMedia: true });
    await page.evaluate((c) => window.dispatchEvent(new CustomEvent('iceguard-demo-show', { detail: c })), gathered.candidates);
    if (!headless) await new Promise((r) => setTimeout(r, 4000)); // let a person look at it
    const leaked = findAddresses(gathered.candidates.join('\n') + '\n' + gathered.sdp, bed.lan.addresses);
    return { label: withExtension ? 'with IceGuard' : 'without IceGuard', leaked, gathered };
  } finally {
    await b.close();
  }
}

/** How host candidates reach the page: raw addresses, mDNS names, or not at all. */
function hostForm(candidates: string[]): string {
  const hosts = candidates.filter((c) => c.includes(' typ host')).map((c) => c.split(' ')[4] ?? '');
  if (!hosts.length) return 'not at all';
  const named = hosts.filter((h) => h.endsWith('.local')).length;
  return named === hosts.length ? '<uuid>.local names' : named === 0 ? 'raw addresses' : 'raw addresses and names';
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('   ').trimEnd()).join('\n');
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) {
    console.error('npm start runs Chromium inside private network namespaces, which needs root: sudo npm start');
    process.exit(1);
  }
  const headless = !process.env.DISPLAY;
  const bed = await createBed();
  const server = await serveFixtures(bed.lan.ns);
  const results: Seen[] = [];
  for (const withExtension of [false, true]) results.push(await visit(bed, server.origins[0], withExtension, headless));
  server.close();
  bed.close();

  console.log(`\nWhat a video-call site sees (Chromium, camera granted, behind NAT; this machine's test address ${bed.lan.v4}):\n`);
  console.log(
    table([
      ['', ...results.map((r) => r.label)],
      ['local addresses visible', ...results.map((r) => (r.leaked.length ? `yes: ${r.leaked.join(', ')}` : 'no'))],
      ['candidate types', ...results.map((r) => r.gathered.types.join(', ') || '(none)')],
      ['host candidates appear as', ...results.map((r) => hostForm(r.gathered.candidates))],
      ['candidates', ...results.map((r) => String(r.gathered.candidates.filter(Boolean).length))],
    ]),
  );
  const version = (JSON.parse(readFileSync(`${root}manifest.json`, 'utf8')) as { version: string }).version;
  const zip = (b: string) => `${root}dist/iceguard-${b}-${version}.zip`;
  console.log(`
Packages:
  Chrome/Chromium  ${zip('chrome')}${existsSync(zip('chrome')) ? '' : ' (missing: run npm run build)'}
                   load it: chrome://extensions -> Developer mode -> Load unpacked -> ${root}dist/chrome
  Firefox          ${zip('firefox')}${existsSync(zip('firefox')) ? '' : ' (missing: run npm run build)'}
                   load it: about:debugging#/runtime/this-firefox -> Load Temporary Add-on -> ${root}dist/firefox/manifest.json
                   or: npm run start:firefox (web-ext run)`);
}

runScript(main);
