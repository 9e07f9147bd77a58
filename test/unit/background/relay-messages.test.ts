// The background's side of "this machine's addresses" (docs/design.md#leak-22): raw host addresses a
// site's documents report (activity `hosts`, kept per site in storage.session) and the LAN helper's
// interface list (asked when it connects) reach the site's other documents in the site-info reply.
// The browser is a fake: an in-memory storage.session and a native port that answers like helper/host.ts.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Runtime } from 'webextension-polyfill';

const session = new Map<string, unknown>();
let helperPolicy: 'off' | 'optional' | 'required' = 'off';
/** What the fake helper lists as this machine's interface addresses, and the requests it got. */
let interfaces: unknown[] = [];
const posted: Array<{ type: string }> = [];
let disconnect: (() => void) | null = null;

function fakePort() {
  const onMessage: Array<(m: unknown) => void> = [];
  const onDisconnect: Array<(p: unknown) => void> = [];
  disconnect = () => onDisconnect.forEach((l) => l({}));
  return {
    onMessage: { addListener: (l: (m: unknown) => void) => void onMessage.push(l) },
    onDisconnect: { addListener: (l: (p: unknown) => void) => void onDisconnect.push(l) },
    disconnect: () => undefined,
    postMessage: (m: { type: string; id: number }) => {
      posted.push(m);
      const reply = m.type === 'hello' ? { type: 'hello', helper: 'test' } : m.type === 'interfaces' ? { type: 'interfaces', addresses: interfaces } : { type: 'error' };
      queueMicrotask(() => onMessage.forEach((l) => l({ ...reply, id: m.id })));
    },
  };
}

vi.mock('webextension-polyfill', () => ({
  default: {
    storage: {
      session: {
        get: async (k: string) => (session.has(k) ? { [k]: structuredClone(session.get(k)) } : {}),
        set: async (o: Record<string, unknown>) => Object.entries(o).forEach(([k, v]) => session.set(k, structuredClone(v))),
      },
    },
    runtime: {
      connectNative: () => {
        connects++;
        return fakePort();
      },
      lastError: undefined,
    },
    permissions: { contains: async (p: { permissions?: string[] }) => nativeGranted && p.permissions?.includes('nativeMessaging') === true },
    
  },
}));
/** Whether the user granted the optional nativeMessaging permission; connectNative calls; connected-listener calls. */
let nativeGranted = true;
let connects = 0;
let refreshes = 0;
/** The policy as `knownPolicy` gives it: null while a first start's read is on its way. */
let known: Record<string, unknown> | null = {};
/** The mode modeFor resolves, and the policy it was asked under. */
let siteMode = 'srflx-only';
const modeAsked: unknown[] = [];
vi.mock('../../../src/background/managed', () => ({ getPolicy: async () => ({ lanHelper: helperPolicy }), knownPolicy: async () => (known === null ? null : { lanHelper: helperPolicy, ...known }) }));
vi.mock('../../../src/background/effective', () => ({ getEffective: async () => ({ settings: { lanNames: true } }) }));
vi.mock('../../../src/background/site-modes', () => ({
  modeFor: async (_o: string, _t: number, policy: unknown) => {
    modeAsked.push(policy);
    return { mode: siteMode };
  },
}));
vi.mock('../../../src/background/badge', () => ({ showBadge: async () => undefined }));
vi.mock('../../../src/background/prompt', () => ({ requestPrompt: async () => null }));
vi.mock('../../../src/background/tabs', () => ({
  recordActivity: async () => ({ record: {}, firstUse: false }),
  safeOrigin: (u: string) => (URL.canParse(u) ? new URL(u).origin : 'null'), // as tabs.ts: 'null' for no URL
}));

vi.stubGlobal('__BROWSER__', 'chrome');
const { answerRelay } = await import('../../../src/background/relay-messages');
const { INTERFACES_FOR_MS, followPermission, helperStatus, onHelperConnected } = await import('../../../src/background/lan-helper');
// What main.ts wires to reactions.ts (source "helper": relays refreshed), counted here.
onHelperConnected(async () => void refreshes++);
const { MAX_HOST_ADDRESSES } = await import('../../../src/shared/messages');

const from = (origin: string, tabId = 1) => ({ origin, url: origin + '/', tab: { id: tabId, url: origin + '/' }, frameId: 0 }) as unknown as Runtime.MessageSender;
const report = (origin: string, hosts: string[]) =>
  answerRelay({ type: 'activity', origin, connections: 0, candidatesHidden: 1, addresses: [], hosts, rawHost: false, failed: false }, from(origin));
