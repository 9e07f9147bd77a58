// Runs in the page's world: no extension APIs.
// The RTCPeerConnection surface of one realm, one file per part (docs/design.md "Leak catalogue"):
// constructor and configuration (pc-config.ts), events (pc-events.ts), descriptions, offers and
// answers (pc-descriptions.ts), remote candidates (pc-remote.ts), over the realm's context
// (realm-context.ts) and the per-connection state all realms share (connection.ts). Raw values are
// read with the realm's captured getters and handed to the relay at once; what the page receives is
// built from the relay's sanitized answer as genuine browser objects, so that even another realm's
// pristine getters read sanitized values.
import { apply } from './captured';
import { states, tellClosed } from './connection';
import { connectionClosed } from './owners';
import { patchConstructor } from './pc-config';
import { patchDescriptions } from './pc-descriptions';
import { patchEvents } from './pc-events';
import { patchRemoteCandidates } from './pc-remote';
import { realmContext } from './realm-context';
import type { Realm } from './realm-tools';
import { wrapMethod } from './wrap';

/** `atFirstConnection` runs once, when the realm's first connection is constructed. */
export function patchPeerConnection(realm: Realm, atFirstConnection: () => void): void {
  const c = realmContext(realm);
  if (!c) return;
  const listen = patchEvents(c);
  patchConstructor(c, listen, atFirstConnection);
  patchDescriptions(c);
  // A closed connection's context (foundations) can go; its names stay with the site.
  wrapMethod(c.proto, 'close', (orig, self, args) => {
    const s = states.get(self as object);
    if (s && !s.closed) {
      // No event after close(), as the browser: an address that would have followed a name goes too.
      s.follows.clear();
      connectionClosed(s);
      tellClosed(s.id);
    }
    return apply(orig, self, args);
  });
  patchRemoteCandidates(c);
}
