// The background's error log (src/background/error-log.ts): a ring buffer in storage.session that the
// swallowing catch sites record into. The browser is a fake: an in-memory storage.session.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const session = new Map<string, unknown>();
let failing = false;

vi.mock('webextension-polyfill', () => ({
  default: {
    storage: {
      session: {
        get: async (k: string) => (session.has(k) ? { [k]: structuredClone(session.get(k)) } : {}),
        set: async (o: Record<string, unknown>) => {
          if (failing) throw new Error('QUOTA_BYTES quota exceeded');
          // Async like the real one, so that appends that are not serialised would lose each other.
          await new Promise((r) => setTimeout(r, 1));
          for (const [k, v] of Object.entries(o)) session.set(k, structuredClone(v));
        },
        remove: async (k: string) => void session.delete(k),
      },
    },
  },
}));

const { appendError, clearErrors, errorMessage, logTo, MAX_ERRORS, readErrors, recordError } = await import('../../../src/background/error-log');

const entry = (n: number) => ({ at: n, where: 'test', message: `error ${n}` });

describe('error log: the ring buffer', () => {
  it('keeps the newest MAX_ERRORS entries, oldest first', () => {
    let log: unknown = undefined;
    for (let i = 0; i < MAX_ERRORS + 5; i++) log = appendError(log, entry(i));
    expect(log).toHaveLength(MAX_ERRORS);
    expect((log as { at: number }[])[0]!.at).toBe(5);
    expect((log as { at: number }[])[MAX_ERRORS - 1]!.at).toBe(MAX_ERRORS + 4);
  });

  it('a damaged stored log reads as what can be read of it, never throws', () => {
    expect(appendError('junk', entry(1))).toEqual([entry(1)]);
    expect(appendError([entry(0), null, { at: 'x' }, JSON.parse('{"__proto__": {}, "at": 1}')], entry(1))).toEqual([entry(0), entry(1)]);
  });

  it('an error\'s message, whatever was thrown, bounded', () => {
    expect(errorMessage(new TypeError('bad'))).toBe('TypeError: bad');
    expect(errorMessage('plain')).toBe('plain');
    expect(errorMessage({ toString: () => { throw new Error('no'); } })).toBe('an error that could not be read');
    expect(errorMessage('x'.repeat(1000))).toHaveLength(500);
  });
});

describe('error log: in storage.session', () => {
  beforeEach(async () => {
    failing = false;
    await clearErrors();
  });

  it('records errors that come at once, one after another (none lost)', async () => {
    await Promise.all([recordError('floor', new Error('a')), recordError('mode hints', new Error('b')), recordError('floor', 'c')]);
    expect((await readErrors()).map((e) => `${e.where}: ${e.message}`)).toEqual(['floor: Error: a', 'mode hints: Error: b', 'floor: c']);
  });

  it('logTo is a catch handler: it records and resolves with undefined', async () => {
    await expect(Promise.reject(new Error('gone')).catch(logTo('refreshing tabs'))).resolves.toBeUndefined();
    await vi.waitFor(async () => expect(await readErrors()).toMatchObject([{ where: 'refreshing tabs', message: 'Error: gone' }]));
  });

  it('a log that cannot be written does not throw', async () => {
    failing = true;
    await expect(recordError('settings store', new Error('x'))).resolves.toBeUndefined();
    expect(await readErrors()).toEqual([]);
  });
});
