// Leak catalogue (docs/design.md#leak-5 and #leak-12): getStats() of two connected connections of one page,
// read through every access path of the report (get, has, forEach, keys, values, entries, for...of,
// size, and another realm's Map.prototype and RTCStatsReport.prototype methods), and the sender's and
// receiver's getStats. pc1 and pc2 reach each other inside the page, so each sees the other's host
// address as a remote (or, with one-way signalling, peer-reflexive) candidate.
import { describe, expect, it } from 'vitest';
import { useBed, usePair } from './harness/hooks';
import { BROWSER_KINDS, findAddresses, type Bed, type FixtureServer } from './harness';
import { mdnsNames, modeViolations, runScenario, tracesPerPath, type BrowserPair, type Setting } from './harness/leak-tools';

interface Stat {
  id: string;
  type: string;
  candidateType?: string;
  address?: string;
  ip?: string;
  relatedAddress?: string;
  state?: string;
}
interface Report {
  size: number;
  keys: string[];
  has: boolean[];
  entries: Array<[string, Stat]>;
  [path: string]: unknown;
}
interface PcStats {
  getStats: Report;
  'getStats(null)': Stat[];
  'foreign getStats': Stat[];
  'sender getStats': Stat[];
  'receiver getStats': Stat[];
}
interface Seen {
  connected: boolean;
  echo: string | null;
  pc1: PcStats;
  pc2: PcStats;
  'gathering only': Stat[];
}

/** The report's access paths that hand out stats objects (size, keys and has are judged for consistency). */
const OBJECT_PATHS = ['get', 'forEach', 'values', 'entries', 'for...of'];
const FOREIGN_REPORT_PATHS = [
  'foreign RTCStatsReport.prototype.forEach',
  'foreign RTCStatsReport.prototype.get',
  'foreign RTCStatsReport.prototype.entries',
  'foreign RTCStatsReport.prototype.values',
  'foreign RTCStatsReport.prototype[Symbol.iterator]',
];
const FOREIGN_MAP_PATHS = ['foreign Map.prototype.forEach', 'foreign Map.prototype.get', 'foreign Map.prototype.values'];

let bed: Bed;
let server: FixtureServer;

useBed((b, s) => {
  bed = b;
  server = s;
});

const statsOf = (r: Report): Stat[] => r.entries.map(([, s]) => s);
const ofType = (r: Report, type: string): Stat[] => statsOf(r).filter((s) => s.type === type);

