// The first start's policy read (issue #20): managed.ts `knownPolicy` answers at once (null: not
// known yet) for an install that is not by policy while storage.managed has not answered, and waits
// for it for an install by policy; a cached policy applies at once either way. The browser is a fake
// whose storage.managed.get answers only when the test says so (Chromium takes ~3 s at start).
import { beforeEach, describe, expect, it, vi } from 'vitest';

let installType = 'normal';
let cache: Record<string, unknown> = {};
let answerManaged: (v: unknown) => void = () => undefined;

vi.mock('webextension-polyfill', () => ({
  default: {
    management: { getSelf: async () => ({ installType }) },
    storage: {
      managed: { get: () => new Promise((r) => (answerManaged = r)) },
      local: {
        get: async (k: string) => (k in cache ? { [k]: cache[k] } : {}),
        set: async (o: Record<string, unknown>) => void Object.assign(cache, o),
      },
      session: { get: async () => ({}) },
      onChanged: { addListener: () => undefined },
    },
  },
}));
vi.stubGlobal('__TEST__', false);

/** A fresh copy of managed.ts (its state is per worker start). */
const fresh = async () => {
  vi.resetModules();
  return import('../../../src/background/managed');
};
const settled = async <T>(p: Promise<T>) => {
  let done = false;
  void p.then(() => (done = true));
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
  return done;
};

describe('knownPolicy at a first start', () => {
  beforeEach(() => {
    cache = {};
    installType = 'normal';
  });

  it('an install not by policy, nothing cached: not known yet (null) at once, the policy once read', async () => {
    const m = await fresh();
    m.watchPolicy();
    expect(await m.knownPolicy()).toBeNull();
    answerManaged({ DefaultMode: 'relay-only' });
    await settled(Promise.resolve());
    expect(await m.knownPolicy()).toMatchObject({ present: true, defaultMode: 'relay-only' });
  });

  it('an install by policy waits for the read', async () => {
    installType = 'admin';
    const m = await fresh();
    m.watchPolicy();
    const asked = m.knownPolicy();
    expect(await settled(asked)).toBe(false);
    answerManaged({ DefaultMode: 'off' });
    expect(await asked).toMatchObject({ present: true, defaultMode: 'off' });
  });

  it('a cached policy applies at once, whatever the install', async () => {
    installType = 'admin';
    cache = { managedPolicyCache: { raw: { DefaultMode: 'relay-only' }, at: 1 } };
    const m = await fresh();
    m.watchPolicy();
    expect(await m.knownPolicy()).toMatchObject({ present: true, defaultMode: 'relay-only' });
  });
});
