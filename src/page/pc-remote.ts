// Runs in the page's world: no extension APIs.
// Remote candidates the page adds (addIceCandidate): the guess oracle. Each is read once into
// primitives, checked by the relay (an address of this machine's networks is refused quietly, as if
// unreachable; one of the site's own names becomes the address behind it), and exactly the checked
// values are passed on.
import { ask } from './channel';
import { apply, construct, create, getProto } from './captured';
import { addedBackOf, connectionState, isDirectMode } from './connection';
import type { RealmContext } from './realm-context';
import { withFirst, type AnyFn } from './realm-tools';
import { wrapMethod } from './wrap';

export function patchRemoteCandidates(c: RealmContext): void {
  const { DOMExc, RealmPromise, resolved, rejected } = c;
  wrapMethod(c.proto, 'addIceCandidate', (orig, self, args) => {
    if (isDirectMode()) return apply(orig, self, args);
    const init = readCandidateInit(c, args[0]);
    if (init === null) return apply(orig, self, args); // end of candidates (null, undefined)
    const line = init.candidate as string;
    // Both null: the browser rejects with its TypeError before it reads the candidate (webrtc-pc
    // addIceCandidate step 4), so it may have it.
    const unplaced = (init.sdpMid === undefined || init.sdpMid === null) && (init.sdpMLineIndex === undefined || init.sdpMLineIndex === null);
    const back = line !== '' && !unplaced ? addedBackOf(line) : undefined;
    if (back !== undefined) {
      init.candidate = back; // a line the relay itself showed this page, answered with it
    } else if (line !== '' && !unplaced) {
      const r = ask({ t: 'remote', pc: connectionState(self as object).id, candidate: line });
      // What the browser cannot parse either: its own answer (nothing to learn). Measured: Chromium
      // rejects with OperationError; Firefox ESR resolves (as the quiet refusal below does).
      if (r && r.t === 'remote' && r.malformed === true && __BROWSER__ !== 'firefox') {
        const error = construct(DOMExc, ['Error processing ICE candidate', 'OperationError']);
        if (typeof args[2] === 'function') {
          apply(args[2] as AnyFn, undefined, [error]);
          return apply(resolved, RealmPromise, [undefined]);
        }
        return apply(rejected, RealmPromise, [error]);
      }
      if (!r || r.t !== 'remote' || !r.allow) {
        // Refused quietly, as if the address were unreachable: the page learns nothing either way.
        if (typeof args[1] === 'function') apply(args[1] as AnyFn, undefined, []);
        return apply(resolved, RealmPromise, [undefined]);
      }
      // One of the site's own names: the browser gets the address behind it (issue #14).
      if (typeof r.candidate === 'string') init.candidate = r.candidate;
    }
    // The browser gets exactly the values checked: primitives, in an object with no prototype.
    return apply(orig, self, withFirst(args, init));
  });
}

/**
 * An RTCIceCandidateInit (or RTCIceCandidate) read once, each member converted to a primitive as
 * WebIDL would (DOMString: ToString; unsigned short: ToNumber), or null for no candidate at all.
 */
function readCandidateInit(c: RealmContext, cand: unknown): Record<string, unknown> | null {
  if (cand === undefined || cand === null) return null;
  const init = create(null) as Record<string, unknown>;
  if (typeof cand !== 'object' && typeof cand !== 'function') {
    init.candidate = '' + (cand as string); // what the browser's dictionary conversion would refuse it still refuses
    return init;
  }
  // The browser's own candidate: its captured getters (already primitives).
  if (c.CandidateProto !== undefined && protoOf(cand) === c.CandidateProto) return c.cands.read(cand) as unknown as Record<string, unknown>;
  const read = (k: 'candidate' | 'sdpMid' | 'sdpMLineIndex' | 'usernameFragment') => (cand as Record<string, unknown>)[k];
  const candidate = read('candidate');
  init.candidate = candidate === undefined ? '' : '' + (candidate as string);
  const index = read('sdpMLineIndex');
  if (index !== undefined) init.sdpMLineIndex = index === null ? null : +(index as number);
  const mid = read('sdpMid');
  if (mid !== undefined) init.sdpMid = mid === null ? null : '' + (mid as string);
  const ufrag = read('usernameFragment');
  if (ufrag !== undefined) init.usernameFragment = ufrag === null ? null : '' + (ufrag as string);
  return init;
}

function protoOf(o: object): unknown {
  try {
    return getProto(o);
  } catch {
    return null;
  }
}