const hello = async (origin: string) => {
  const r = await answerRelay({ type: 'hello', origin }, from(origin, 2));
  return r && 'mode' in r ? r.hosts : undefined;
};

/** Empty session storage, a known policy with LanHelper `policy`, sites in srflx-only. */
function freshStart(policy: typeof helperPolicy): void {
  session.clear();
  helperPolicy = policy;
  known = {};
  siteMode = 'srflx-only';
}

describe('site-info `hosts`: raw host addresses of the site\'s other documents', () => {
  beforeEach(() => freshStart('off'));

  it('a document\'s reported host addresses reach the site\'s next documents, canonical; not other sites', async () => {
    expect(await hello('https://a.example')).toBeUndefined();
    await report('https://a.example', ['2001:0DB8:0010::000a', '198.51.100.10', 'junk', '0.0.0.0']);
    expect(await hello('https://a.example')).toEqual(['2001:db8:10::a', '198.51.100.10']);
    expect(await hello('https://a.example:443')).toEqual(['2001:db8:10::a', '198.51.100.10']); // same site
    expect(await hello('https://sub.a.example')).toBeUndefined(); // a site is an origin (src/policy/site-key.ts)
  });

  it('old relays\' reports (no `hosts`) and the hidden `addresses` (a relay\'s mapped address among them) add nothing', async () => {
    await answerRelay({ type: 'activity', origin: 'https://a.example', connections: 1, candidatesHidden: 1, addresses: ['203.0.113.1'], rawHost: false, failed: false }, from('https://a.example'));
    expect(await hello('https://a.example')).toBeUndefined();
  });

  it('is bounded per site: the newest MAX_HOST_ADDRESSES stay', async () => {
    const many = Array.from({ length: MAX_HOST_ADDRESSES + 10 }, (_, i) => `2001:db8::${(i + 1).toString(16)}`);
    await report('https://a.example', many.slice(0, 40));
    await report('https://a.example', many.slice(40));
    const got = await hello('https://a.example');
    expect(got).toHaveLength(MAX_HOST_ADDRESSES);
    expect(got).toEqual(many.slice(10));
  });

  it('opaque documents share no site: their reports are not handed on', async () => {
    await report('null', ['198.51.100.10']);
    expect(await hello('null')).toBeUndefined();
  });
});

describe('site-info `hosts`: the LAN helper\'s interface addresses', () => {
  beforeEach(() => {
    session.clear();
    helperPolicy = 'optional';
    posted.length = 0;
  });

  it('asked when the helper connects, canonical and bounded, handed to every site (opaque too) with the site\'s own', async () => {
    interfaces = ['2001:DB8:20::1', '198.51.100.20', 42, 'fe80::1%eth0', ...Array.from({ length: 80 }, (_, i) => `10.9.0.${i + 1}`)];
    await report('https://a.example', ['198.51.100.10']);
    const got = await hello('https://a.example');
    expect(posted.map((m) => m.type)).toEqual(['hello', 'interfaces']);
    expect(got?.slice(0, 3)).toEqual(['198.51.100.10', '2001:db8:20::1', '198.51.100.20']);
    expect(got).not.toContain('fe80::1%eth0'); // zone ids are no spelling of an address we match
    expect(got).toHaveLength(1 + MAX_HOST_ADDRESSES);
    expect(await hello('null')).toEqual(got!.slice(1));
  });

  it('asked again once INTERFACES_FOR_MS passed; none once the helper is gone', async () => {
    interfaces = ['198.51.100.30'];
    const now = Date.now();
    const clock = vi.spyOn(Date, 'now').mockReturnValue(now + INTERFACES_FOR_MS + 1);
    try {
      await hello('https://a.example'); // the old list, and a new one asked for
      expect(posted.map((m) => m.type)).toEqual(['interfaces']);
      await new Promise((r) => setTimeout(r, 0));
      expect(await hello('https://a.example')).toEqual(['198.51.100.30']);
    } finally {
      clock.mockRestore();
    }
    disconnect!();
    helperPolicy = 'off';
    expect(await hello('https://a.example')).toBeUndefined();
  });
});

