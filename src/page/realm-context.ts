// Runs in the page's world: no extension APIs.
// One realm's interfaces, intrinsics and getters, taken once when the realm is patched (a page may
// replace the globals and prototypes later) and shared by every surface patched in it.
import { getDesc, SafeWeakMap } from './captured';
import { candidateTools, getterOf, type AnyFn, type Realm } from './realm-tools';

export interface RealmContext {
  realm: Realm;
  /** RTCPeerConnection and its prototype (the browser's, before we wrap it). */
  PC: AnyFn & { prototype: object };
  proto: object;
  IceEvent: typeof RTCPeerConnectionIceEvent;
  Description: typeof RTCSessionDescription | undefined;
  ErrorEvent: typeof RTCPeerConnectionIceErrorEvent | undefined;
  DOMExc: typeof DOMException;
  EventCtor: typeof Event;
  dispatchNative: AnyFn;
  addNative: AnyFn;
  RealmPromise: PromiseConstructor;
  resolved: AnyFn;
  rejected: AnyFn;
  ObjectProto: object;
  CandidateProto: object | undefined;
  cands: ReturnType<typeof candidateTools>;
  /** Getters: the icecandidate event's candidate, connection states, description members. */
  evCandidate: AnyFn | undefined;
  iceState: AnyFn | undefined;
  gatheringState: AnyFn | undefined;
  dSdp: AnyFn | undefined;
  dType: AnyFn | undefined;
  /** The icecandidateerror event's members. */
  err: Record<'address' | 'port' | 'url' | 'code' | 'text', AnyFn | undefined>;
  /** What a connection holds (owners.ts): its senders, receivers and SCTP transport. */
  getSenders: AnyFn | undefined;
  getReceivers: AnyFn | undefined;
  sctp: AnyFn | undefined;
  /** The transports' getters, taken at the realm's first connection (owners.ts `takeTransportGetters`). */
  transports: TransportGetters | null;
}

/** Sender/receiver -> RTCDtlsTransport, SCTP -> RTCDtlsTransport, RTCDtlsTransport -> RTCIceTransport. */
export interface TransportGetters {
  ofSender: AnyFn | undefined;
  ofReceiver: AnyFn | undefined;
  ofSctp: AnyFn | undefined;
  ice: AnyFn | undefined;
}

const contexts = new SafeWeakMap<object, RealmContext | null>();

/** The realm's context, or null where it has no RTCPeerConnection. Built once per realm. */
export function realmContext(realm: Realm): RealmContext | null {
  let c = contexts.get(realm);
  if (c === undefined) {
    c = build(realm);
    contexts.set(realm, c);
  }
  return c;
}

function build(realm: Realm): RealmContext | null {
  const PC = realm.RTCPeerConnection as unknown as (AnyFn & { prototype: object }) | undefined;
  if (typeof PC !== 'function') return null;
  const proto = PC.prototype;
  const Description = realm.RTCSessionDescription as typeof RTCSessionDescription | undefined;
  const ErrorEvent = (realm as { RTCPeerConnectionIceErrorEvent?: typeof RTCPeerConnectionIceErrorEvent }).RTCPeerConnectionIceErrorEvent;
  const IceEvent = realm.RTCPeerConnectionIceEvent;
  const ep = ErrorEvent?.prototype;
  return {
    realm,
    PC,
    proto,
    IceEvent,
    Description,
    ErrorEvent,
    DOMExc: realm.DOMException,
    EventCtor: realm.Event,
    dispatchNative: realm.EventTarget.prototype.dispatchEvent as AnyFn,
    addNative: realm.EventTarget.prototype.addEventListener as AnyFn,
    RealmPromise: realm.Promise,
    resolved: realm.Promise.resolve as AnyFn,
    rejected: realm.Promise.reject as AnyFn,
    ObjectProto: realm.Object.prototype,
    CandidateProto: realm.RTCIceCandidate?.prototype,
    cands: candidateTools(realm),
    evCandidate: getterOf(IceEvent?.prototype, 'candidate'),
    iceState: getterOf(proto, 'iceConnectionState'),
    gatheringState: getterOf(proto, 'iceGatheringState'),
    dSdp: getterOf(Description?.prototype, 'sdp'),
    dType: getterOf(Description?.prototype, 'type'),
    err: {
      address: getterOf(ep, 'address'),
      port: getterOf(ep, 'port'),
      url: getterOf(ep, 'url'),
      code: getterOf(ep, 'errorCode'),
      text: getterOf(ep, 'errorText'),
    },
    getSenders: getDesc(proto, 'getSenders')?.value as AnyFn | undefined,
    getReceivers: getDesc(proto, 'getReceivers')?.value as AnyFn | undefined,
    sctp: getterOf(proto, 'sctp'),
    transports: null,
  };
}
