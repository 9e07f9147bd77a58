// The "Works with" check (scripts/works-with.ts) of docs/works-with.md: it compares what a run decides
// (scenarios, versions, outcomes) and leaves out what varies from run to run (timings, TTFB, throughput,
// paths).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stable, TABLE_FILE, tableMismatch, withTable } from '../../scripts/works-with';

const root = join(import.meta.dirname, '../..');

const HEAD = '| library | version | browsers | mode | LAN helper | result | TTFB | throughput | test |\n|---|---|---|---|---|---|---|---|---|';
const row = (version: string, result: string, ttfb = '', mbps = '') => `| simple-peer | ${version} | Chromium ↔ Chromium | \`srflx-only\` | yes | ${result} | ${ttfb} | ${mbps} | \`apps-simple-peer.test.ts\` |`;

describe('works-with --check: what it compares', () => {
  it('two runs that differ only in timings, figures and paths are the same', () => {
    const a = `${HEAD}\n${row('9.11.1', 'pass: connected in 120 ms; host ↔ host', '6 ms', '31.2 Mbit/s')}`;
    const b = `${HEAD}\n${row('9.11.1', 'pass: connected in 98 ms; host ↔ prflx', '9 ms', '28.0 Mbit/s')}`;
    expect(stable(a)).toBe(stable(b));
  });

  it('another version or another outcome is not', () => {
    const a = `${HEAD}\n${row('9.11.1', 'pass: connected in 120 ms')}`;
    expect(stable(`${HEAD}\n${row('9.11.2', 'pass: connected in 120 ms')}`)).not.toBe(stable(a));
    expect(stable(`${HEAD}\n${row('9.11.1', 'FAIL: no connection in 15 s')}`)).not.toBe(stable(a));
  });

  it('a missing or an extra row is not; the header and the text around the table are kept as they are', () => {
    const one = `intro\n\n${HEAD}\n${row('9.11.1', 'pass: a')}`;
    expect(stable(`${one}\n${row('9.11.1', 'pass: b')}`)).not.toBe(stable(one));
    expect(stable(one).split('\n').slice(0, 4)).toEqual(['intro', '', ...HEAD.split('\n')]);
  });

  it('an escaped pipe inside a cell does not shift the columns', () => {
    const lib = (name: string, result: string) => `| ${name} | 1.0 | Chromium ↔ Chromium | \`srflx-only\` | no | ${result} | 5 ms |  | \`x.test.ts\` |`;
    expect(stable(lib('a\\|b', 'pass: 1 ms'))).toBe(stable(lib('a\\|b', 'pass: 2 ms')));
    expect(stable(lib('a\\|b', 'pass: 1 ms'))).not.toBe(stable(lib('a\\|c', 'pass: 1 ms')));
  });
});

describe('works-with: the file it checks', () => {
  const doc = (table: string) => `# Works with\n\nintro\n\n<!-- works-with:start -->\n${table}\n<!-- works-with:end -->\n\nafter\n`;
  const run = `${HEAD}\n${row('9.11.1', 'pass: a', '6 ms')}\n${row('9.11.1', 'pass: b')}`;

  it('is docs/works-with.md, which holds the markers; README.md no longer does', () => {
    expect(TABLE_FILE).toBe('docs/works-with.md');
    const text = readFileSync(join(root, TABLE_FILE), 'utf8');
    expect(text).toContain('<!-- works-with:start -->');
    expect(text).toContain('<!-- works-with:end -->');
    expect(readFileSync(join(root, 'README.md'), 'utf8')).not.toContain('<!-- works-with:start -->');
  });

  it('passes when the table lists the run, whatever the timings', () => {
    expect(tableMismatch(doc(run), run)).toBeNull();
    expect(tableMismatch(doc(run.replace('6 ms', '9 ms')), run)).toBeNull();
    expect(tableMismatch(withTable(doc('old'), run), run)).toBeNull();
  });

  it('fails when a row differs, is missing or is extra, naming the first line that differs', () => {
    const other = `${HEAD}\n${row('9.11.2', 'pass: a')}\n${row('9.11.1', 'pass: b')}`;
    expect(tableMismatch(doc(other), run)).toMatch(/docs\/works-with\.md[\s\S]*9\.11\.2[\s\S]*9\.11\.1/);
    expect(tableMismatch(doc(`${HEAD}\n${row('9.11.1', 'pass: a')}`), run)).toMatch(/file: \(no line\)/);
    expect(tableMismatch(doc(`${run}\n${row('9.11.1', 'FAIL: c')}`), run)).toMatch(/run: {2}\(no line\)/);
  });

  it('withTable keeps the text around the markers and refuses a file without them', () => {
    const next = withTable(doc('old'), run);
    expect(next.startsWith('# Works with\n\nintro\n\n<!-- works-with:start -->\n')).toBe(true);
    expect(next.endsWith('<!-- works-with:end -->\n\nafter\n')).toBe(true);
    expect(() => withTable('no markers here', run)).toThrow(/markers/);
  });
});
