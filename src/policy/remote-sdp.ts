// Remote descriptions (setRemoteDescription): the remote-candidate rules on every a=candidate line,
// so that a page cannot use a description as the guess oracle that addIceCandidate refuses to be.
import { eachLine } from './sdp';

const PREFIX = 'a=candidate:';

/** Whitespace as the laxest SDP parser might skip it: controls and space, and Unicode White_Space. */
const isSpace = (c: number): boolean =>
  c <= 32 || c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 ||
  c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;

/**
 * Whether [start, end) may be read as a candidate attribute by some parser: ignoring ASCII case and
 * whitespace, a piece of it (split at CR too, a line break to some) begins with `a=candidate:`.
 */
function mayBeCandidate(s: string, start: number, end: number): boolean {
  let k = 0; // characters of PREFIX matched in this piece
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 13) k = 0;
    else if (isSpace(c)) continue;
    else if ((c >= 65 && c <= 90 ? c | 32 : c) === PREFIX.charCodeAt(k)) {
      if (++k === PREFIX.length) return true;
    } else {
      // This piece is something else: on to the next one (most lines have none), found natively.
      const cr = s.indexOf('\r', i + 1);
      if (cr < 0 || cr >= end) return false;
      i = cr;
      k = 0;
    }
  }
  return false;
}

/**
 * `sdp` without the candidate lines that `allowed` refuses (called with `candidate:...`, as in
 * RTCIceCandidateInit.candidate). Every line that may be a candidate line (see mayBeCandidate) goes,
 * with its line ending, unless it is exactly `a=candidate:` and a candidate `allowed` accepts (fail
 * closed: other spellings are not ours to read). Everything else is kept byte for byte, line endings
 * (CRLF, LF, none on the last line) included.
 */
export function filterRemoteCandidates(sdp: string, allowed: (candidate: string) => boolean): string {
  let out = '';
  let copied = 0;
  eachLine(sdp, (start, end, eol) => {
    if (!mayBeCandidate(sdp, start, end)) return;
    const line = sdp.slice(start, end);
    // A CR inside fails the candidate grammar (parseCandidate), so `allowed` refuses such a line.
    if (line.startsWith(PREFIX) && allowed(line.slice(2))) return;
    out += sdp.slice(copied, start);
    copied = end + eol.length;
  });
  return out + sdp.slice(copied);
}

/**
 * `sdp` with each `a=candidate:` line passed through `fn` (called with `candidate:...`): a string
 * replaces the line's content, null removes the line with its line ending. Other lines are kept byte
 * for byte. For descriptions the browser produced (remote descriptions as the page may see them).
 */
export function mapCandidateLines(sdp: string, fn: (candidate: string) => string | null): string {
  let out = '';
  let copied = 0;
  eachLine(sdp, (start, end, eol) => {
    const line = sdp.slice(start, end);
    if (!line.startsWith(PREFIX)) return;
    const next = fn(line.slice(2));
    out += sdp.slice(copied, start) + (next === null ? '' : 'a=' + next + eol);
    copied = end + eol.length;
  });
  return out + sdp.slice(copied);
}
