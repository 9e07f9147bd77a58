#!/usr/bin/env node
// web-ext lint of the Firefox build: fails on any error and on any warning not explained below.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Warnings we accept, each with the reason. */
const EXPLAINED = {
  // We support Firefox 128+ (the ESR with MAIN-world content scripts) and also declare AMO's data
  // consent key, which Firefox 140+ reads; 128-139 ignore the unknown key. Both are intended.
  KEY_FIREFOX_UNSUPPORTED_BY_MIN_VERSION: 'data_collection_permissions is read from Firefox 140 on; older versions ignore it',
  KEY_FIREFOX_ANDROID_UNSUPPORTED_BY_MIN_VERSION: 'the same, for Firefox for Android 142+',
};

const dir = process.argv[2] ?? 'dist/firefox';
const bin = join(import.meta.dirname, '..', 'node_modules', '.bin', 'web-ext');
let out;
try {
  out = execFileSync(bin, ['lint', '--source-dir', dir, '--self-hosted', '--output', 'json', '--no-input'], { encoding: 'utf8' });
} catch (err) {
  // web-ext exits non-zero when it finds errors; its JSON report is still on stdout.
  out = /** @type {{ stdout?: string }} */ (err).stdout ?? '';
}
/** @type {{ errors: Array<{code: string, message: string}>, warnings: Array<{code: string, message: string, description?: string}>, notices: unknown[] }} */
const report = JSON.parse(out);
// A code is accepted only for the key it was explained for.
/** @param {{code: string, message: string, description?: string}} w */
const why = (w) => (`${w.message} ${w.description ?? ''}`.includes('data_collection_permissions') ? /** @type {Record<string, string>} */ (EXPLAINED)[w.code] : undefined);
const unexplained = report.warnings.filter((w) => !why(w));
for (const w of report.warnings) {
  const reason = why(w);
  console.log(`web-ext lint warning ${w.code}: ${reason ? `accepted: ${reason}` : `NOT EXPLAINED: ${w.message}`}`);
}
for (const e of report.errors) console.log(`web-ext lint error ${e.code}: ${e.message}`);
console.log(`web-ext lint: ${report.errors.length} errors, ${report.warnings.length} warnings (${unexplained.length} unexplained), ${report.notices.length} notices`);
process.exit(report.errors.length || unexplained.length ? 1 : 0);
