// The relay's SiteState with the LAN helper: when a host candidate's name may show. The background is
// a fake `runtime.sendMessage` that answers as src/background/relay-messages.ts does: names for the
// site, `register` (helper connected) and `answered` (the names the helper already answers for).
import { beforeEach, describe, expect, it, vi } from 'vitest';

const sent: Array<{ type: string; addresses?: string[] }> = [];
let answered: string[] | undefined;
let register = true;
/** This machine's addresses, as the background hands them over (SiteInfo `hosts`). */
let hosts: string[] | undefined;
/** Answered for after a `names` request (the background registered them, then said so). */
let answeredAfterNames = false;
/** The background answers provisionally (a first start, its policy read on the way). */
let provisional = false;
const NAMES = { '198.51.100.10': '0d6c8a4e-4b8f-4c3a-9f1e-2a7b5c9d1e3f.local', '2001:db8:10::a': '5f1e2d3c-4b5a-4e6f-8a9b-0c1d2e3f4a5b.local' };

vi.mock('../../src/content/runtime', () => ({
  runtime: {
    sendMessage: (m: { type: string; addresses?: string[] }) => {
      sent.push(m);
      const a = answered ?? (answeredAfterNames && m.type === 'names' ? m.addresses : undefined);
      return Promise.resolve({ mode: 'srflx-only', lanNames: true, names: NAMES, register: register && !provisional, ...(provisional ? { provisional } : {}), ...(a ? { answered: a } : {}), ...(hosts ? { hosts } : {}) });
    },
  },
}));

const { ANSWERED_FOR_MS, SiteState } = await import('../../src/content/site-state');
const { PageRequests } = await import('../../src/content/page-requests');

/** Lets the fake background's replies (and the relay's queued requests) run. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
};

/** The fake background as each test starts: the helper connected, nothing answered for, no provisional answer. */
const resetBackground = () => {
  sent.length = 0;
  answered = undefined;
  register = true;
  answeredAfterNames = false;
  hosts = undefined;
  provisional = false;
};

describe('SiteState after a provisional answer (issue #20)', () => {
  beforeEach(resetBackground);

  it('names show at once, unconfirmed (reflexive candidates wait); the real answer confirms and registers the names shown', async () => {
    provisional = true;
    const s = new SiteState('https://a.example', () => undefined);
    await s.start();
    expect([s.modeFrom, s.confirmed, s.mode]).toEqual(['provisional', false, 'srflx-only']);
    expect(s.hasName('198.51.100.10')).toBe(true);
    provisional = false;
    await s.start();
    await settle();
    expect([s.modeFrom, s.confirmed]).toEqual(['background', true]);
    // Both names were known (and could have shown): both go to the helper now.
    expect(sent.map((m) => m.type)).toEqual(['hello', 'hello', 'names']);
    expect(sent[2]!.addresses!.sort()).toEqual(Object.keys(NAMES).sort());
  });

  it('a provisional answer that arrives after the real one changes nothing', async () => {
    const s = new SiteState('https://a.example', () => undefined);
    await s.start();
    provisional = true;
    await s.start();
    expect([s.modeFrom, s.confirmed]).toEqual(['background', true]);
  });
});

