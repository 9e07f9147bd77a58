// Every capture (ours, and any real browser output the e2e suite saved) through every mode.
import { describe, expect, it } from 'vitest';
import { parseCandidate, rewriteSdp, serializeCandidate, transformCandidate, type TransformOptions } from '../../../src/policy/index';
import { allCaptures, leakedHostAddresses, newContext, type Capture } from './helpers';

const { own, browserOutput } = allCaptures();
const HIDING: TransformOptions[] = [
  { mode: 'srflx-only', lanNames: true }, { mode: 'srflx-only', lanNames: false },
  { mode: 'relay-only', lanNames: true }, { mode: 'off', lanNames: true },
];

it('has fixtures of its own (candidates and SDPs)', () => {
  expect(own.flatMap((c) => c.candidates).length).toBeGreaterThanOrEqual(9);
  expect(own.flatMap((c) => c.sdps).length).toBeGreaterThanOrEqual(7);
});

function run(c: Capture) {
  it('every candidate parses and round-trips (the empty end marker aside)', () => {
    for (const l of c.candidates) {
      if (l === '') continue;
      const p = parseCandidate(l);
      expect(p.ok, l).toBe(true);
      if (p.ok) expect(serializeCandidate(p.value)).toBe(l);
    }
  });

  it('direct changes nothing', () => {
    const ctx = newContext();
    for (const l of c.candidates) expect(transformCandidate(l, ctx, { mode: 'direct', lanNames: true }).line).toBe(l);
    for (const s of c.sdps) expect(rewriteSdp(s, ctx, { mode: 'direct', lanNames: true })).toBe(s);
  });

  for (const opts of HIDING) {
    it(`${opts.mode}${opts.lanNames ? '' : ' without LAN names'}: no host address anywhere, outputs well formed`, () => {
      // As the shim does: one context per connection, raw host candidates fed in first.
      const ctx = newContext();
      for (const l of c.candidates) ctx.learn(l);
      const out: string[] = [];
      for (const l of c.candidates) {
        const r = transformCandidate(l, ctx, opts);
        if (r.line === undefined) continue;
        out.push(r.line);
        if (r.line !== '') expect(parseCandidate(r.line).ok, r.line).toBe(true);
      }
      for (const s of c.sdps) {
        const o = rewriteSdp(s, ctx, opts);
        out.push(o);
        // Only candidate lines may disappear; every other line stays, in order.
        const kept = (x: string) => x.split(/\r?\n/).filter((l) => !l.startsWith('a=candidate:')).map((l) => l.slice(0, 2));
        expect(kept(o)).toEqual(kept(s));
        for (const l of o.split(/\r?\n/)) if (l.startsWith('a=candidate:')) expect(parseCandidate(l).ok, l).toBe(true);
      }
      expect(leakedHostAddresses(out.join('\n'), c.hostAddresses)).toEqual([]);
      if (opts.mode === 'off') expect(out.join('\n')).not.toContain('a=candidate');
    });
  }
}

for (const c of own) describe(`own fixture ${c.source}`, () => run(c));
for (const c of browserOutput) describe(`browser output ${c.source}`, () => run(c));
