// The reactive background (docs/architecture.md "What follows a change"): one table from
// what changed (a storage key, the policy in force, the LAN helper, the open tabs) to what follows it
// (relays fetch their answer again, the browser floor is applied, the mode hints are synced).
//
// Two ways in, one table:
//   - `changed`: something changed behind the background's back or outside storage (storage.onChanged
//     from anywhere, a new policy, the helper connecting, a tab closing). Its reactions run, unawaited.
//   - `change(what, write)`: the background's own write (UI pages, the prompt, the test bridge). Hints
//     come down first when the write can change a site's mode (hints.ts), then the write, then its
//     reactions, awaited (bounded), so a reply sent after it finds tabs refreshed and the floor applied.
// The storage event of an own write is absorbed (its reactions already ran, or are about to), and each
// reaction is coalesced (serial.ts `coalescing`), so one write never runs a reaction twice in a row.
import type { Storage } from 'webextension-polyfill';
import { logTo } from './error-log';
import { applyFloor } from './floor';
import { syncHints, withHintsDown } from './hints';
import { refreshTabs } from './refresh';
import { coalescing } from './serial';
import { TAB_KEY_PREFIX, tabKey } from './tabs';

export type Reaction = 'refresh' | 'floor' | 'hints';

/** Where a change happened: a storage area, or what the background follows outside storage. */
export type Source = 'local' | 'session' | 'policy' | 'helper' | 'tabs' | 'start';

export interface Change {
  source: Source;
  key: string;
}

interface Row {
  source: Source;
  /** A key, or a key prefix ending in `*`. */
  key: string;
  reactions: readonly Reaction[];
  /** Whether a storage change of the key matters (else: every change does). */
  matters?: (change: Storage.StorageChange) => boolean;
  /** A write here can change a site's mode: every hint comes down before it (hints.ts). */
  mode?: true;
}

const onceOf = (v: unknown): unknown => (typeof v === 'object' && v !== null ? (v as { once?: unknown }).once : undefined);
/** A tab's "Allow once" grants changed; a record removed with its tab is the row "tabs closed". */
const onceChanged = (c: Storage.StorageChange) => c.newValue !== undefined && JSON.stringify(onceOf(c.oldValue) ?? []) !== JSON.stringify(onceOf(c.newValue) ?? []);

const EVERYTHING: readonly Reaction[] = ['refresh', 'floor', 'hints'];

/**
 * What follows what. A site's mode: relays ask again, the floor may lift or fall (floorStrict), hints
 * restate it. Relays' answers carry lanNames and the helper's presence; the floor settings concern
 * the browser's setting only; prompts concern the background only (no row: nothing follows).
 */
export const REACTIONS: readonly Row[] = [
  { source: 'local', key: 'sites', reactions: EVERYTHING, mode: true },
  { source: 'local', key: 'defaultMode', reactions: EVERYTHING, mode: true },
  { source: 'session', key: `${TAB_KEY_PREFIX}*`, reactions: EVERYTHING, matters: onceChanged, mode: true },
  // managed.ts reads storage.managed on its change and tells when the policy in force differs.
  { source: 'policy', key: 'in-force', reactions: EVERYTHING, mode: true },
  { source: 'local', key: 'lanNames', reactions: ['refresh'] },
  { source: 'local', key: 'floor', reactions: ['floor'] },
  { source: 'local', key: 'floorStrict', reactions: ['floor'] },
  // Connected after the permission came: pages' answers now register names (lan-helper.ts).
  { source: 'helper', key: 'connected', reactions: ['refresh'] },
  // A direct site's tab opened or went (floorStrict); a closed tab's grants went with it.
  { source: 'tabs', key: 'navigated', reactions: ['floor'] },
  { source: 'tabs', key: 'closed', reactions: ['floor', 'hints'] },
  // The worker started and the settings were loaded (migrated): the floor and hints may be older.
  { source: 'start', key: 'settings-loaded', reactions: ['floor', 'hints'] },
];

const keyMatches = (pattern: string, key: string) => (pattern.endsWith('*') ? key.startsWith(pattern.slice(0, -1)) : pattern === key);
const rowsFor = (c: Change) => REACTIONS.filter((r) => r.source === c.source && keyMatches(r.key, c.key));
const reactionsOf = (rows: readonly Row[]) => new Set(rows.flatMap((r) => r.reactions));

const noop = () => undefined;

/**
 * How long a reaction, and a writer waiting for its reactions, wait at most: a tab that never answers
 * its refresh holds up neither the reply nor the next run.
 */
