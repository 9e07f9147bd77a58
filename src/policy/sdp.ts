// SDP rewriting with the candidate rules: a=candidate, c=, a=rtcp and m= ports (RFC 8839 §4.2, RFC 3605).
import { dict, indexOf, isDigits, slice, startsWith } from './builtins';
import { parseCandidate, type Candidate } from './candidate';
import type { ConnectionContext } from './context';
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
 *   §3.1.2.4); port 0 (rejected or bundle-only, RFC 8843 §7.1.3) stays 0;
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

/** Calls `visit(line, eol)` for each line; `eol` is '\r\n', '\n' or '' (last line). */
function eachLine(sdp: string, visit: (line: string, eol: string) => void): void {
  const n = sdp.length;
  for (let pos = 0; pos < n; ) {
    const nl = indexOf(sdp, '\n', pos);
    const next = nl < 0 ? n : nl + 1;
    let end = nl < 0 ? n : nl;
    if (end > pos && sdp[end - 1] === '\r') end--;
    visit(slice(sdp, pos, end), slice(sdp, end, next));
    pos = next;
  }
}

/** `opts` undefined: scrub everything (drop all candidates, hide every default address). */
function rewrite(sdp: string, ctx: ConnectionContext, opts: TransformOptions | undefined): string {
  // Pass 1: learn every host address first, so that a srflx line or c= line before its host line is judged right.
  const lines = dict<string>();
  const parsed = dict<Candidate | undefined>();
  let count = 0;
  eachLine(sdp, (line) => {
    if (!startsWith(line, 'a=candidate:')) return;
    const p = parseCandidate(line);
    lines[count] = line;
    parsed[count++] = p.ok ? p.value : undefined;
    if (p.ok) ctx.learnCandidate(p.value);
  });
  const results = dict<string | undefined>();
  const kept = dict<true>(); // public srflx/prflx/relay addresses that this SDP shows anyway
  for (let k = 0; k < count; k++) {
    const c = parsed[k];
    const r = opts && c ? decide(c, lines[k] as string, ctx, opts) : undefined;
    results[k] = r?.line;
    if (r?.line !== undefined && c?.type !== 'host') kept[addressKey((c as Candidate).address) as string] = true;
  }

  // Pass 2: emit. A media section is held until its end, because its m= line comes before its c= line.
  let out = '';
  let sec = '';
  let mLine: string | undefined;
  let mEol = '';
  let secHasC = false;
  let secHidden = false;
  let sessionHidden = false;
  let k = 0;
  const flush = (): void => {
    if (mLine === undefined) return;
    const hidden = secHasC ? secHidden : sessionHidden;
    out += (hidden ? port9(mLine) : mLine) + mEol + sec;
  };
  eachLine(sdp, (line, eol) => {
    let piece: string | undefined;
    if (startsWith(line, 'm=')) {
      flush();
      mLine = scrubHostAddresses(line, ctx.hosts);
      mEol = eol;
      sec = '';
      secHasC = secHidden = false;
      return;
    }
    if (startsWith(line, 'a=candidate:')) piece = results[k++];
    else if (startsWith(line, 'c=')) {
      const hide = hiddenConnection(slice(line, 2), kept);
      piece = hide === undefined ? scrubHostAddresses(line, ctx.hosts) : 'c=' + hide;
      if (mLine === undefined) sessionHidden ||= hide !== undefined;
      else {
        secHasC = true;
        secHidden ||= hide !== undefined;
      }
    } else if (startsWith(line, 'a=rtcp:')) {
      const sp = indexOf(line, ' ');
      const hide = sp < 0 ? undefined : hiddenConnection(slice(line, sp + 1), kept);
      piece = hide === undefined ? scrubHostAddresses(line, ctx.hosts) : 'a=rtcp:' + SCRUBBED_PORT + ' ' + hide;
    } else piece = scrubHostAddresses(line, ctx.hosts);
    if (piece === undefined) return;
    if (mLine === undefined) out += piece + eol;
    else sec += piece + eol;
  });
  flush();
  return out;
}

/**
 * For `<nettype> <addrtype> <address>[/ttl]` (RFC 8866 §5.7): undefined when the address may stay,
 * else the hidden replacement (malformed counts as hidden).
 */
function hiddenConnection(body: string, kept: Record<string, true>): string | undefined {
  const s1 = indexOf(body, ' ');
  const s2 = indexOf(body, ' ', s1 + 1);
  const addrType = s1 < 0 || s2 < 0 ? '' : slice(body, s1 + 1, s2);
  const hidden = 'IN ' + (addrType === 'IP6' ? 'IP6 ::' : 'IP4 0.0.0.0');
  if (s2 < 0 || indexOf(body, ' ', s2 + 1) >= 0 || slice(body, 0, s1) !== 'IN') return hidden;
  const slash = indexOf(body, '/', s2);
  const key = addressKey(slice(body, s2 + 1, slash < 0 ? body.length : slash));
  return key !== undefined && kept[key] ? undefined : hidden;
}

/** `m=<media> <port>[/<count>] ...` with the port set to 9, unless it is 0 (RFC 8866 §5.14). */
function port9(m: string): string {
  const s1 = indexOf(m, ' ');
  let e = s1 + 1;
  while (e < m.length && m[e] !== ' ' && m[e] !== '/') e++;
  const port = slice(m, s1 + 1, e);
  return s1 < 0 || !isDigits(port, 5) || +port === 0 ? m : slice(m, 0, s1 + 1) + SCRUBBED_PORT + slice(m, e);
}
