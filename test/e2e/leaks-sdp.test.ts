// Leak catalogue (docs/design.md#leak-2, #leak-3, #leak-14): session descriptions. Every description getter
// (and another realm's pristine one) in every signalling state, offers and answers created after gathering
// (renegotiation), an ICE restart, and a gathering without ICE servers (the host address is then the
// default candidate, in c= and, in Firefox, a=rtcp).
import { describe, expect, it } from 'vitest';
import { useBed, usePair } from './harness/hooks';
import { BROWSER_KINDS, findAddresses, type Bed, type FixtureServer } from './harness';
import { candidateLines, localTypes, modeViolations, runScenario, type BrowserPair, type Setting } from './harness/leak-tools';

type Description = { type: string; sdp: string; foreignSdp?: unknown } | null;
/** What each description getter (and another realm's) returned in one signalling state. */
type State = Record<string, unknown> & { complete?: boolean; localDescription: Description };
interface Descriptions {
  'offerer have-local-offer': State;
  'answerer stable': State;
  'offerer stable': State;
  'createOffer after gathering': Description;
  'foreign createOffer after gathering': Description;
  'createAnswer after gathering': Description;
  'ice restart': State & { candidates: unknown[]; complete: boolean };
  'no ice servers': State;
}

/** Where each state has a description: the getters that must not be null there. */
const PRESENT: Record<string, string[]> = {
  'offerer have-local-offer': ['localDescription', 'pendingLocalDescription', 'foreign localDescription', 'foreign pendingLocalDescription'],
  'answerer stable': ['localDescription', 'currentLocalDescription', 'foreign localDescription', 'foreign currentLocalDescription'],
  'offerer stable': ['localDescription', 'currentLocalDescription', 'foreign localDescription', 'foreign currentLocalDescription'],
  'ice restart': ['localDescription', 'pendingLocalDescription', 'foreign localDescription', 'candidates', 'createOfferAfter'],
  'no ice servers': ['localDescription', 'pendingLocalDescription'],
};
const CREATED = ['createOffer after gathering', 'foreign createOffer after gathering', 'createAnswer after gathering'];

let bed: Bed;
let server: FixtureServer;

useBed((b, s) => {
  bed = b;
  server = s;
});

/** The SDP lines of a description that start with `prefix`. */
const linesOf = (d: unknown, prefix: string): string[] =>
  String((d as Description)?.sdp ?? '').split('\r\n').filter((l) => l.startsWith(prefix));

describe.each(BROWSER_KINDS)('%s', (kind) => {
  let browsers: BrowserPair;
  usePair(kind, () => bed, (pair) => (browsers = pair));

  const descriptions = (setting: Setting) =>
    runScenario<Descriptions>(browsers, server, setting, 'descriptions', [{ iceServers: bed.iceServers }]);

  /** Per state and getter (or created description), the LAN addresses in it. */
  function tracesPerSource(seen: Descriptions): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    const byName = seen as unknown as Record<string, Record<string, unknown> | undefined>;
    for (const [state, getters] of Object.entries(PRESENT)) {
      for (const g of getters) out[`${state}: ${g}`] = findAddresses(JSON.stringify(byName[state]?.[g] ?? null), [bed.lan.v4]);
    }
    for (const c of CREATED) out[c] = findAddresses(JSON.stringify(byName[c] ?? null), [bed.lan.v4]);
    return out;
  }

  it('control: every description getter, created offer/answer, ICE restart and c= line shows the raw host address', async () => {
    const seen = await descriptions('control');
    const all = tracesPerSource(seen);
    expect(all).toEqual(Object.fromEntries(Object.keys(all).map((k) => [k, [bed.lan.v4]])));
    expect(seen['offerer have-local-offer'].complete).toBe(true);
    expect(seen['ice restart'].complete).toBe(true);
    const lone = seen['no ice servers'].localDescription;
    expect(linesOf(lone, 'c=')).toContain(`c=IN IP4 ${bed.lan.v4}`);
    // a=rtcp: Firefox names the RTCP default candidate (the host address here); Chromium always 0.0.0.0.
    if (kind === 'firefox') expect(linesOf(lone, 'a=rtcp:').join('\n')).toContain(` IN IP4 ${bed.lan.v4}`);
    else expect([...new Set(linesOf(lone, 'a=rtcp:'))]).toEqual(['a=rtcp:9 IN IP4 0.0.0.0']);
    const srflx = candidateLines(seen['offerer have-local-offer'].localDescription).filter((c) => c.type === 'srflx');
    expect(srflx.map((c) => c.raddr)).toContain(bed.lan.v4);
  });

  it('srflx-only (default): no local address in any description; host candidates as <uuid>.local, srflx and relay kept, raddr scrubbed', async () => {
    const seen = await descriptions('srflx-only');
    expect(modeViolations(seen, 'srflx-only', bed)).toEqual([]);
    // Still a working description, with every kind of candidate the mode allows.
    expect(localTypes(seen['offerer have-local-offer'].localDescription)).toEqual(['host', 'relay', 'srflx']);
    // A later answer carries what the answerer still holds once the pair connected host to host (through
    // the site's own names, as the browser alone does). Chromium prunes what the selected pair does not
    // use, on its own timing: the unused TURN allocation always, the srflx candidate in some runs (a CI
    // run had host alone), with or without IceGuard. So: the host name, and nothing the mode forbids.
    const later = localTypes(seen['createAnswer after gathering']);
    expect(later).toContain('host');
    expect(['host', 'relay', 'srflx']).toEqual(expect.arrayContaining(later));
    expect(localTypes(seen['ice restart'].candidates)).toEqual(['host', 'relay', 'srflx']);
    expect(localTypes(seen['no ice servers'].localDescription)).toEqual(['host']);
    for (const c of linesOf(seen['no ice servers'].localDescription, 'c=')) expect(c).toMatch(/^c=IN IP[46] (0\.0\.0\.0|::)$/);
  });

  it('relay-only: descriptions carry relay candidates only, raddr scrubbed, no mapped address', async () => {
    const seen = await descriptions('relay-only');
    expect(modeViolations(seen, 'relay-only', bed)).toEqual([]);
    expect(localTypes(seen['offerer have-local-offer'].localDescription)).toEqual(['relay']);
    expect(localTypes(seen['ice restart'].candidates)).toEqual(['relay']);
    expect(localTypes(seen['no ice servers'])).toEqual([]);
  });

  it('direct: descriptions carry the browser\'s own candidates', async () => {
    const seen = await descriptions('direct');
    const all = tracesPerSource(seen);
    expect(all).toEqual(Object.fromEntries(Object.keys(all).map((k) => [k, [bed.lan.v4]])));
    expect(linesOf(seen['no ice servers'].localDescription, 'c=')).toContain(`c=IN IP4 ${bed.lan.v4}`);
  });
});
