// Leak catalogue (docs/design.md#leak-8 and #leak-9): fresh realms. A page takes RTCPeerConnection from a
// frame or pop-up the way it can (contentWindow right after appendChild, frames[i], window[i], nested,
// sandboxed, written by innerHTML, insertAdjacentHTML or document.write, window.open) and gathers with
// it; data:, blob: and opaque-origin frames gather themselves and post their results to the parent.
import { describe, expect, it } from 'vitest';
import { useBed, usePair } from './harness/hooks';
import { BROWSER_KINDS, findAddresses, type Bed, type FixtureServer } from './harness';
import { candidateLines, localTypes, modeViolations, runScenario, UUID_LOCAL, type BrowserPair, type Setting } from './harness/leak-tools';

const VARIANTS = [
  'about:blank iframe',
  'srcdoc iframe, constructor taken before load',
  'same-origin src iframe, constructor taken before load',
  'frames[i]',
  'window[i]',
  'nested about:blank iframes',
  'nested same-origin iframes',
  'sandbox="allow-same-origin" iframe',
  'iframe from innerHTML',
  'iframe from insertAdjacentHTML',
  'iframe from document.write while parsing',
  'iframe from document.write into a child document',
  'window.open pop-up',
  'data: iframe (opaque origin)',
  'blob: iframe',
  'sandbox="allow-scripts" srcdoc iframe (opaque origin)',
];

interface InRealm {
  result: { events: Record<string, unknown[]>; descriptions: unknown; complete: boolean } | { error: string };
  probe: { taken: unknown; used: unknown };
}

let bed: Bed;
let server: FixtureServer;

useBed((b, s) => {
  bed = b;
  server = s;
});

describe.each(BROWSER_KINDS)('%s', (kind) => {
  let browsers: BrowserPair;
  usePair(kind, () => bed, (pair) => (browsers = pair));

  const inRealm = (setting: Setting, variant: string) =>
    runScenario<InRealm>(browsers, server, setting, 'inRealm', [variant, { iceServers: bed.iceServers }], { path: '/leaks/realms.html' });

  describe.each(VARIANTS)('%s', (variant) => {
    it('control: the realm\'s RTCPeerConnection hands the page the raw host address', async () => {
      const { result } = await inRealm('control', variant);
      expect(result).toMatchObject({ complete: true });
      if (kind === 'chromium' && variant.includes('(opaque origin)')) {
        // Measured: Chromium's camera-permission exemption is per origin, and an opaque origin holds
        // none, so Chromium itself hands such a frame <uuid>.local names and raddr 0.0.0.0.
        expect(findAddresses(JSON.stringify(result), bed.lan.addresses)).toEqual([]);
        const hosts = candidateLines(result).filter((c) => c.type === 'host');
        expect(hosts.length).toBeGreaterThan(0);
        expect(hosts.filter((c) => !UUID_LOCAL.test(c.address))).toEqual([]);
      } else {
        expect(findAddresses(JSON.stringify(result), [bed.lan.v4])).toEqual([bed.lan.v4]);
      }
    });

    it('srflx-only: no local address; host as <uuid>.local, srflx and relay kept', async () => {
      const { result } = await inRealm('srflx-only', variant);
      expect(modeViolations(result, 'srflx-only', bed)).toEqual([]);
      expect(result).toMatchObject({ complete: true });
      expect(localTypes((result as { events: unknown }).events)).toEqual(['host', 'relay', 'srflx']);
    });

    it('relay-only: relay candidates only, nothing local or mapped', async () => {
      const { result } = await inRealm('relay-only', variant);
      expect(modeViolations(result, 'relay-only', bed)).toEqual([]);
      expect(result).toMatchObject({ complete: true });
      expect(localTypes((result as { events: unknown }).events)).toEqual(['relay']);
    });
  });
});