describe.each(BROWSER_KINDS)('%s', (kind) => {
  let browsers: BrowserPair;
  usePair(kind, () => bed, (pair) => (browsers = pair));

  const stats = (setting: Setting, oneWay = false) =>
    // One-way signalling may not connect under a mode (pc1 cannot answer checks it cannot pair): wait less.
    runScenario<Seen>(browsers, server, setting, 'stats', [{ iceServers: bed.iceServers, oneWay, timeoutMs: oneWay ? 6000 : 10_000 }]);

  /** The report paths, plus the other getStats calls, each with the LAN addresses it revealed. */
  const perPath = (pc: PcStats) =>
    tracesPerPath(
      {
        ...Object.fromEntries([...OBJECT_PATHS, ...FOREIGN_REPORT_PATHS].map((p) => [p, pc.getStats[p]])),
        'getStats(null)': pc['getStats(null)'],
        'foreign getStats': pc['foreign getStats'],
      },
      bed,
    );

  it('control: every access path of the report shows the host address (local-candidate address/ip/relatedAddress, remote-candidate)', async () => {
    const seen = await stats('control');
    expect(seen.connected).toBe(true);
    expect(seen.echo).toBe('echo:ping');
    const paths = perPath(seen.pc1);
    expect(paths).toEqual(Object.fromEntries(Object.keys(paths).map((k) => [k, bed.lan.addresses])));
    const report = seen.pc1.getStats;
    const local = ofType(report, 'local-candidate');
    expect(local.filter((s) => s.candidateType === 'host').map((s) => s.address)).toContain(bed.lan.v4);
    if (kind === 'chromium') expect(local.filter((s) => s.candidateType === 'host').map((s) => s.ip)).toContain(bed.lan.v4);
    // Chromium's srflx stats carry the host address as relatedAddress; Firefox's stats have no relatedAddress.
    const gathered = seen['gathering only'].filter((s) => s.type === 'local-candidate');
    expect(new Set(gathered.map((s) => s.candidateType))).toEqual(new Set(['host', 'srflx', 'relay']));
    const related = gathered.filter((s) => s.candidateType === 'srflx').map((s) => s.relatedAddress ?? null);
    expect(related).toEqual(kind === 'chromium' ? [bed.lan.v4] : [null]);
    const remote = ofType(report, 'remote-candidate').map((s) => s.address);
    expect(remote.filter((a) => bed.lan.addresses.includes(a!)).length).toBeGreaterThan(0);
    expect(ofType(report, 'candidate-pair').some((s) => s.state === 'succeeded')).toBe(true);
    // Another realm's Map.prototype methods refuse a maplike report: a surface that does not exist.
    for (const p of FOREIGN_MAP_PATHS) expect(report[p], p).toMatchObject({ threw: 'TypeError' });
    // The sender's report holds the transport's candidates too (the receiver's, here, none).
    // (only the selected pair's candidates: IPv4 or IPv6, whichever ICE chose).
    expect(findAddresses(JSON.stringify(seen.pc1['sender getStats']), bed.lan.addresses).length).toBeGreaterThan(0);
  });

  it('control: with one-way signalling pc1 learns pc2\'s host address as a peer-reflexive remote candidate (item 12)', async () => {
    const seen = await stats('control', true);
    expect(seen.connected).toBe(true);
    const prflx = ofType(seen.pc1.getStats, 'remote-candidate').filter((s) => s.candidateType === 'prflx');
    expect(prflx.length).toBeGreaterThan(0);
    if (kind === 'firefox') {
      expect(prflx.filter((s) => bed.lan.addresses.includes(s.address!)).length).toBeGreaterThan(0);
    } else {
      // Chromium redacts peer-reflexive addresses itself (stats: '', RTCIceCandidate: redacted-ip.invalid).
      expect(prflx.map((s) => [s.address, s.ip])).toEqual(prflx.map(() => ['', '']));
    }
  });

  for (const mode of ['srflx-only', 'relay-only'] as const) {
    it(`${mode}: pc1 and pc2 connect; no local address through any access path of any report; a consistent report`, async () => {
      const seen = await stats(mode);
      expect(modeViolations(seen, mode, bed)).toEqual([]);
      expect(seen.connected).toBe(true);
      expect(seen.echo).toBe('echo:ping');
      for (const pc of [seen.pc1, seen.pc2]) {
        const report = pc.getStats;
        // What size, keys and has say matches what the report hands out: nothing hidden in the count.
        expect(report.size).toBe(report.keys.length);
        expect(report.entries.map(([k]) => k)).toEqual(report.keys);
        expect(report.has.every(Boolean)).toBe(true);
        expect(ofType(report, 'candidate-pair').some((s) => s.state === 'succeeded')).toBe(true);
        expect(ofType(report, 'local-candidate').length).toBeGreaterThan(0);
      }
      const gathered = [...new Set(seen['gathering only'].filter((s) => s.type === 'local-candidate').map((s) => s.candidateType))].sort();
      expect(gathered).toEqual(mode === 'srflx-only' ? ['host', 'relay', 'srflx'] : ['relay']);
      if (mode === 'srflx-only') {
        // Host candidates in stats carry the same names as in events and SDP (one name per address).
        const hosts = ofType(seen.pc1.getStats, 'local-candidate').filter((s) => s.candidateType === 'host');
        expect(mdnsNames(hosts.map((s) => s.address))).toHaveLength(bed.lan.addresses.length);
      }
    });

    it(`${mode}: one-way signalling shows no local address as a peer-reflexive candidate (item 12)`, async () => {
      const seen = await stats(mode, true);
      expect(modeViolations(seen, mode, bed)).toEqual([]);
      expect(ofType(seen.pc1.getStats, 'local-candidate').length).toBeGreaterThan(0);
    });
  }

  it('direct: the reports show the browser\'s own candidates', async () => {
    const seen = await stats('direct');
    expect(seen.connected).toBe(true);
    const hosts = ofType(seen.pc1.getStats, 'local-candidate').filter((s) => s.candidateType === 'host');
    expect(hosts.map((s) => s.address)).toContain(bed.lan.v4);
    const remote = ofType(seen.pc1.getStats, 'remote-candidate').map((s) => s.address);
    expect(remote.filter((a) => bed.lan.addresses.includes(a!)).length).toBeGreaterThan(0);
  });
});
