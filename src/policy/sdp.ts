// SDP rewriting with the candidate rules: a=candidate, c=, a=rtcp (RFC 3605) and m= ports, i.e. the default destination (RFC 8839 §3).
import { dict, isDigits } from './chars';
import { parseCandidate, type Candidate } from './candidate';
import type { Address, ConnectionContext } from './context';
import { addressKey } from './ip';
import type { TransformOptions } from './mode';
import { scrubHostAddresses } from './scrub-text';
import { decide, SCRUBBED_PORT } from './transform';

/**
 * Rewrites a local description (createOffer/createAnswer results, localDescription and friends) with
 * the same rules and the same context as trickled candidates, so one address has one name everywhere.
 * - every a=candidate line: transformed like a trickled candidate, or removed;
 * - c= and a=rtcp (RFC 3605) lines: their address stays only when it is a public srflx/prflx/relay address
 *   this SDP reveals anyway; otherwise `IN IP4 0.0.0.0` / `IN IP6 ::` (and rtcp port 9);
 * - m= port: 9 when the section's default address was hidden (draft-ietf-rtcweb-mdns-ice-candidates
 *   §3.1.2.4); port 0 (a rejected or bundle-only section, RFC 3264 §6, RFC 8843 §6) stays 0;
 * - every other line is copied byte for byte, unless it contains a known host address, which becomes
 *   `0.0.0.0`/`::` (fail closed for lines we have no rule for, e.g. o= or a=remote-candidates).
 * Line endings (CRLF, bare LF, none on the last line) are kept. Linear time. Never throws: if anything
 * fails, the result is the fully scrubbed SDP (no candidate lines, every default address hidden), and
 * if even that fails, the empty string, which no browser accepts as a description (fail closed).
 * In `off` mode (and for an unknown mode) the fully scrubbed SDP is returned; `direct` returns `sdp`.
 */
export function rewriteSdp(sdp: string, ctx: ConnectionContext, opts: TransformOptions): string {
  if (opts.mode === 'direct') return sdp;
  const live = opts.mode === 'srflx-only' || opts.mode === 'relay-only';
  try {
    return rewrite(sdp, ctx, live ? opts : undefined);
  } catch {
    try {
      return rewrite(sdp, ctx, undefined);
    } catch {
      return '';
    }
  }
}

/** Calls `visit(start, end, eol)` for each line [start, end) of `sdp`; `eol` is '\r\n', '\n' or '' (last line). */
export function eachLine(sdp: string, visit: (start: number, end: number, eol: string) => void): void {
  const n = sdp.length;
  for (let pos = 0; pos < n; ) {
    const nl = sdp.indexOf('\n', pos);
    if (nl < 0) return visit(pos, n, '');
    const cr = nl > pos && sdp[nl - 1] === '\r';
    visit(pos, cr ? nl - 1 : nl, cr ? '\r\n' : '\n');
    pos = nl + 1;
  }
}

const CANDIDATE = 'a=candidate:';
const OTHER = 0;
const MEDIA = 1;
const CONN = 2;
const CAND = 3;
const RTCP = 4;

/** Which rule a line [start, end) falls under: m=, c=, a=candidate:, a=rtcp: or none. */
function lineKind(s: string, start: number, end: number): number {
  const len = end - start;
  if (len < 2 || s[start + 1] !== '=') return OTHER;
  const c = s[start];
  if (c === 'm') return MEDIA;
  if (c === 'c') return CONN;
  if (c !== 'a' || len < 7) return OTHER;
  const t = s[start + 2];
  if (t === 'c') return len >= 12 && s.slice(start + 2, start + 12) === 'candidate:' ? CAND : OTHER;
  return t === 'r' && s.slice(start + 2, start + 7) === 'rtcp:' ? RTCP : OTHER;
}