export const REACTIONS_WAIT_MS = 5000;

function bounded(p: Promise<void>, what: string): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      logTo('reactions')(new Error(`${what} still running after ${REACTIONS_WAIT_MS} ms`));
      resolve();
    }, REACTIONS_WAIT_MS);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** Each reaction, coalesced and bounded; a failure is logged and stops nothing (docs/architecture.md "Errors"). */
const RUN: Record<Reaction, () => Promise<void>> = {
  refresh: coalescing(() => bounded(refreshTabs().catch(logTo('refreshing tabs')), 'refreshing tabs')),
  floor: coalescing(() => bounded(applyFloor().then(noop, logTo('floor')), 'the floor')),
  hints: coalescing(() => bounded(syncHints().then(noop, logTo('mode hints')), 'the mode hints')),
};

/** Runs `reactions` (each at most once more); never rejects. */
export function react(reactions: Iterable<Reaction>): Promise<void> {
  return Promise.all([...reactions].map((r) => RUN[r]())).then(noop);
}

/**
 * Own writes whose storage event may still come: one token per key written, taken by the first
 * event for the key that matters, else dropped OWN_EVENT_MS after the write (a write that changed
 * nothing gets no event in Chromium). Events during the write itself are absorbed safely: its
 * reactions run after it and see their change too.
 */
const expected = new Map<string, Set<symbol>>();
/** How long after an own write its storage event is taken as its own. */
export const OWN_EVENT_MS = 1000;
const idOf = (c: Change) => `${c.source}\u0000${c.key}`;
const isStorage = (s: Source) => s === 'local' || s === 'session';

function expectEvent(c: Change): () => void {
  const token = Symbol(c.key);
  const tokens = expected.get(idOf(c)) ?? new Set<symbol>();
  expected.set(idOf(c), tokens.add(token));
  const drop = () => {
    tokens.delete(token);
    if (!tokens.size && expected.get(idOf(c)) === tokens) expected.delete(idOf(c));
  };
  return () => void (isStorage(c.source) ? setTimeout(drop, OWN_EVENT_MS) : drop());
}

/** Takes the token of an own write for `c`, if one is there. */
function ownEvent(c: Change): boolean {
  const tokens = expected.get(idOf(c));
  const first = tokens?.values().next();
  if (!tokens || !first || first.done) return false;
  tokens.delete(first.value);
  if (!tokens.size) expected.delete(idOf(c));
  return true;
}

/** The reactions `c` calls for, unless it is an own write's (those run in `change`). */
function reactionsFor(c: Change, storage?: Storage.StorageChange): Reaction[] {
  const rows = rowsFor(c).filter((r) => !storage || !r.matters || r.matters(storage));
  if (!rows.length || ownEvent(c)) return [];
  return [...reactionsOf(rows)];
}

/** Something changed that the background did not write through `change`: what the table lists follows. */
export function changed(c: Change): Promise<void> {
  return react(reactionsFor(c));
}

/** storage.onChanged: keys of storage.local and storage.session (managed.ts follows storage.managed). */
export function storageChanged(changes: Record<string, Storage.StorageChange>, area: string): Promise<void> {
  if (area !== 'local' && area !== 'session') return Promise.resolve();
  const all = Object.entries(changes).flatMap(([key, c]) => reactionsFor({ source: area, key }, c));
  return react(new Set(all));
}

/**
 * The background's own write of `what`: hints down first if it can change a site's mode, then
 * `write`, then the table's reactions, awaited (bounded). They run when the write fails too (its
 * hints are down); the write's error is the caller's.
 */
export async function change<T>(what: readonly Change[], write: () => Promise<T>): Promise<T> {
  const rows = what.flatMap(rowsFor);
  const done = what.filter((c) => rowsFor(c).length).map(expectEvent);
  try {
    return await (rows.some((r) => r.mode) ? withHintsDown(write) : write());
  } finally {
    for (const d of done) d();
    await bounded(react(reactionsOf(rows)), 'reactions to a write');
  }
}

/** The enterprise policy in force changed (managed.ts `onPolicyChange`). */
export const POLICY: Change = { source: 'policy', key: 'in-force' };
/** A setting's key in storage.local, for `change`. */
export const setting = (key: string): Change => ({ source: 'local', key });
/** A tab's record (its "Allow once" grants) in storage.session, for `change`. */
export const tabRecord = (tabId: number): Change => ({ source: 'session', key: tabKey(tabId) });
