// The reactive background (src/background/reactions.ts, docs/architecture.md "What follows a change"):
// the whole background (main.ts) over a fake browser (fake-browser.ts). A write through the UI runs
// the table's reactions once, before the reply, with hints down during a mode write; a change from
// elsewhere (storage.onChanged, a new managed policy) runs them too; a failing floor is logged.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultSettings } from '../../../src/shared/settings';
import { browser, count, fake, managedChanged, runtimeMessage, tabsRemoved } from './fake-browser';

vi.mock('webextension-polyfill', async () => ({ default: (await import('./fake-browser')).browser }));
vi.stubGlobal('__TEST__', false);
vi.stubGlobal('__BROWSER__', 'chrome');

await import('../../../src/background/main');
const { REACTIONS, REACTIONS_WAIT_MS } = await import('../../../src/background/reactions');

const optionsPage = { id: 'iceguard', url: 'chrome-extension://iceguard/options.html' };
const ui = (request: object) => runtimeMessage.fire(request, optionsPage) as Promise<{ ok: boolean; error?: string }>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Until storage events (delivered eventDelayMs later) and what they started are done. */
async function settle(): Promise<void> {
  await sleep(fake.eventDelayMs + 20);
  for (let i = 0; i < 20; i++) await sleep(0);
}

/** What the background did since the last `clear()`, per reaction. */
const did = () => ({
  refresh: count('refresh '),
  floor: count('floor.get') / 2, // each run reads the setting before and after
  hints: fake.trace.filter((t) => t.startsWith('hints.')),
});
const clear = () => void fake.trace.splice(0);
const errors = async () => ((await browser.storage.session.get('errorLog')).errorLog ?? []) as Array<{ where: string; message: string }>;

const NONE = { refresh: 0, floor: 0, hints: [] };
/** Hints taken down before a write, then a sync that puts them back. */
const DOWN_AND_BACK = ['hints.list', 'hints.unregister', 'hints.list', 'hints.register'];

beforeEach(async () => {
  await settle();
  clear();
  fake.hintsAtModeWrites.splice(0);
});
afterEach(() => {
  fake.eventDelayMs = 0;
  fake.tabsHang = false;
  fake.floor.refuse = null;
  vi.useRealTimers();
});

describe('the start', () => {
  it('registered the hints and applied the floor without being asked', () => {
    expect(fake.scripts.size).toBeGreaterThan(0);
    expect(fake.floor.controlled).toBe(false); // floor "none": the browser's setting left alone
  });
});

describe('a write through the UI runs the table\'s reactions, once, before the reply', () => {
  it.each([0, 300])('a decision (storage event %i ms later): hints down, write, then refresh, floor and hints', async (delay) => {
    fake.eventDelayMs = delay;
    const reply = await ui({ ui: 'set-site', site: 'https://decided.example', mode: 'relay-only' });
    expect(reply).toEqual({ ok: true });
    const atReply = did();
    expect(atReply).toEqual({ refresh: 1, floor: 1, hints: DOWN_AND_BACK });
    const t = fake.trace;
    expect(t.indexOf('hints.unregister')).toBeLessThan(t.indexOf('write local sites'));
    expect(t.indexOf('write local sites')).toBeLessThan(t.indexOf('hints.register'));
    expect(fake.hintsAtModeWrites).toEqual([0]);
    // The write's own storage event comes (now or later): it runs nothing again.
    await settle();
    expect(did()).toEqual(atReply);
    expect([...fake.scripts.values()].some((s) => s.js?.some((j) => j.includes('relay-only')) && s.matches?.includes('https://decided.example:443/*'))).toBe(true);
    await ui({ ui: 'set-site', site: 'https://decided.example', mode: null });
  });

  it.each([
    ['lanNames', false, { refresh: 1, floor: 0, hints: [] }],
    ['floor', 'public-interface-only', { refresh: 0, floor: 1, hints: [] }],
    ['floorStrict', true, { refresh: 0, floor: 1, hints: [] }],
    ['prompts', { rawHost: false, failed: true, firstUse: false }, NONE],
    ['defaultMode', 'relay-only', { refresh: 1, floor: 1, hints: DOWN_AND_BACK }],
  ] as const)('setting %s: exactly its row of the table', async (key, value, expected) => {
    expect(await ui({ ui: 'set-setting', key, value })).toEqual({ ok: true });
    await settle();
    expect(did()).toEqual(expected);
    const listed = new Set(REACTIONS.filter((r) => r.source === 'local' && r.key === key).flatMap((r) => r.reactions));
    expect(listed).toEqual(new Set((['refresh', 'floor', 'hints'] as const).filter((k) => (k === 'hints' ? expected.hints.length : expected[k]) > 0)));
    if (key === 'floor') expect(fake.floor).toMatchObject({ value: 'default_public_interface_only', controlled: true });
    await ui({ ui: 'set-setting', key, value: defaultSettings()[key] });
    await settle();
  });

  it('"Allow once" in a tab: its grant is a mode write too', async () => {
    expect(await ui({ ui: 'allow-once', tabId: 1, site: 'https://open.example' })).toEqual({ ok: true });
    await settle();
    expect(did()).toEqual({ refresh: 1, floor: 1, hints: DOWN_AND_BACK });
    clear();
    expect(await ui({ ui: 'end-once', tabId: 1, site: 'https://open.example' })).toEqual({ ok: true });
    await settle();
    expect(did()).toEqual({ refresh: 1, floor: 1, hints: DOWN_AND_BACK });
  });

  it('two decisions at once: no hint is up at either write, and both are stated after', async () => {
    const replies = await Promise.all([
      ui({ ui: 'set-site', site: 'https://one.example', mode: 'off' }),
      ui({ ui: 'set-site', site: 'https://two.example', mode: 'relay-only' }),
    ]);
    expect(replies).toEqual([{ ok: true }, { ok: true }]);
    await settle();
    expect(fake.hintsAtModeWrites).toEqual([0, 0]);
    const matches = [...fake.scripts.values()].flatMap((s) => s.matches ?? []);
    expect(matches).toEqual(expect.arrayContaining(['https://one.example:443/*', 'https://two.example:443/*']));
    await ui({ ui: 'clear-sites' });
  });

  it('a sync asked for while a decision is on its way (a tab closed) leaves the hints down until the write is done', async () => {
    let open = () => undefined as void;
    fake.sitesGate = new Promise<void>((r) => (open = r));
    const reply = ui({ ui: 'set-site', site: 'https://slow.example', mode: 'off' });
    try {
      for (let i = 0; i < 100 && !fake.trace.includes('hints.unregister'); i++) await sleep(1);
      expect(fake.trace).toContain('hints.unregister');
      tabsRemoved.fire(99);
      await settle();
      expect(fake.scripts.size).toBe(0); // the tab's sync did not put back hints stating the old mode
    } finally {
      fake.sitesGate = null;
      open();
    }
    expect(await reply).toEqual({ ok: true });
    expect(fake.hintsAtModeWrites).toEqual([0]);
    expect([...fake.scripts.values()].flatMap((s) => s.matches ?? [])).toContain('https://slow.example:443/*');
    await ui({ ui: 'set-site', site: 'https://slow.example', mode: null });
  });
});

