import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCandidate, serializeCandidate } from '../../../src/policy/index';
import { candidateLine, mutated, params } from './arbitraries';

describe('candidate grammar properties', () => {
  it('serialize(parse(x)) === x for generated valid lines', () => {
    fc.assert(fc.property(candidateLine(['198.51.100.10', 'fe80::1', '::ffff:10.0.0.1']), (line) => {
      const p = parseCandidate(line);
      expect(p.ok, line).toBe(true);
      if (p.ok) expect(serializeCandidate(p.value)).toBe(line);
    }), params(2000));
  });

  it('never throws, and whatever it accepts it reproduces exactly (random, mutated, truncated input)', () => {
    const input = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.string({ unit: fc.constantFrom(' ', 'a', '1', ':', '.', 'typ', 'host', 'raddr', 'rport', 'candidate:', '\t'), maxLength: 40 }),
      mutated(candidateLine(['198.51.100.10', 'fe80::1'])),
    );
    fc.assert(fc.property(input, (line) => {
      const p = parseCandidate(line);
      if (p.ok) {
        expect(serializeCandidate(p.value)).toBe(line);
        expect(line).not.toMatch(/\s\s|^\s|\s$|[^\x20-\x7e]/);
      } else expect(typeof p.error).toBe('string');
    }), params(5000));
  });
});