describe('SiteState with the LAN helper', () => {
  let clock: number;
  /** A relay's SiteState for https://a.example, after the background answered its hello. */
  const started = async () => {
    const s = new SiteState('https://a.example', () => undefined, () => clock);
    await s.start();
    return s;
  };
  beforeEach(() => {
    resetBackground();
    clock = 1000;
  });

  it('a name the helper does not answer for yet waits for this document\'s registration', async () => {
    answeredAfterNames = true;
    // As the shim does: whenever the relay learns something, it tries its held candidates again.
    let shown: boolean[] = [];
    const s: InstanceType<typeof SiteState> = new SiteState('https://a.example', () => void shown.push(s.hasName('198.51.100.10')), () => clock);
    await s.start();
    shown = [];
    expect(s.hasName('198.51.100.10')).toBe(false);
    s.request('198.51.100.10');
    await settle();
    expect(sent.map((m) => m.type)).toEqual(['hello', 'names']);
    expect(sent[1]!.addresses).toEqual(['198.51.100.10']);
    expect(s.hasName('198.51.100.10')).toBe(true);
    // Told once, with the registration already counted: never shown as early.
    expect(shown).toEqual([true]);
    expect(s.early.size).toBe(0);
  });

  it('warm: at the page\'s first WebRTC use the site\'s names are registered ahead, so its candidates need not wait (issue #15)', async () => {
    answeredAfterNames = true;
    const s = await started();
    expect(s.hasName('198.51.100.10')).toBe(false);
    s.warm();
    s.warm(); // once per document
    await settle();
    expect(sent.map((m) => m.type)).toEqual(['hello', 'names']);
    expect(sent[1]!.addresses!.sort()).toEqual(Object.keys(NAMES).sort());
    expect(s.hasName('198.51.100.10')).toBe(true);
    expect(s.hasName('2001:db8:10::a')).toBe(true);
    expect(s.early.size).toBe(0);
  });

  it('warm does nothing without the helper, outside srflx-only, or before the background answered', async () => {
    const before = new SiteState('https://a.example', () => undefined, () => clock);
    before.warm(); // no answer yet: the helper's presence is not known
    expect(sent).toEqual([]);
    register = false;
    const noHelper = await started();
    noHelper.warm();
    await settle();
    expect(sent.map((m) => m.type)).toEqual(['hello']);
    register = true;
    const relayOnly = await started();
    relayOnly.mode = 'relay-only';
    relayOnly.warm();
    await settle();
    expect(sent.map((m) => m.type)).toEqual(['hello', 'hello']);
  });

  it('a name the helper answers for already shows at once, and this document\'s registration goes out anyway', async () => {
    answered = ['198.51.100.10'];
    const s = await started();
    expect(s.hasName('198.51.100.10')).toBe(true);
    expect([...s.early]).toEqual(['198.51.100.10']);
    // The other address is not answered for: it waits.
    expect(s.hasName('2001:db8:10::a')).toBe(false);
    await settle();
    expect(sent.map((m) => m.type)).toEqual(['hello', 'names']);
    expect(sent[1]!.addresses).toEqual(['198.51.100.10']);
  });

  it('the background\'s word stands for ANSWERED_FOR_MS only: after it, the name waits again', async () => {
    answered = ['198.51.100.10'];
    const s = await started();
    clock += ANSWERED_FOR_MS + 1;
    expect(s.hasName('198.51.100.10')).toBe(false);
    expect(sent.map((m) => m.type)).toEqual(['hello']);
  });

  it('without the helper every named address shows at once, with no registration', async () => {
    register = false;
    const s = await started();
    expect(s.hasName('2001:db8:10::a')).toBe(true);
    expect(s.hasName('198.51.100.99')).toBe(false); // no name at all
    await settle();
    expect(sent.map((m) => m.type)).toEqual(['hello']);
    expect(s.early.size).toBe(0);
  });

  it('an answered address spelt differently (IPv6 in another form) is the same address', async () => {
    answered = ['2001:db8:10::a'];
    const s = await started();
    expect(s.hasName('2001:0db8:0010:0000:0000:0000:0000:000a')).toBe(true);
  });
});

describe('SiteState: this machine\'s addresses from the background', () => {
  const SRFLX6 = 'candidate:1 1 udp 1686052607 2001:db8:99::1 50000 typ srflx raddr :: rport 0 generation 0';
  const released = (s: InstanceType<typeof SiteState>) =>
    new PageRequests(s).handle({ t: 'candidate', pc: 1, item: { candidate: SRFLX6, sdpMid: '0', sdpMLineIndex: 0, usernameFragment: null } });

  beforeEach(() => {
    sent.length = 0;
    answered = undefined;
    register = false;
    hosts = undefined;
  });

  it('adopts the hello reply\'s `hosts` (another document of the site, the LAN helper): a srflx with one is dropped', async () => {
    hosts = ['2001:0db8:0099::0001', 'not an address'];
    const s = new SiteState('https://a.example', () => undefined);
    await s.start();
    expect(s.hosts.has('2001:db8:99::1')).toBe(true);
    expect(released(s)).toEqual({ t: 'candidate', pending: false, item: null });
  });

  it('without them the same srflx is a public address and goes out (the control)', async () => {
    const s = new SiteState('https://a.example', () => undefined);
    await s.start();
    const out = released(s);
    expect(out.t === 'candidate' && !out.pending && out.item?.candidate).toContain('2001:db8:99::1 50000 typ srflx');
  });
});
