import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCandidate, transformCandidate, type TransformOptions } from '../../../src/policy/index';
import { params, session } from './arbitraries';
import { leakedHostAddresses, newContext } from './helpers';

const HIDING: TransformOptions[] = [
  { mode: 'srflx-only', lanNames: true }, { mode: 'srflx-only', lanNames: false }, { mode: 'relay-only', lanNames: true }, { mode: 'off', lanNames: true },
];

describe('transformCandidate properties', () => {
  it('never throws; in every mode but direct no host address of the session appears, in any spelling; outputs parse', () => {
    fc.assert(fc.property(session, fc.constantFrom(...HIDING), fc.integer(), ({ hosts, lines }, opts, seed) => {
      const ctx = newContext(seed);
      for (const l of lines) ctx.learn(l); // the shim feeds raw host candidates first
      const out: string[] = [];
      for (const l of lines) {
        const r = transformCandidate(l, ctx, opts);
        if (r.line === undefined) continue;
        out.push(r.line);
        if (r.line !== '') expect(parseCandidate(r.line).ok, r.line).toBe(true);
      }
      expect(leakedHostAddresses(out.join('\n'), hosts)).toEqual([]);
    }), params(400));
  });

  it('in arrival order, without feeding hosts first: raddr teaches the host before the decision', () => {
    // Browsers put the base in a srflx/prflx raddr unless they scrubbed it themselves; relay addresses are never ours.
    const lines = session.map(({ hosts, lines }) => ({
      hosts,
      lines: lines.filter((l) => {
        const p = parseCandidate(l);
        if (!p.ok) return true;
        const c = p.value;
        const onHost = leakedHostAddresses(` ${c.address} `, hosts).length > 0;
        if (c.type === 'relay') return !onHost;
        return c.type === 'host' || !onHost || (c.raddr !== undefined && leakedHostAddresses(` ${c.raddr} `, hosts).length > 0 &&
          leakedHostAddresses(` ${c.raddr} `, hosts)[0] === leakedHostAddresses(` ${c.address} `, hosts)[0]);
      }),
    }));
    fc.assert(fc.property(lines, fc.constantFrom(...HIDING), ({ hosts, lines }, opts) => {
      const ctx = newContext();
      const out = lines.map((l) => transformCandidate(l, ctx, opts).line ?? '').join('\n');
      expect(leakedHostAddresses(out, hosts)).toEqual([]);
    }), params(300));
  });

  it('is linear: 1 MB inputs of every shape finish well under a second', () => {
    const ctx = newContext();
    const big = (unit: string) => unit.repeat(Math.ceil(1_000_000 / unit.length));
    for (const line of [
      big('a'), big('1.'), big(':1'), big(' '), big('candidate:1 '), 'candidate:1 1 udp 1 10.0.0.1 1 typ host' + big(' x y'),
      'candidate:1 1 udp 1 ' + big('f') + ' 1 typ host', 'candidate:1 1 udp 1 10.0.0.1 1 typ host generation ' + big('9'),
    ]) {
      const t = performance.now();
      expect(transformCandidate(line, ctx, HIDING[0]!).action).toBe('drop');
      expect(performance.now() - t).toBeLessThan(250);
    }
  });
});
