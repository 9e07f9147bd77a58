// Renders a program (program.ts) into page code: the body of an async function of the bed's ICE
// servers that returns, as a JSON string, every string the page recorded. Only the chosen axis values
// are written out, so a minimised program reads as a short, self-contained reproducer page.
import { CHANNEL_CODE, OTHER_REALM } from './render-channels';
import { HOOK_CODE } from './render-hooks';
import { beforeUseCode, realmCode, staticMarkup } from './render-realm';
import { CHANNELS, describe, type Flow, type IceSetup, type Program } from './program';

/**
 * The page's own tools, taken before it hooks anything, and its recorder. `rec` never re-enters
 * (hooks fire inside it) and writes into an object without a prototype (no hook sees the writes);
 * what it keeps is bounded in count and length. Every wait is bounded (`within`).
 */
const PRELUDE = `'use strict';
  const W0 = window;
  const RA = Reflect.apply, RC = Reflect.construct, GOPD = Object.getOwnPropertyDescriptor, DP = Object.defineProperty;
  const CR = Object.create, GPO = Object.getPrototypeOf, STR = String, JS = JSON.stringify, ST = setTimeout, P = Promise;
  const sink = CR(null);
  let n = 0;
  let busy = false;
  const text = (v) => {
    if (v === null || v === undefined) return STR(v);
    if (typeof v === 'string') return v;
    if (typeof v !== 'object' && typeof v !== 'function') return STR(v);
    let s = '';
    try { s = STR(JS(v)); } catch (e) { s = '[' + typeof v + ']'; }
    try { if (typeof v.sdp === 'string') s += ' sdp=' + v.sdp; } catch (e) { /* a throwing getter */ }
    try { const c = v.candidate; if (typeof c === 'string') s += ' candidate=' + c; else if (c) s += ' candidate=' + c.candidate + ' ' + c.address; } catch (e) { /* as above */ }
    try { const d = v.detail; if (d !== undefined && d !== null) s += ' detail=' + JS(d); } catch (e) { /* as above */ }
    try { if (typeof v.message === 'string') s += ' message=' + v.message + ' ' + v.stack; } catch (e) { /* as above */ }
    return s;
  };
  const rec = (tag, v) => {
    if (busy || n >= 3000) return;
    busy = true;
    try { const s = text(v); sink[n++] = tag + ': ' + (s.length > 6000 ? s.substring(0, 6000) : s); } catch (e) { sink[n++] = tag + ': (unreadable)'; }
    busy = false;
  };
  const def = (fields) => { const d = CR(null); for (const k in fields) d[k] = fields[k]; return d; };
  const wrap = (obj, names, label, recordThis) => {
    if (!obj) return;
    for (let k = 0; k < names.length; k++) {
      const m = names[k];
      const orig = obj[m];
      if (typeof orig !== 'function') continue;
      DP(obj, m, def({ configurable: true, writable: true, value: function () {
        rec(label + '.' + STR(m), recordThis ? this : arguments);
        return new.target ? RC(orig, arguments, new.target) : RA(orig, this, arguments);
      } }));
    }
  };
  const sleep = (ms) => new P((resolve) => ST(resolve, ms));
  const within = (p, ms) => P.race([p, sleep(ms)]);
  // A realm that went away (a frame navigated) never settles its connection's promises.
  const bounded = (p, what) => P.race([p, sleep(5000).then(() => { throw new Error(what + ': nothing within 5000 ms'); })]);
  const offer = async (c) => { await bounded(c.setLocalDescription(await bounded(c.createOffer(), 'createOffer')), 'setLocalDescription(offer)'); };
  const answer = async (c, remote) => {
    await bounded(c.setRemoteDescription(remote), 'setRemoteDescription(offer)');
    const a = await bounded(c.createAnswer(), 'createAnswer');
    await bounded(c.setLocalDescription(a), 'setLocalDescription(answer)');
    return a;
  };
  const cand = (c) => (c ? [c.candidate, c.address, c.relatedAddress, c.port, JS(c)].join(' ') : 'end');
  const gathered = (c) => new P((resolve) => c.addEventListener('icegatheringstatechange', () => { if (c.iceGatheringState === 'complete') resolve(); }));`;

const ICE: Record<IceSetup, string> = {
  none: '[]',
  STUN: 'STUN',
  TURN: 'TURN',
  'STUN and TURN': 'STUN.concat(TURN)',
  'bad TURN credential': "TURN.map((s) => ({ urls: s.urls, username: s.username, credential: 'wrong' }))",
};

