// Enterprise policy from storage.managed (issue #6), with the last applied policy cached in
// storage.local. Measured: in Chromium, storage.managed.get at worker start resolves only ~2.9 s
// later (with or without a policy), and edits arrive through storage.onChanged ~5 s after the file
// changes; in Firefox, with no policy, get() rejects ("Managed storage manifest not found"): no policy.
// So the cached policy applies at once, the fresh one replaces it when it arrives, and a page never
// gets a looser mode than the cached policy allows meanwhile. "No policy" is cached too. The very
// first start (nothing cached) of an install by policy waits for the fresh read (bounded), so a
// forced install never starts unmanaged; any other install answers pages provisionally meanwhile
// (`knownPolicy`, relay-messages.ts): names without addresses, no reflexive candidate (issue #20).
import browser from 'webextension-polyfill';
import { NO_POLICY, parsePolicy, type ManagedPolicy } from '../shared/managed-policy';

const CACHE_KEY = 'managedPolicyCache';
/** The very first start, with nothing cached: how long relays wait for the fresh policy at most. */
const FIRST_READ_MS = 5000;

let fresh: Promise<ManagedPolicy> | null = null;
/** Reads started so far: only the newest may set the policy (an older read can finish later). */
let reads = 0;
let current: ManagedPolicy | null = null;
/** The first read's bound passed with nothing read: no policy, as getPolicy says then. */
let firstReadLate = false;
const listeners: Array<() => void> = [];

/**
 * Test builds only: a policy that stands in for storage.managed, kept in storage.session so that it
 * outlives the worker; as JSON text, since Chromium's storage hands objects back with sorted keys.
 */
const TEST_KEY = 'testManagedPolicy';

export async function setTestPolicy(raw: unknown): Promise<ManagedPolicy> {
  if (!__TEST__) throw new Error('test builds only');
  if (raw === null) await browser.storage.session.remove(TEST_KEY);
  else await browser.storage.session.set({ [TEST_KEY]: JSON.stringify(raw) });
  return refresh();
}

async function readManaged(): Promise<unknown> {
  if (__TEST__) {
    const stand: unknown = (await browser.storage.session.get(TEST_KEY))[TEST_KEY];
    if (typeof stand === 'string') return JSON.parse(stand) as unknown;
  }
  try {
    return await browser.storage.managed.get(null);
  } catch {
    return {}; // Firefox without a managed-storage manifest or policy: no policy
  }
}

/** Reads storage.managed now, caches what it found, and tells the listeners when it changed. */
function refresh(): Promise<ManagedPolicy> {
  const read = ++reads;
  const p = readManaged().then(async (raw): Promise<ManagedPolicy> => {
    // Measured: the worker's first read takes ~2.9 s; a change read meanwhile is newer and wins.
    if (read !== reads) return fresh!;
    const policy = parsePolicy(raw);
    const changed = JSON.stringify(policy) !== JSON.stringify(current);
    current = policy;
    await browser.storage.local.set({ [CACHE_KEY]: { raw, at: Date.now() } }).catch(() => undefined);
    if (changed) for (const l of listeners) l();
    return policy;
  });
  fresh = p;
  return p;
}

/** The policy in force now without waiting for a read: the fresh one, else the cached one, else null. */
async function policyNow(): Promise<ManagedPolicy | null> {
  if (current) return current;
  if (!fresh) void refresh();
  const cached = (await browser.storage.local.get(CACHE_KEY))[CACHE_KEY] as { raw?: unknown } | undefined;
  if (!current && cached && typeof cached === 'object') current = parsePolicy(cached.raw);
  return current;
}

/** The policy in force: the fresh one once read, else the cached one, else (first start) the fresh one. */
export async function getPolicy(): Promise<ManagedPolicy> {
  const now = await policyNow();
  if (now) return now;
  const timeout = new Promise<ManagedPolicy>((r) => setTimeout(() => r(NO_POLICY), FIRST_READ_MS));
  return Promise.race([fresh!, timeout]);
}

/**
 * Installed by policy (Chromium's ExtensionInstallForcelist, Firefox's ExtensionSettings): such an
 * install waits for its policy at the first start. Asked once; an answer that cannot be had counts
 * as installed by policy (the careful side).
 */
let byPolicy: Promise<boolean> | null = null;
function installedByPolicy(): Promise<boolean> {
  byPolicy ??= browser.management.getSelf().then(
    (self) => self.installType === 'admin',
    () => true,
  );
  return byPolicy;
}

/**
 * The policy in force if it is known now (read, or cached); null at the very first start of an
 * install that is not by policy, while the fresh read is on its way: the caller answers
 * provisionally and hears `onPolicyChange` once it arrives. An install by policy waits (getPolicy).
 */
export async function knownPolicy(): Promise<ManagedPolicy | null> {
  if (firstReadLate) return current ?? NO_POLICY;
  return (await installedByPolicy()) ? getPolicy() : policyNow();
}

/** Called after the policy in force changed (fresh read differs, or an edit arrived). */
export function onPolicyChange(fn: () => void): void {
  listeners.push(fn);
}

export function watchPolicy(): void {
  browser.storage.onChanged.addListener((_changes, area) => {
    if (area === 'managed') void refresh();
  });
  void refresh();
  // A read that never ends must not keep pages provisional: after the bound, no policy, as for getPolicy.
  setTimeout(() => {
    if (current) return;
    firstReadLate = true;
    for (const l of listeners) l();
  }, FIRST_READ_MS);
}
