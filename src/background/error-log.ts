// The background's error log: what its catch sites would otherwise swallow (a storage write that
// failed, hints that could not be registered, a floor the browser refused), kept where a developer
// or the options page can read it. A ring buffer in storage.session: it survives the service worker
// stopping (it may stop at any moment) but not the browser, and it never holds a page's data beyond
// an error's message.
import browser from 'webextension-polyfill';
import { someOf } from '../shared/schema';
import { ERROR_ENTRY, type ErrorEntry } from '../shared/ui-protocol';
import { serialQueue } from './serial';

const KEY = 'errorLog';
/** The most entries kept: the newest win. */
export const MAX_ERRORS = 50;
/** ERROR_ENTRY's bound on a message. */
const MAX_MESSAGE = 500;

/** A stored log of any shape reads as a log: entries that do not read are left out. */
const LOG = someOf(ERROR_ENTRY, Infinity);

/** The log with `entry` added, the oldest left out past `max` (pure, for the unit tests). */
export function appendError(stored: unknown, entry: ErrorEntry, max = MAX_ERRORS): ErrorEntry[] {
  const log = LOG.read(stored, KEY);
  return [...(log.ok ? log.value : []), entry].slice(-max);
}

/** An error's message, whatever was thrown, bounded. */
export function errorMessage(e: unknown): string {
  let text: string;
  try {
    text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  } catch {
    text = 'an error that could not be read';
  }
  return text.length > MAX_MESSAGE ? text.slice(0, MAX_MESSAGE - 3) + '...' : text;
}

// Appends are read-modify-write: one after another, or two errors at once would keep only one.
const serial = serialQueue();

/** Records an error; never throws (a log that cannot be written is one more thing not to fail on). */
export function recordError(where: string, e: unknown): Promise<void> {
  const entry: ErrorEntry = { at: Date.now(), where: where.slice(0, 64), message: errorMessage(e) };
  return serial(async () => {
    const stored = (await browser.storage.session.get(KEY))[KEY];
    await browser.storage.session.set({ [KEY]: appendError(stored, entry) });
  }).catch(() => undefined);
}

/** For `.catch(logTo('floor'))`: records the error and resolves with undefined, as the swallowing catch did. */
export const logTo =
  (where: string) =>
  (e: unknown): undefined => {
    void recordError(where, e);
    return undefined;
  };

/** The log, oldest first. */
export async function readErrors(): Promise<ErrorEntry[]> {
  const log = LOG.read((await browser.storage.session.get(KEY))[KEY] ?? [], KEY);
  return log.ok ? log.value : [];
}

export function clearErrors(): Promise<void> {
  return serial(() => browser.storage.session.remove(KEY));
}
