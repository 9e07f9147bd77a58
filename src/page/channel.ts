// Runs in the page's world: no extension APIs.
// The shim's end of the private channel to the relay (protocol in src/shared/page-protocol.ts).
import { CHANNEL, HANDSHAKE, HANDSHAKE_EVENT, type PageReply, type PageRequest } from '../shared/page-protocol';
import {
  addListener,
  apply,
  construct,
  create,
  customDetail,
  CustomEventCtor,
  dispatch,
  getDesc,
  isArray,
  jsonStringify,
  ownKeys,
  parseBare,
  removeListener,
  setProto,
} from './captured';

const docProto = Document.prototype;
const createElement = docProto.createElement;
const createTextNode = docProto.createTextNode;
const textData = getDesc(CharacterData.prototype, 'data')!;
const setData = textData.set!;
const getData = textData.get!;
const EventCtor = Event;
const documentElementGet = getDesc(docProto, 'documentElement')!.get!;
const appendChild = Node.prototype.appendChild;
const removeChild = Node.prototype.removeChild;
const ourDocument = document;

/** The channel's node: created here, attached only while announcing, detached (unreachable) after. */
let node: EventTarget | null = null;
/** The node's only child: each request's text, then the relay's answer in its place. */
let text: Node | null = null;
/** One query event, dispatched again for every request (a request asked while one is answered gets its own). */
let query: Event | null = null;
let depth = 0;
let connectedFlag = false;

/**
 * A deep copy with null prototypes. JSON.stringify looks up `toJSON` on every object it meets, and
 * the CustomEvent constructor reads its init dictionary's members through the prototype chain: on
 * ordinary objects a page-defined Object.prototype getter would be handed our raw data.
 */
function bareCopy(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  // Arrays in requests only ever hold the page's own data (ICE server lists), never raw candidates.
  const out = (isArray(value) ? [] : create(null)) as Record<PropertyKey, unknown>;
  setProto(out, null); // JSON.stringify looks up toJSON on arrays too
  const keys = ownKeys(value);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (typeof k !== 'string' || (k === 'length' && isArray(value))) continue;
    out[k] = bareCopy((value as Record<string, unknown>)[k]); // no prototype: plain assignment is safe (see bare)
  }
  return out;
}

function fire(target: EventTarget, type: string, detail: string, bubbles = false): void {
  const init = create(null) as CustomEventInit<string>;
  init.detail = detail;
  init.bubbles = bubbles;
  apply(dispatch, target, [construct(CustomEventCtor, [type, init])]);
}

/**
 * Connects to the relay; `onNotify` runs whenever the relay learns something (mode, names) that may
 * release held candidates. Once per document, at document_start, before any page script.
 *
 * Handshake: the shim creates an element, attaches it for a moment and dispatches a bubbling
 * announcement on it; the relay, listening on the window, takes the element from the event (the
 * first announcement only) and accepts on it, synchronously. From then on both talk only through
 * events on that detached element, which no page script can reach, and which document.open()
 * (it erases the listeners of the window and the document) does not touch. If the relay starts
 * after the shim, its ping makes the shim announce again.
 */
export function openChannel(onNotify: () => void): void {
  let candidate: EventTarget;
  let data: Node;
  try {
    candidate = apply(createElement, ourDocument, ['iceguard-channel']) as EventTarget;
    data = apply(createTextNode, ourDocument, ['']) as Node;
    apply(appendChild, candidate, [data]);
    query = construct(EventCtor, [CHANNEL.query]) as Event;
  } catch {
    return; // no DOM to talk through: stay disconnected (fail closed)
  }
  apply(addListener, candidate, [CHANNEL.accept, () => void (connectedFlag = true)]);
  apply(addListener, candidate, [CHANNEL.notify, () => onNotify()]);
  const announce = () => {
    const parent = (apply(documentElementGet, ourDocument, []) as Node | null) ?? (ourDocument as Node);
    try {
      apply(appendChild, parent, [candidate]);
      fire(candidate, HANDSHAKE_EVENT, HANDSHAKE.shim, true);
    } catch {
      /* could not attach: stay disconnected */
    } finally {
      try {
        apply(removeChild, parent, [candidate]);
      } catch {
        /* it was not attached */
      }
    }
    if (connectedFlag) {
      node = candidate;
      text = data;
      apply(removeListener, ourDocument, [HANDSHAKE_EVENT, onPing, true]);
    }
  };
  const onPing = (e: Event) => {
    let detail: unknown;
    try {
      detail = apply(customDetail, e, []); // throws for the document's real load events (not CustomEvents)
    } catch {
      return;
    }
    if (!connectedFlag && detail === HANDSHAKE.relay) announce();
  };
  apply(addListener, ourDocument, [HANDSHAKE_EVENT, onPing, true]);
  announce();
}

/** True once the relay is connected. Without it the shim fails closed (holds or drops everything). */
export const connected = (): boolean => node !== null;

/**
 * Asks the relay synchronously; null when there is no relay or it did not answer. The request's JSON
 * (an object: `{`) goes into the channel's text node, the query event makes the relay answer within
 * the dispatch, and the answer (an array holding the reply: `[`) is in the text node when it returns.
 * A text node's data and one reused event cost far less than an event with a detail each way.
 */
export function ask(request: PageRequest): PageReply | null {
  return askText(requestText(request));
}

/** A request as the channel carries it (JSON text): what `askText` takes. */
export const requestText = (request: PageRequest): string => jsonStringify(bareCopy(request)) as string;

/** `ask` for a request already in its text form (`requestText`). */
export function askText(request: string): PageReply | null {
  if (node === null || text === null) return null;
  apply(setData, text, [request]);
  // Dispatch does not throw for a listener's error; a request made while another is answered (a
  // notify's listener asking) needs an event of its own, as ours is being dispatched.
  apply(dispatch, node, [depth++ ? construct(EventCtor, [CHANNEL.query]) : query]);
  depth--;
  const a = apply(getData, text, []) as string;
  if (a[0] !== '[') return null; // still our request: nobody answered
  try {
    const reply = parseBare(a) as Record<number, unknown>;
    return reply[0] as PageReply;
  } catch {
    return null;
  }
}
