// owners.ts: a sender, receiver or ICE transport is asked for as the connection that holds it (so a
// candidate has one foundation on every surface), as none once that connection closed, and as none
// when no live connection holds it.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RealmContext } from '../../../src/page/realm-context';
import { loadShimModule } from './shim-env';

type Owners = typeof import('../../../src/page/owners');
type Connection = typeof import('../../../src/page/connection');
let owners: Owners;
let connection: Connection;

// Stand-ins for the browser's interfaces: what the walk reads is their prototypes' own getters and methods.
class Ice {}
class Dtls {
  constructor(readonly ice = new Ice()) {}
}
Object.defineProperty(Dtls.prototype, 'iceTransport', { configurable: true, get(this: Dtls) { return this.ice; } });
class Endpoint {
  dtls: Dtls | null = null;
}
// As in the browser, each interface has its own `transport` getter.
class Sender extends Endpoint {}
class Receiver extends Endpoint {}
for (const E of [Sender, Receiver]) Object.defineProperty(E.prototype, 'transport', { configurable: true, get(this: Endpoint) { return this.dtls; } });
class Sctp {
  constructor(readonly dtls = new Dtls()) {}
}
Object.defineProperty(Sctp.prototype, 'transport', { configurable: true, get(this: Sctp) { return this.dtls; } });
class PC {
  senders: Sender[] = [];
  receivers: Receiver[] = [];
  channel: Sctp | null = null;
  getSenders() {
    return [...this.senders];
  }
  getReceivers() {
    return [...this.receivers];
  }
  /** As after setLocalDescription of a bundled offer: one DTLS (and ICE) transport under every sender and receiver. */
  negotiated(withData = false) {
    const dtls = new Dtls();
    for (const e of [...this.senders, ...this.receivers]) e.dtls = dtls;
    if (withData) this.channel = new Sctp();
    return dtls.ice;
  }
}
Object.defineProperty(PC.prototype, 'sctp', { configurable: true, get(this: PC) { return this.channel; } });

const realm = { RTCRtpSender: Sender, RTCRtpReceiver: Receiver, RTCDtlsTransport: Dtls, RTCSctpTransport: Sctp };
const context = (): RealmContext =>
  ({
    realm,
    getSenders: PC.prototype.getSenders,
    getReceivers: PC.prototype.getReceivers,
    sctp: Object.getOwnPropertyDescriptor(PC.prototype, 'sctp')!.get,
    transports: null,
  }) as unknown as RealmContext;

const c = context();
/** A connection as the constructor trap makes it: its state, then known as live. */
function open(): PC {
  const pc = new PC();
  owners.connectionOpened(pc, c);
  return pc;
}
const idOf = (pc: PC) => connection.connectionState(pc).id;

beforeAll(async () => {
  // The channel needs a DOM; nothing here asks the relay anything.
  vi.doMock('../../../src/page/channel', () => ({ ask: () => null }));
  owners = await loadShimModule<Owners>('../../../src/page/owners');
  connection = await import('../../../src/page/connection');
  owners.takeTransportGetters(c);
});
afterAll(() => vi.unstubAllGlobals());

describe('owners.ts: the connection a sender, receiver or ICE transport belongs to', () => {
  it('finds each object under its own connection, and none for an object no connection holds', () => {
    const [a, b] = [open(), open()];
    a.senders.push(new Sender());
    b.senders.push(new Sender());
    b.receivers.push(new Receiver());
    const aIce = a.negotiated();
    const bIce = b.negotiated(true);
    expect(idOf(a)).not.toBe(idOf(b));
    expect(owners.ownerOf(a.senders[0])).toBe(idOf(a));
    expect(owners.ownerOf(aIce)).toBe(idOf(a));
    expect(owners.ownerOf(b.senders[0])).toBe(idOf(b));
    expect(owners.ownerOf(b.receivers[0])).toBe(idOf(b));
    expect(owners.ownerOf(bIce)).toBe(idOf(b));
    expect(owners.ownerOf((b.channel!.dtls as Dtls).ice)).toBe(idOf(b)); // pc.sctp.transport.iceTransport
    expect(owners.ownerOf(new Sender())).toBe(0);
    expect(owners.ownerOf(new Ice())).toBe(0);
    expect(owners.ownerOf(null)).toBe(0);
  });

  it('finds what a connection gained after an earlier walk (a track added, a transport set later)', () => {
    const pc = open();
    const first = new Sender();
    pc.senders.push(first);
    expect(owners.ownerOf(first)).toBe(idOf(pc));
    const later = new Receiver();
    pc.receivers.push(later);
    const ice = pc.negotiated();
    expect(owners.ownerOf(later)).toBe(idOf(pc));
    expect(owners.ownerOf(ice)).toBe(idOf(pc));
  });

  it('asks as no connection (0) once the connection closed: the relay released its context', () => {
    const [a, b] = [open(), open()];
    a.senders.push(new Sender());
    b.senders.push(new Sender());
    const aIce = a.negotiated();
    expect(owners.ownerOf(aIce)).toBe(idOf(a)); // remembered while open
    owners.connectionClosed(connection.connectionState(a));
    expect(owners.ownerOf(a.senders[0])).toBe(0);
    expect(owners.ownerOf(aIce)).toBe(0);
    expect(connection.askedAs(connection.connectionState(a))).toBe(0);
    expect(owners.ownerOf(b.senders[0])).toBe(idOf(b));
  });

  it('reads through the getters taken at start, not what a page puts on the prototypes later', () => {
    const pc = open();
    const mine = new Sender();
    pc.senders.push(mine);
    const ice = pc.negotiated();
    const before = Object.getOwnPropertyDescriptor(Dtls.prototype, 'iceTransport')!;
    const methods = { getSenders: PC.prototype.getSenders };
    Object.defineProperty(Dtls.prototype, 'iceTransport', { configurable: true, get: () => new Ice() });
    PC.prototype.getSenders = () => [];
    try {
      expect(owners.ownerOf(mine)).toBe(idOf(pc));
      expect(owners.ownerOf(ice)).toBe(idOf(pc));
    } finally {
      Object.defineProperty(Dtls.prototype, 'iceTransport', before);
      PC.prototype.getSenders = methods.getSenders;
    }
  });

  it('a connection whose walk throws owns nothing, and stops no other', () => {
    const broken = open();
    Object.defineProperty(broken, 'senders', { get: () => { throw new Error('gone'); } });
    const pc = open();
    const s = new Sender();
    pc.senders.push(s);
    expect(owners.ownerOf(s)).toBe(idOf(pc));
  });
});
