// Runs in the page's world: no extension APIs.
// The shim's end of the secret channel to the relay (protocol in src/shared/page-protocol.ts).
import { HANDSHAKE_EVENT, type PageReply, type PageRequest } from '../shared/page-protocol';
import {
  addListener,
  apply,
  construct,
  create,
  customDetail,
  CustomEventCtor,
  defineProp,
  dispatch,
  isArray,
  jsonParse,
  jsonStringify,
  ownKeys,
  removeListener,
  topWindow,
} from './captured';

const SHIM_HELLO = 'shim';
const RELAY_PING = 'relay';
const SECRET_PREFIX = 'secret:';

let secret: string | null = null;
let answer: unknown = null;

/**
 * A deep copy with null prototypes. JSON.stringify looks up `toJSON` on every object it meets, and
 * the CustomEvent constructor reads its init dictionary's members through the prototype chain: on
 * ordinary objects a page-defined Object.prototype getter would be handed our raw data.
 */
function bareCopy(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  // Arrays in requests only ever hold the page's own data (ICE server lists), never raw candidates.
  const out = (isArray(value) ? [] : create(null)) as Record<PropertyKey, unknown>;
  const keys = ownKeys(value);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (typeof k !== 'string' || (k === 'length' && isArray(value))) continue;
    defineProp(out, k, { value: bareCopy((value as Record<string, unknown>)[k]), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function fire(type: string, detail: string): void {
  const init = create(null) as CustomEventInit<string>;
  init.detail = detail;
  apply(dispatch, topWindow, [construct(CustomEventCtor, [type, init])]);
}

// Why window and not a private target: listeners a same-origin script put on this Window earlier (the
// initial about:blank Window is reused by a same-origin navigation) could hear the handshake, but a
// same-origin script has this frame's site and mode already, so it learns nothing it could not get
// by opening its own connection. Cross-origin scripts cannot add listeners here at all.

/**
 * Connects to the relay; `onNotify` runs whenever the relay learns something (mode, names) that may
 * release held candidates. Safe to call once per document.
 */
export function openChannel(onNotify: () => void): void {
  // The secret is taken only while our own announcement is being dispatched: the relay answers it
  // synchronously. A secret offered at any other time (a page script's forgery) is ignored.
  let announcing = false;
  const onHandshake = (e: Event) => {
    const d = apply(customDetail, e, []) as unknown;
    if (typeof d !== 'string' || secret !== null) return;
    if (announcing && d.length > SECRET_PREFIX.length && d.slice(0, SECRET_PREFIX.length) === SECRET_PREFIX) {
      secret = d.slice(SECRET_PREFIX.length);
    } else if (d === RELAY_PING && !announcing) {
      announce(); // the relay started after us: announce again, now that it listens
    }
  };
  const announce = () => {
    announcing = true;
    fire(HANDSHAKE_EVENT, SHIM_HELLO);
    announcing = false;
    if (secret !== null) {
      apply(removeListener, topWindow, [HANDSHAKE_EVENT, onHandshake]);
      apply(addListener, topWindow, [secret + ':a', (ev: Event) => void (answer = apply(customDetail, ev, []))]);
      apply(addListener, topWindow, [secret + ':n', () => onNotify()]);
    }
  };
  apply(addListener, topWindow, [HANDSHAKE_EVENT, onHandshake]);
  announce();
}

/** True once the relay is connected. Without it the shim fails closed (holds or drops everything). */
export const connected = (): boolean => secret !== null;

/** Asks the relay synchronously; null when there is no relay or it did not answer. */
export function ask(request: PageRequest): PageReply | null {
  if (secret === null) return null;
  answer = null;
  fire(secret + ':q', jsonStringify(bareCopy(request)));
  const a = answer;
  answer = null;
  if (typeof a !== 'string') return null;
  try {
    return jsonParse(a) as PageReply;
  } catch {
    return null;
  }
}
