// Runs in the page's world: no extension APIs.
// RTCIceTransport (reached through pc.sctp.transport.iceTransport and sender/receiver transports):
// the candidates it returns are rebuilt from sanitized strings. Its events carry no addresses.
import { ask } from './channel';
import { isDirect, isDirectMode } from './connection';
import { ownerOf } from './owners';
import { apply, construct, create } from './captured';
import { realmContext } from './realm-context';
import { put, type Realm } from './realm-tools';
import { wrapMethod } from './wrap';

export function patchIceTransport(realm: Realm): void {
  const Transport = (realm as { RTCIceTransport?: { prototype: object } }).RTCIceTransport;
  const c = realmContext(realm);
  if (!Transport || !c) return;
  const { cands, ObjectProto } = c;
  // Asked for as the connection the transport belongs to (owners.ts; 0 where none is known).
  const local = (transport: unknown, c: unknown): RTCIceCandidate | null => {
    if (!c) return null;
    const r = ask({ t: 'candidate', pc: ownerOf(transport), item: cands.read(c) });
    return r && r.t === 'candidate' && !r.pending && r.item ? cands.make(r.item) : null;
  };
  const remote = (c: unknown): RTCIceCandidate | null => {
    if (!c) return null;
    const init = cands.read(c);
    const r = ask({ t: 'remote-view', candidate: init.candidate });
    if (!r || r.t !== 'remote-view' || r.candidate === null) return null;
    init.candidate = r.candidate;
    return cands.make(init);
  };
  const RealmArray = realm.Array;
  const list = (items: unknown, fn: (c: unknown) => RTCIceCandidate | null): RTCIceCandidate[] => {
    const out = construct(RealmArray, []) as RTCIceCandidate[];
    const n = typeof (items as { length?: unknown })?.length === 'number' ? (items as unknown[]).length : 0;
    for (let i = 0; i < n; i++) {
      const c = fn((items as unknown[])[i]);
      if (c) put(out, out.length, c);
    }
    return out;
  };
  const tp = Transport.prototype;
  // In `direct` (without the LAN helper's names to resolve) the browser's own objects go through.
  wrapMethod(tp, 'getLocalCandidates', (orig, self, args) => (isDirect() ? apply(orig, self, args) : list(apply(orig, self, args), (c) => local(self, c))));
  wrapMethod(tp, 'getRemoteCandidates', (orig, self, args) => (isDirectMode() ? apply(orig, self, args) : list(apply(orig, self, args), remote)));
  wrapMethod(tp, 'getSelectedCandidatePair', (orig, self, args) => {
    if (isDirect()) return apply(orig, self, args);
    const pair = apply(orig, self, args) as { local?: unknown; remote?: unknown } | null;
    if (!pair) return pair;
    const l = local(self, pair.local);
    const r = remote(pair.remote);
    if (!l || !r) return null;
    const out = create(ObjectProto);
    put(out, 'local', l);
    put(out, 'remote', r);
    return out;
  });
}