/** `opts` undefined: scrub everything (drop all candidates, hide every default address). */
function rewrite(sdp: string, ctx: ConnectionContext, opts: TransformOptions | undefined): string {
  // Pass 1: learn every host address first, so that a srflx line or c= line before its host line is judged right.
  const lines = dict<string>();
  const parsed = dict<Candidate | undefined>();
  let count = 0;
  for (let at = sdp.indexOf(CANDIDATE); at >= 0; at = sdp.indexOf(CANDIDATE, at + 1)) {
    if (at > 0 && sdp[at - 1] !== '\n') continue; // not at the start of a line
    const nl = sdp.indexOf('\n', at);
    const end = nl < 0 ? sdp.length : sdp[nl - 1] === '\r' ? nl - 1 : nl;
    const line = sdp.slice(at, end);
    const p = parseCandidate(line);
    lines[count] = line;
    parsed[count++] = p.ok ? p.value : undefined;
    if (p.ok) ctx.learnCandidate(p.value);
  }
  const results = dict<string | undefined>();
  const kept = dict<true>(); // public srflx/prflx/relay addresses that this SDP shows anyway
  for (let k = 0; k < count; k++) {
    const c = parsed[k];
    const r = opts && c ? decide(c, lines[k] as string, ctx, opts) : undefined;
    results[k] = r?.line;
    if (r?.line !== undefined && c?.type !== 'host') kept[(ctx.address((c as Candidate).address) as Address).key] = true;
  }

  // Pass 2: emit. Runs of lines without a rule of their own are copied in one piece (through the host
  // address scrub). A media section is held until its end: its m= line comes before its c= line.
  let out = '';
  let sec = '';
  let mLine: string | undefined;
  let mEol = '';
  let secHasC = false;
  let secHidden = false;
  let sessionHidden = false;
  let k = 0;
  let chunk = 0;
  const emit = (piece: string): void => {
    if (mLine === undefined) out += piece;
    else sec += piece;
  };
  const flushChunk = (upTo: number): void => {
    if (upTo > chunk) emit(scrubHostAddresses(sdp.slice(chunk, upTo), ctx.hosts));
  };
  const flushSection = (): void => {
    if (mLine !== undefined) out += (secHasC ? secHidden : sessionHidden) ? port9(mLine) + mEol + sec : mLine + mEol + sec;
  };
  eachLine(sdp, (start, end, eol) => {
    const kind = lineKind(sdp, start, end);
    if (kind === OTHER) return;
    flushChunk(start);
    chunk = end + eol.length;
    const line = sdp.slice(start, end);
    if (kind === MEDIA) {
      flushSection();
      mLine = scrubHostAddresses(line, ctx.hosts);
      mEol = eol;
      sec = '';
      secHasC = secHidden = false;
      return;
    }
    let piece: string | undefined;
    if (kind === CAND) piece = results[k++];
    else if (kind === CONN) {
      const hide = hiddenConnection(line.slice(2), kept);
      piece = hide === undefined ? scrubHostAddresses(line, ctx.hosts) : 'c=' + hide;
      if (mLine === undefined) sessionHidden ||= hide !== undefined;
      else {
        secHasC = true;
        secHidden ||= hide !== undefined;
      }
    } else {
      const sp = line.indexOf(' ');
      const hide = sp < 0 ? undefined : hiddenConnection(line.slice(sp + 1), kept);
      piece = hide === undefined ? scrubHostAddresses(line, ctx.hosts) : 'a=rtcp:' + SCRUBBED_PORT + ' ' + hide;
    }
    if (piece !== undefined) emit(piece + eol);
  });
  flushChunk(sdp.length);
  flushSection();
  return out;
}

/**
 * For `<nettype> <addrtype> <address>[/ttl]` (RFC 8866 §5.7): undefined when the address may stay,
 * else the hidden replacement (malformed counts as hidden).
 */
function hiddenConnection(body: string, kept: Record<string, true>): string | undefined {
  const s1 = body.indexOf(' ');
  const s2 = body.indexOf(' ', s1 + 1);
  const addrType = s1 < 0 || s2 < 0 ? '' : body.slice(s1 + 1, s2);
  const hidden = 'IN ' + (addrType === 'IP6' ? 'IP6 ::' : 'IP4 0.0.0.0');
  if (s2 < 0 || body.indexOf(' ', s2 + 1) >= 0 || body.slice(0, s1) !== 'IN') return hidden;
  const slash = body.indexOf('/', s2);
  const key = addressKey(body.slice(s2 + 1, slash < 0 ? body.length : slash));
  return key !== undefined && kept[key] ? undefined : hidden;
}

/** `m=<media> <port>[/<count>] ...` with the port set to 9, unless it is 0 (RFC 8866 §5.14). */
function port9(m: string): string {
  const s1 = m.indexOf(' ');
  let e = s1 + 1;
  while (e < m.length && m[e] !== ' ' && m[e] !== '/') e++;
  const port = m.slice(s1 + 1, e);
  return s1 < 0 || !isDigits(port, 5) || +port === 0 ? m : m.slice(0, s1 + 1) + SCRUBBED_PORT + m.slice(e);
}
