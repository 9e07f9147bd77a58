// Page code for the fuzzer's channel axis (program.ts CHANNELS): what the page reads. `setup` runs
// once the connection exists, before its offer; `read` after the flow has gathered (and connected).
// Names available: pc (the connection), pc2 (its peer, or null), PC (the constructor), O and OG (the
// other realm and the built-ins taken from it), cand(c) (a candidate as text), and the prelude's.
import type { Channel } from './program';

interface ChannelCode {
  setup?: string;
  read?: string;
  /** Needs the other realm's built-ins (OG). */
  other?: boolean;
}

const statsRead = (label: string, loop: string) => `{
    const report = await within(pc.getStats(), 3000);
    if (report) ${loop.replace(/REC/g, `rec('${label}', `)}
  }`;

export const CHANNEL_CODE: Record<Channel, ChannelCode> = {
  'listener capture before': { setup: "pc.addEventListener('icecandidate', (e) => rec('capture listener', cand(e.candidate)), true);" },
  'listener bubble before': { setup: "pc.addEventListener('icecandidate', (e) => rec('bubble listener', cand(e.candidate)));" },
  'listener added after the first candidate': {
    setup: `let late = false;
  pc.addEventListener('icecandidate', () => {
    if (late) return;
    late = true;
    pc.addEventListener('icecandidate', (e) => rec('capture listener after the first', cand(e.candidate)), true);
    pc.addEventListener('icecandidate', (e) => rec('bubble listener after the first', cand(e.candidate)));
  });`,
  },
  onicecandidate: { setup: "pc.onicecandidate = (e) => rec('onicecandidate', cand(e.candidate));" },
  'other realm addEventListener': {
    other: true,
    setup: "RA(OG.addEventListener, pc, ['icecandidate', (e) => rec('other realm listener', cand(e.candidate)), true]);",
  },
  'other realm event and candidate getters': {
    other: true,
    setup: `pc.addEventListener('icecandidate', (e) => {
    const c = RA(OG.eventCandidate, e, []);
    if (!c) return;
    let s = '';
    for (let k = 0; k < OG.candidateGetters.length; k++) s += ' ' + RA(OG.candidateGetters[k], c, []);
    rec('other realm getters', s + ' ' + JS(RA(OG.candidateToJSON, c, [])));
  });`,
  },
  'localDescription getters': {
    read: `for (const g of ['localDescription', 'currentLocalDescription', 'pendingLocalDescription']) {
    const desc = pc[g];
    rec(g, desc && desc.sdp);
    rec(g + ' toJSON', JS(desc));
  }`,
  },
  'other realm description getters': {
    other: true,
    read: `for (const g of ['localDescription', 'currentLocalDescription', 'pendingLocalDescription']) {
    const get = OG.descriptions[g];
    const desc = get ? RA(get, pc, []) : null;
    rec('other realm ' + g, desc ? RA(OG.sdp, desc, []) : desc);
  }`,
  },
  'createOffer result': { read: "rec('createOffer', (await within(pc.createOffer(), 3000) || {}).sdp);" },
  'createAnswer result': {
    read: `if (!pc2) {
    pc2 = new PC(config);
    const answered = gathered(pc2);
    rec('createAnswer', (await answer(pc2, pc.localDescription)).sdp);
    await within(answered, 6000);
  }
  rec('createAnswer again', (await within(pc2.signalingState === 'stable' ? pc2.createOffer() : pc2.createAnswer(), 3000) || {}).sdp);
  rec('answerer localDescription', pc2.localDescription && pc2.localDescription.sdp);`,
  },
  'getStats forEach': { read: statsRead('stats forEach', 'report.forEach((v) => REC v));') },
  'getStats entries': { read: statsRead('stats entries', 'for (const [, v] of report.entries()) REC v);') },
  'getStats values': { read: statsRead('stats values', 'for (const v of report.values()) REC v);') },
  'getStats get': { read: statsRead('stats get', 'for (const k of report.keys()) REC report.get(k));') },
  'getStats iterator': { read: statsRead('stats iterator', 'for (const e of report) REC e[1]);') },
  'other realm RTCStatsReport forEach': {
    other: true,
    read: statsRead('other realm stats forEach', 'RA(OG.statsForEach, report, [(v) => REC v)]);'),
  },
  'ICE transport': {
    read: `const t = pc.sctp && pc.sctp.transport && pc.sctp.transport.iceTransport;
  rec('ICE transport', t ? 'present' : 'absent');
  if (t && typeof t.getLocalCandidates === 'function') rec('getLocalCandidates', t.getLocalCandidates().map(cand).join(' | '));
  if (t && typeof t.getRemoteCandidates === 'function') rec('getRemoteCandidates', t.getRemoteCandidates().map(cand).join(' | '));
  if (t && typeof t.getSelectedCandidatePair === 'function') {
    const p = t.getSelectedCandidatePair();
    rec('getSelectedCandidatePair', p ? cand(p.local) + ' / ' + cand(p.remote) : p);
  }`,
  },
  icecandidateerror: {
    setup: `const readError = (e) => [e.address, e.port, e.url, e.errorCode, e.errorText, e.hostCandidate].join(' ');
  pc.addEventListener('icecandidateerror', (e) => rec('icecandidateerror', readError(e)));
  pc.onicecandidateerror = (e) => rec('onicecandidateerror', readError(e));`,
    read: 'await sleep(800); // errors can trail the end of gathering',
  },
  // Last: it changes the connection's state.
  'errors after munged SDP': {
    read: String.raw`const sdp = (pc.localDescription && pc.localDescription.sdp) || '';
  const candidates = sdp.split('\r\n').filter((l) => l.startsWith('a=candidate:')).join(' ');
  const stray = new PC();
  const attempts = [
    () => pc.setLocalDescription({ type: 'offer', sdp: sdp.replace(/a=ice-ufrag:/g, 'a=ice-ufrag:!') }),
    () => stray.setRemoteDescription({ type: 'answer', sdp }),
    () => pc.setRemoteDescription({ type: 'answer', sdp: sdp.replace(/a=candidate:(\S+) (\d+) /g, 'a=candidate:$1 x ') }),
    () => pc.addIceCandidate({ candidate: candidates.slice(2), sdpMid: '0' }),
  ];
  for (const attempt of attempts) {
    try {
      await within(attempt(), 3000);
      rec('munged input accepted', '');
    } catch (e) {
      rec('munged input error', e && e.name + ' ' + e.message + ' ' + e.stack);
    }
  }
  stray.close();`,
  },
};

/** The other realm and what the channels take from it, at once (before anything else can touch it). */
export const OTHER_REALM = `const O = T !== W0 ? W0 : (() => {
    const f = document.createElement('iframe');
    document.documentElement.appendChild(f);
    return f.contentWindow;
  })();
  const getterOf = (proto, name) => { const d = proto && GOPD(proto, name); return d && d.get; };
  const OG = {
    addEventListener: O.EventTarget.prototype.addEventListener,
    eventCandidate: getterOf(O.RTCPeerConnectionIceEvent.prototype, 'candidate'),
    candidateGetters: ['candidate', 'address', 'relatedAddress', 'port', 'type'].map((n) => getterOf(O.RTCIceCandidate.prototype, n)).filter(Boolean),
    candidateToJSON: O.RTCIceCandidate.prototype.toJSON,
    descriptions: {
      localDescription: getterOf(O.RTCPeerConnection.prototype, 'localDescription'),
      currentLocalDescription: getterOf(O.RTCPeerConnection.prototype, 'currentLocalDescription'),
      pendingLocalDescription: getterOf(O.RTCPeerConnection.prototype, 'pendingLocalDescription'),
    },
    sdp: getterOf(O.RTCSessionDescription.prototype, 'sdp'),
    statsForEach: O.RTCStatsReport.prototype.forEach,
  };`;
