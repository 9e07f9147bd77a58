// Records what Chromium and Firefox ESR really emit in the bed (candidate strings and the local SDP),
// with and without raw host addresses and getUserMedia, into test/fixtures/browser-output/*.json:
// the real-browser fixtures of the policy-core tests. Run as root:
//   node build.mjs --tools && node dist/tools/capture-browser-output.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BROWSER_KINDS, createBed, gather, launch, serveFixtures } from '../test/e2e/harness';
import { repoRoot, runScript } from '../test/e2e/harness/sys';

async function main(): Promise<void> {
  const out = join(repoRoot(), 'test/fixtures/browser-output');
  mkdirSync(out, { recursive: true });
  const bed = await createBed();
  const server = await serveFixtures(bed.lan.ns);
  for (const kind of BROWSER_KINDS) {
    for (const rawHostIps of [true, false]) {
      const b = await launch(kind, { host: bed.lan, extension: false, rawHostIps });
      const version = await b.browser.version();
      const candidates: string[] = [];
      const sdps: string[] = [];
      // Chromium without the fake-UI flag has no camera to grant, and with it always reveals.
      const gumRuns = kind === 'chromium' && !rawHostIps ? [false] : [false, true];
      for (const getUserMedia of gumRuns) {
        const page = await b.browser.newPage();
        await page.goto(`${server.origins[0]}/gather.html`);
        const seen = await gather(page, { iceServers: bed.iceServers, getUserMedia });
        candidates.push(...seen.candidates);
        sdps.push(seen.sdp);
        await page.close();
      }
      await b.close();
      const name = `${kind}-${rawHostIps ? 'raw' : 'mdns'}.json`;
      const fixture = {
        browser: version,
        note: `bed: host ${bed.lan.v4} / ${bed.lan.v6}, NAT ${bed.router.wanV4}, TURN ${bed.wan.v4}; ${rawHostIps ? 'raw host addresses' : 'browser default obfuscation'}; getUserMedia per SDP: ${gumRuns.join(', ')}`,
        candidates: [...new Set(candidates)],
        sdps,
        hostAddresses: bed.lan.addresses,
      };
      writeFileSync(join(out, name), JSON.stringify(fixture, null, 2) + '\n');
      console.log(`${name}: ${fixture.candidates.length} candidates, ${sdps.length} SDPs (${version})`);
    }
  }
  server.close();
  bed.close();
}

runScript(main);
