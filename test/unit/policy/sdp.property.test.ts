import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCandidate, rewriteSdp, type TransformOptions } from '../../../src/policy/index';
import { mutated, params, sdpFor, session } from './arbitraries';
import { leakedHostAddresses, newContext, sdpCase } from './helpers';

const HIDING: TransformOptions[] = [
  { mode: 'srflx-only', lanNames: true }, { mode: 'srflx-only', lanNames: false }, { mode: 'relay-only', lanNames: true }, { mode: 'off', lanNames: true },
];
// A whole SDP teaches the context its host addresses; a mutated one may have lost its host lines, so
// there the context first sees the session's raw host candidates (trickled earlier, as the shim would).
const sdpSession = session.chain(({ hosts, lines }) => fc.oneof(
  { weight: 3, arbitrary: sdpFor(hosts, lines).map((sdp) => ({ hosts, sdp, seen: [] as string[] })) },
  { weight: 2, arbitrary: mutated(sdpFor(hosts, lines)).map((sdp) => ({ hosts, sdp, seen: lines })) },
));

describe('rewriteSdp properties', () => {
  it('never throws; in every mode but direct no host address appears anywhere; only candidate lines disappear', () => {
    fc.assert(fc.property(sdpSession, fc.constantFrom(...HIDING), fc.integer(), ({ hosts, sdp, seen }, opts, seed) => {
      const ctx = newContext(seed);
      for (const l of seen) ctx.learn(l);
      const out = rewriteSdp(sdp, ctx, opts);
      expect(leakedHostAddresses(out, hosts)).toEqual([]);
      // Lines other than a=candidate stay; a dropped last line leaves the previous line's ending in place.
      const other = (s: string) => s.split(/\r?\n/).filter((l, i, a) => !l.startsWith('a=candidate:') && !(i === a.length - 1 && l === ''));
      expect(other(out).length).toBe(other(sdp).length);
      for (const l of out.split(/\r?\n/)) if (l.startsWith('a=candidate:')) expect(parseCandidate(l).ok, l).toBe(true);
    }), params(300));
  });

  it('direct returns the input itself', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
      expect(rewriteSdp(s, newContext(), { mode: 'direct', lanNames: true })).toBe(s);
    }), params(200));
  });

  it('never throws on random text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), fc.constantFrom(...HIDING), (s, opts) => {
      expect(typeof rewriteSdp(s, newContext(), opts)).toBe('string');
    }), params(1000));
  });

  it('is linear: 1 MB SDPs of every shape finish well under a second', () => {
    const host = sdpCase('chromium-gathered-host-default.sdp').sdp;
    const block = host.slice(host.indexOf('m=audio'), host.indexOf('m=video'));
    const big = (unit: string) => unit.repeat(Math.ceil(1_000_000 / unit.length));
    for (const sdp of [
      host.slice(0, host.indexOf('m=audio')) + big(block), // ~700 sections with 4 candidates each
      big('a=candidate:1 1 udp 1 198.51.100.10 1 typ host\r\n'), big('\n'), big('\r'), big('1.'), big(':1'), big('fe80::1 '),
      'a=candidate:' + big('1'), 'c=IN IP4 ' + big('9'), 'a=x:' + big('198.51.100.10 '), big('a'),
    ]) {
      for (const opts of [HIDING[0]!, HIDING[3]!]) {
        const ctx = newContext();
        ctx.learn('candidate:1 1 udp 1 198.51.100.10 1 typ host');
        const t = performance.now();
        const out = rewriteSdp(sdp, ctx, opts);
        expect(performance.now() - t).toBeLessThan(900);
        expect(out).not.toContain('198.51.100.10');
      }
    }
  });
});
