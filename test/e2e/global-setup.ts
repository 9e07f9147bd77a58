// Runs once before the browser tests: refuse to start, with the reason, rather than skip.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM, DIST, FIREFOX } from './harness/browsers';

export default function setup(): void {
  const problems: string[] = [];
  if (process.getuid?.() !== 0) problems.push('the browser tests need root (they create network namespaces)');
  for (const [what, path] of [
    ['Chromium (Debian package chromium)', CHROMIUM],
    ['Firefox ESR (Debian package firefox-esr)', FIREFOX],
    ['coturn (Debian package coturn)', '/usr/bin/turnserver'],
  ] as const) {
    if (!existsSync(path)) problems.push(`${what} is missing: ${path}`);
  }
  const ids = join(DIST, 'test/ids.json');
  if (!existsSync(ids)) problems.push('no test build: run `node build.mjs --test` (npm test does)');
  if (problems.length) {
    throw new Error(`cannot run the browser tests:\n- ${problems.join('\n- ')}\n(run \`npm test\`: it installs what is missing)`);
  }
}
