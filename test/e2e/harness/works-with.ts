// Rows of the "Works with" table (docs/works-with.md) (issue #8), one JSON file per test file in
// dist/works-with/, rendered by `npm run works-with` (scripts/works-with.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { repoRoot } from './sys';

export interface WorksWithRow {
  library: string;
  version: string;
  /** e.g. "Chromium ↔ Chromium". */
  browsers: string;
  mode: string;
  lanHelper: boolean;
  /** What happened, e.g. "pass: host ↔ host", "FAIL: no connection in 15 s", "skipped: <reason>". */
  result: string;
  ttfbMs?: number;
  mbps?: number;
}

export const WORKS_WITH_DIR = join(repoRoot(), 'dist', 'works-with');

/** Starts (overwrites) this test file's rows; each `add` rewrites the file, so a crash keeps what ran. */
export function worksWith(testFile: string): { add(row: WorksWithRow): void } {
  const file = join(WORKS_WITH_DIR, `${basename(testFile).replace(/\.test\.ts$/, '')}.json`);
  const rows: WorksWithRow[] = [];
  mkdirSync(WORKS_WITH_DIR, { recursive: true });
  const write = () => writeFileSync(file, JSON.stringify(rows, null, 2) + '\n');
  write();
  return {
    add(row) {
      rows.push(row);
      write();
    },
  };
}