describe('a provisional answer while the first start\'s policy read is on its way (issue #20)', () => {
  beforeEach(() => {
    session.clear();
    helperPolicy = 'optional';
    modeAsked.length = 0;
  });
  const ask = (origin: string) => answerRelay({ type: 'names', origin, addresses: ['198.51.100.10'] }, from(origin, 3));

  it('is marked provisional, has the names, and is never looser than srflx-only', async () => {
    known = null;
    siteMode = 'direct';
    const r = await ask('https://p.example');
    expect(r).toMatchObject({ mode: 'srflx-only', provisional: true, resolve: false });
    expect(Object.keys((r as { names: object }).names)).toEqual(['198.51.100.10']);
    // Resolved under no policy (not the one in force, which is not known).
    expect(modeAsked.length).toBeGreaterThan(0);
    for (const p of modeAsked) expect(p).toMatchObject({ present: false, rules: [] });
    siteMode = 'relay-only';
    expect(await ask('https://p.example')).toMatchObject({ mode: 'relay-only', provisional: true });
  });

  it('once the policy is known, the answer is the real one: no provisional mark, the site\'s mode, the same names', async () => {
    known = null;
    const first = (await ask('https://q.example')) as { names: Record<string, string> };
    known = { lanHelper: 'optional' };
    siteMode = 'direct';
    const r = await ask('https://q.example');
    expect(r).not.toHaveProperty('provisional');
    expect(r).toMatchObject({ mode: 'direct', names: first.names });
  });
});

describe('names of opaque documents (sandboxed, data:) are scoped by their top-level site', () => {
  beforeEach(() => {
    session.clear();
    helperPolicy = 'off';
    known = {};
  });
  /** A `names` request from an opaque frame in a tab showing `top`. */
  const opaque = async (top: string, tabId: number) => {
    const sender = { origin: 'null', url: 'data:text/html,x', tab: { id: tabId, url: `${top}/page` }, frameId: 5 } as unknown as Runtime.MessageSender;
    const r = await answerRelay({ type: 'names', origin: 'null', addresses: ['198.51.100.10'] }, sender);
    return (r as { names: Record<string, string> }).names['198.51.100.10'];
  };

  it('one address: one name within a top-level site (any tab), another under another site, and not the site\'s own', async () => {
    const a1 = await opaque('https://a.example', 1);
    expect(a1).toMatch(/^[0-9a-f-]{36}\.local$/);
    expect(await opaque('https://a.example', 2)).toBe(a1);
    expect(await opaque('https://b.example', 3)).not.toBe(a1);
    const own = await answerRelay({ type: 'names', origin: 'https://a.example', addresses: ['198.51.100.10'] }, from('https://a.example', 1));
    expect((own as { names: Record<string, string> }).names['198.51.100.10']).not.toBe(a1);
  });
});

describe('the LAN helper\'s optional permission (issue #17)', () => {
  beforeEach(() => freshStart('optional'));
  /** Runs `check` with the clock past the helper's retry pause, so only the permission keeps it from connecting. */
  const pastRetryPause = async (check: () => Promise<void>) => {
    const clock = vi.spyOn(Date, 'now').mockReturnValue(Date.now() + 60_000);
    try {
      await check();
    } finally {
      clock.mockRestore();
    }
  };
  const register = async () => ((await answerRelay({ type: 'hello', origin: 'https://r.example' }, from('https://r.example', 4))) as { register: boolean }).register;

  it('granted: connects at once (no retry pause) and open pages fetch their answer again', async () => {
    nativeGranted = false;
    await followPermission();
    const [before, refreshed] = [connects, refreshes];
    nativeGranted = true;
    await followPermission();
    expect(connects).toBe(before + 1);
    expect(refreshes).toBe(refreshed + 1);
    expect(await helperStatus()).toMatchObject({ state: 'connected', policy: 'optional' });
    expect(await register()).toBe(true);
  });

  it('taken away: the connection stops, nothing connects again, the pages are told it needs the permission', async () => {
    expect(await register()).toBe(true); // connected by the grant above
    nativeGranted = false;
    await followPermission();
    const before = connects;
    await pastRetryPause(async () => {
      expect(await register()).toBe(false);
      expect(await helperStatus()).toEqual({ state: 'needs-permission', policy: 'optional' });
    });
    expect(connects).toBe(before);
  });

  it('LanHelper "required" (the organisation turned it on) grants nothing: still needs the permission', async () => {
    nativeGranted = false;
    await followPermission();
    helperPolicy = 'required' as typeof helperPolicy;
    const before = connects;
    await pastRetryPause(async () => {
      expect(await helperStatus()).toEqual({ state: 'needs-permission', policy: 'required' });
      expect(await register()).toBe(false);
    });
    expect(connects).toBe(before);
    nativeGranted = true;
  });
});
