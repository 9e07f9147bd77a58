// filterRemoteCandidates (src/policy/remote-sdp.ts) against an independent oracle written with
// regular expressions: whole lines go or stay, and no line that any parser might read as a candidate
// stays unless it is an exact `a=candidate:` line the check allows.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkRemoteCandidate, filterRemoteCandidates } from '../../../src/policy/index';
import { candidateLine, hostAddress, mutated, params } from './arbitraries';

const allowed = (c: string) => checkRemoteCandidate(c, 'srflx-only').allow;

/** The oracle: lines with their endings; a line goes if some CR-separated piece reads as a candidate without being an allowed one. */
function expected(sdp: string): string {
  const pieces = sdp.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  return pieces
    .filter((piece) => {
      const line = piece.replace(/\r?\n$/, '');
      const lax = line.split('\r').some((p) => p.replace(/[\s\x00-\x20\x85]/g, '').toLowerCase().startsWith('a=candidate:'));
      return !lax || (line.startsWith('a=candidate:') && allowed(line.slice(2)));
    })
    .join('');
}

const spelling = fc.constantFrom((l: string) => l, (l: string) => l.toUpperCase(), (l: string) => ' ' + l, (l: string) => l.replace('=', ' = '), (l: string) => 'a=x\r' + l);
const line = fc.oneof(
  { weight: 5, arbitrary: hostAddress.chain((h) => candidateLine([h])).map((c) => 'a=' + c.replace(/^(a=)?(candidate:)?/, 'candidate:')) },
  { weight: 2, arbitrary: fc.tuple(hostAddress.chain((h) => candidateLine([h])), spelling).map(([c, f]) => f('a=' + c.replace(/^(a=)?(candidate:)?/, 'candidate:'))) },
  { weight: 2, arbitrary: mutated(hostAddress.chain((h) => candidateLine([h])).map((c) => 'a=' + c.replace(/^(a=)?(candidate:)?/, 'candidate:'))) },
  { weight: 2, arbitrary: fc.constantFrom('v=0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'c=IN IP4 0.0.0.0', 'a=end-of-candidates', 'a=mid:0', '') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
);
const sdp = fc.array(fc.tuple(line, fc.constantFrom('\r\n', '\n')), { maxLength: 14 }).chain((ls) =>
  fc.boolean().map((lastEol) => ls.map(([l, e], i) => l + (i < ls.length - 1 || lastEol ? e : '')).join('')),
);

describe('filterRemoteCandidates properties', () => {
  it('removes exactly the lines the oracle removes, with their endings; everything else byte for byte', () => {
    fc.assert(fc.property(sdp, (s) => {
      expect(filterRemoteCandidates(s, allowed)).toBe(expected(s));
    }), params(500));
  });

  it('never throws on random text, and text without candidates comes back as it is', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
      const out = filterRemoteCandidates(s, allowed);
      expect(out).toBe(expected(s));
      if (!/candidate/i.test(s)) expect(out).toBe(s);
    }), params(1000));
  });
});
