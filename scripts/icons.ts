// `node dist/tools/icons.mjs`: renders src/ui/icons/icon.svg into the PNG sizes the manifests name
// (Chrome's toolbar needs PNG; Firefox takes either). The PNGs are committed, so a build needs no
// browser; run this after changing the SVG. Chromium runs inside a bed namespace, as every browser here.
import { readFileSync, writeFileSync } from 'node:fs';
import { repoRoot, runScript } from '../test/e2e/harness/sys';
import { createBed, launch } from '../test/e2e/harness';

export const ICON_SIZES = [16, 32, 48, 128];

async function main(): Promise<void> {
  const dir = `${repoRoot()}/src/ui/icons`;
  const svg = readFileSync(`${dir}/icon.svg`, 'utf8');
  const bed = await createBed();
  const b = await launch('chromium', { host: bed.lan, extension: false });
  try {
    const page = await b.browser.newPage();
    for (const size of ICON_SIZES) {
      await page.setViewport({ width: size, height: size, deviceScaleFactor: 1 });
      const body = svg.replace('<svg ', `<svg width="${size}" height="${size}" `);
      await page.setContent(`<!doctype html><style>html,body{margin:0;background:transparent}svg{display:block}</style>${body}`);
      const png = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
      writeFileSync(`${dir}/icon-${size}.png`, png);
      console.log(`${dir}/icon-${size}.png`);
    }
  } finally {
    await b.close();
    bed.close();
  }
}

runScript(main);