describe('a change from elsewhere runs the same table', () => {
  it('a new managed policy (storage.managed changed): relays, floor and hints follow', async () => {
    fake.managed = { DefaultMode: 'relay-only' };
    managedChanged();
    await settle();
    expect(did()).toMatchObject({ refresh: 1, floor: 1 });
    expect(did().hints).toEqual(['hints.list', 'hints.unregister', 'hints.register']);
    expect([...fake.scripts.values()].every((s) => s.js?.every((j) => j.includes('relay-only')))).toBe(true);
    fake.managed = {};
    managedChanged();
    await settle();
  });

  it('a decision written behind the background\'s back (another page, the test bridge): all three; the next own write still runs once', async () => {
    const sites = (await browser.storage.local.get('sites')).sites as object;
    await browser.storage.local.set({ sites: { ...sites, 'https://elsewhere.example': 'off' } });
    await settle();
    expect(did()).toEqual({ refresh: 1, floor: 1, hints: ['hints.list', 'hints.unregister', 'hints.register'] });
    clear();
    await ui({ ui: 'set-site', site: 'https://elsewhere.example', mode: null });
    await settle();
    expect(did()).toEqual({ refresh: 1, floor: 1, hints: DOWN_AND_BACK });
  });

  it('a tab\'s activity (no grant changed) runs nothing; a grant written elsewhere runs all three', async () => {
    const record = { site: 'https://open.example', connections: 1, candidatesHidden: 2, addresses: [], frameSites: [], once: [], used: [] };
    await browser.storage.session.set({ 'tab:7': record });
    await settle();
    expect(did()).toEqual(NONE);
    await browser.storage.session.set({ 'tab:7': { ...record, once: ['https://open.example'] } });
    await settle();
    expect(did()).toMatchObject({ refresh: 1, floor: 1 });
    expect(did().hints.length).toBeGreaterThan(0);
  });

  it('a closed tab: the floor and the hints (its grants went), no refresh', async () => {
    tabsRemoved.fire(7);
    await settle();
    expect(did().refresh).toBe(0);
    expect(did().floor).toBe(1);
    expect(did().hints[0]).toBe('hints.list');
  });
});

describe('reading is not applying', () => {
  it("the options page's settings read the floor as the browser has it, and set nothing", async () => {
    await ui({ ui: 'set-setting', key: 'floor', value: 'public-interface-only' });
    await settle();
    Object.assign(fake.floor, { value: 'default', controlled: false }); // as if something else had changed it since
    clear();
    const reply = (await ui({ ui: 'settings' })) as unknown as { state: { floor: { wanted: string | null; value: string | null } } };
    expect(reply.state.floor).toMatchObject({ wanted: 'default_public_interface_only', value: 'default' });
    expect(fake.trace.filter((t) => t.startsWith('floor.'))).toEqual(['floor.get']);
    await ui({ ui: 'set-setting', key: 'floor', value: 'none' });
    await settle();
  });
});

describe('failures stop nothing', () => {
  it('a floor the browser refuses is logged, and the reply still comes, ok', async () => {
    fake.floor.refuse = 'the browser said no';
    expect(await ui({ ui: 'set-setting', key: 'floor', value: 'disable-non-proxied-udp' })).toEqual({ ok: true });
    expect(await errors()).toContainEqual(expect.objectContaining({ where: 'floor', message: 'Error: the browser said no' }));
    fake.floor.refuse = null;
    await ui({ ui: 'set-setting', key: 'floor', value: 'none' });
  });

  it('a tab that never answers its refresh holds the reply REACTIONS_WAIT_MS at most', async () => {
    fake.tabsHang = true;
    vi.useFakeTimers();
    let replied = false;
    const reply = ui({ ui: 'set-setting', key: 'lanNames', value: false }).then((r) => ((replied = true), r));
    await vi.advanceTimersByTimeAsync(REACTIONS_WAIT_MS - 100);
    expect(replied).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    expect(await reply).toEqual({ ok: true });
    expect(await errors()).toContainEqual(expect.objectContaining({ where: 'reactions' }));
    vi.useRealTimers();
    fake.tabsHang = false;
    await ui({ ui: 'set-setting', key: 'lanNames', value: true });
  });
});
