// The README "Works with" check (scripts/works-with.ts): it compares what a run decides (scenarios,
// versions, outcomes) and leaves out what varies from run to run (timings, TTFB, throughput, paths).
import { describe, expect, it } from 'vitest';
import { stable } from '../../scripts/works-with';

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