/** Before the offer (listeners the flow needs) and after the first gathering. */
const FLOW: Record<Flow, { before: string; after: string }> = {
  gather: { before: '', after: '' },
  connect: {
    before: `pc2 = new PC(config);
  pc.addEventListener('icecandidate', (e) => { if (e.candidate) pc2.addIceCandidate(e.candidate).catch(() => undefined); });
  pc2.addEventListener('icecandidate', (e) => { if (e.candidate) pc.addIceCandidate(e.candidate).catch(() => undefined); });
  const connected = new P((resolve) => pc.addEventListener('connectionstatechange', () => { if (pc.connectionState === 'connected') resolve(); }));`,
    after: `await answer(pc2, pc.localDescription);
  await bounded(pc.setRemoteDescription(pc2.localDescription), 'setRemoteDescription(answer)');
  await within(connected, 6000);`,
  },
  restartIce: {
    before: '',
    after: `const again = gathered(pc);
  pc.restartIce();
  await offer(pc);
  await within(again, 6000);`,
  },
  renegotiate: {
    before: '',
    after: `const again = gathered(pc);
  pc.addTransceiver('audio');
  await offer(pc);
  await within(again, 6000);`,
  },
};

/** The program as the body of `async (ICE) => { ... }`, resolving to a JSON array of strings. */
export function renderBody(p: Program): string {
  const hookNames = [...new Set([...p.hooks, ...p.frameHooks])];
  const hookTable = hookNames.map((h) => `    ${JSON.stringify(h)}: (W, at) => {${HOOK_CODE[h]}\n    },`).join('\n');
  const install = (hooks: string[], where: string, label: string) =>
    hooks.map((h) => `  try { HOOKS[${JSON.stringify(h)}](${where}, '${label}'); } catch (e) { rec('hook failed', e); }`).join('\n');
  const chosen = CHANNELS.filter((c) => p.channels.includes(c)).map((c) => CHANNEL_CODE[c]);
  const parts = [
    PRELUDE,
    '  let pc = null;',
    '  let pc2 = null;',
    '  let popup = null;',
    '  try {',
    hookNames.length ? `  const HOOKS = {\n${hookTable}\n  };` : '',
    install(p.hooks, 'W0', ''),
    `  const STUN = ICE.filter((s) => STR(s.urls).startsWith('stun:'));`,
    `  const TURN = ICE.filter((s) => STR(s.urls).startsWith('turn:'));`,
    `  ${realmCode(p.realm)}`,
    install(p.frameHooks, 'T', 'frame: '),
    `  ${beforeUseCode(p.realm)}`,
    chosen.some((c) => c.other) ? `  ${OTHER_REALM}` : '',
    '  const PC = T.RTCPeerConnection;',
    `  const config = { iceServers: ${ICE[p.ice]} };`,
    '  pc = new PC(config);',
    ...chosen.filter((c) => c.setup).map((c) => `  ${c.setup}`),
    `  ${FLOW[p.flow].before}`,
    "  pc.createDataChannel('fuzz');",
    '  const first = gathered(pc);',
    '  await offer(pc);',
    `  ${FLOW[p.flow].after}`,
    '  await within(first, 6000);',
    '  await sleep(50); // the null candidate can come just after the state change',
    ...chosen.filter((c) => c.read).map((c) => `  try {\n  ${c.read}\n  } catch (e) { rec('read failed', e); }`),
    '  } catch (e) {',
    "    rec('program error', e);",
    '  }',
    '  try { if (pc) pc.close(); if (pc2) pc2.close(); } catch (e) { /* closed */ }',
    '  try { if (popup) popup.close(); } catch (e) { /* gone */ }',
    '  busy = true; // from here on, hooks record nothing',
    '  const out = [];',
    '  for (let k = 0; k < n; k++) out[k] = sink[k];',
    '  return JS(out);',
  ];
  return parts.filter((s) => s.trim() !== '').join('\n');
}

/**
 * A page that runs the program while it is parsed and leaves `window.fuzzResult`, a promise of the
 * JSON string. The ICE servers come from the query (`?ice=<JSON>`), so a saved page runs on any bed.
 */
export function renderPage(p: Program, title: string): string {
  const parserFrame = p.realm?.insertion === 'parser' && p.realm.depth === 1 ? staticMarkup(p.realm.frame) + '\n' : '';
  return `<!doctype html>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<!-- Generated by the fuzzer (test/fuzz/, issue #16): ${escapeHtml(describe(p)).replace(/--/g, '- -')} -->
<!-- Program: ${escapeHtml(JSON.stringify(p)).replace(/--/g, '- -')} -->
<body>
${parserFrame}<script>
window.fuzzResult = (async (ICE) => {
${renderBody(p).replace(/<\/script/gi, '<\\/script')}
})(JSON.parse(new URLSearchParams(location.search).get('ice') || '[]'));
</script>
`;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Reads the program back from a page written by renderPage (reproducers keep it in a comment). */
export function programOfPage(html: string): Program | null {
  const m = /<!-- Program: (.*) -->/.exec(html);
  if (!m) return null;
  return JSON.parse(m[1]!.replace(/- -/g, '--').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')) as Program;
}
