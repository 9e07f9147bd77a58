import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HostAddresses, scrubHostAddresses } from '../../../src/policy/index';
import { scanHostAddresses } from '../../../src/policy/scrub-text';

const hosts = new HostAddresses();
for (const a of ['198.51.100.10', 'fe80::1', '2001:db8:1::10']) hosts.add(a);
const scrub = (t: string) => scrubHostAddresses(t, hosts);

describe('scrubHostAddresses', () => {
  it.each([
    ['o=- 1 2 IN IP4 198.51.100.10', 'o=- 1 2 IN IP4 0.0.0.0'],
    ['a=remote-candidates:1 198.51.100.10 41002', 'a=remote-candidates:1 0.0.0.0 41002'],
    ['a=x:198.51.100.10', 'a=x:0.0.0.0'],
    ['a=x:fe80::1', 'a=x:::'],
    ['a=x-addr FE80:0:0:0:0:0:0:1%eth0', 'a=x-addr ::%eth0'],
    ['[2001:db8:1:0:0:0:0:10]:5000', '[::]:5000'],
    ['198.51.100.10:5000', '0.0.0.0:5000'],
    ['at 198.51.100.10.', 'at 0.0.0.0.'],
    ['.198.51.100.10', '.0.0.0.0'],
    ['::ffff:198.51.100.10 ::FFFF:C633:640A', ':: ::'],
    ['host-ab.198.51.100.10', 'host-ab.0.0.0.0'],
    ['host-ab.198.51.100.10.', 'host-ab.0.0.0.0.'],
    ['é198.51.100.10é', 'é0.0.0.0é'],
    ['198.51.100.10 and 198.51.100.10', '0.0.0.0 and 0.0.0.0'],
  ])('%s', (input, out) => expect(scrub(input)).toBe(out));

  it.each([
    'a=rtpmap:111 opus/48000/2',
    'a=fingerprint:sha-256 4A:1D:6E:0B:9C:33:F2:7A:58:C1:E4:02:9B:7D:AA:61:3F:95:0E:C8:24:B7:D1:5A:86:F0:3C:19:E2:4B:77:AD',
    'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
    'a=x 198.51.100.100 198.51.100.1 1198.51.100.10 198.51.100.10.5 fe80::11 fe80::1:1 ab1.198.51.100.10',
    'c=IN IP4 203.0.113.1',
    '',
    ':.:.:.',
  ])('leaves %j alone', (t) => expect(scrub(t)).toBe(t));

  it('answers as the full scan does, shortcuts or not (text with one mark, long colon runs, fingerprints, addresses)', () => {
    const pieces = ['1', 'a', 'F', '0', '.', ':', '::', ' ', '-', 'x', '198.51.100.10', 'fe80::1', '2001:db8:1::10', 'AB:CD:', 'ab.local', '%eth0'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), fc.integer({ min: 0, max: 60 }), (parts, colonRun) => {
        const text = parts.join('');
        expect(scrub(text)).toBe(scanHostAddresses(text, hosts));
        const run = Array.from({ length: colonRun }, (_, i) => (i % 3 === 2 ? ':' : 'a')).join('');
        for (const t of [run, ':' + run, run + ':', ':' + run + ':', run + '1']) expect(scrub(t)).toBe(scanHostAddresses(t, hosts));
      }),
      { numRuns: 2000 },
    );
  });
});
