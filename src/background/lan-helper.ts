// The link to the LAN helper (helper/, issue #7): a native-messaging port to `iceguard.lan_helper`.
// Before a renamed host candidate reaches a page, its name is registered with the helper, so that a
// peer on the LAN can resolve it over mDNS (measured: Chromium asks for a remote name once and gives
// up after ~3 s, so registration comes first, bounded by a short timeout). Without the helper nothing
// changes: names still hide addresses, peers on one LAN connect through STUN/TURN instead.
// The port keeps Chrome's service worker alive while it is open; if the worker or the helper goes,
// the helper says goodbye for every name, and names are registered again as pages use them.
// `nativeMessaging` is an optional permission (issue #17): the user grants it on the options page when
// turning the helper on, and without it IceGuard never tries to connect ("needs-permission").
import browser, { type Runtime } from 'webextension-polyfill';
import { addressKey } from '../policy';
import { HELPER_REPLIES, HOST_NAME, MAX_NAMES_PER_REQUEST, NATIVE_PERMISSION, NAME_LIFETIME_MS, PROTOCOL_VERSION, RESOLVE_MS, type HelperReply, type HelperRequest } from '../shared/helper-protocol';
import { MAX_HOST_ADDRESSES } from '../shared/messages';
import type { HelperStatus } from '../shared/ui-protocol';
import { getPolicy, knownPolicy } from './managed';

/**
 * The command that installs the helper for this very build: Chromium allows a native host per extension
 * id, and an unpacked or self-hosted build's id is its own (Firefox's is fixed by the manifest).
 * The helper is its own npm package (helper/README.md); from a clone, `npm run helper -- install` is the same.
 */
export function installCommand(): string {
  return __BROWSER__ === 'firefox' ? 'npx iceguard-lan-helper install --browser firefox' : `npx iceguard-lan-helper install --chrome-id ${browser.runtime.id}`;
}
/** How long a relay waits for a registration before the candidate goes out anyway. */
export const REGISTER_TIMEOUT_MS = 300;
const RETRY_MS = 30_000;
/** How long the helper's list of this machine's addresses stands before it is asked again. */
export const INTERFACES_FOR_MS = 60_000;


let port: Runtime.Port | null = null;
let status: Omit<HelperStatus, 'policy'> = { state: 'not-installed' };
let lastAttempt = 0;
let nextId = 1;
const pending = new Map<number, (reply: HelperReply | null) => void>();
let ready: Promise<boolean> | null = null;
/** This machine's interface addresses as the helper last listed them (canonical), and when. */
let interfaces: string[] = [];
let interfacesAt = -Infinity;

/**
 * The names the helper took, as this port saw it: name -> the tabs that registered it, and when it
 * last took it. A mirror of the helper's registry (a name goes with its last tab), forgotten with
 * the port, since a helper that goes says goodbye for every name.
 */
const taken = new Map<string, { tabs: Set<number>; at: number }>();
/** Half the helper's lifetime for a name: taken within it, it has not expired. */
const TAKEN_FOR_MS = NAME_LIFETIME_MS / 2;

/** Whether the helper answers for `name` now (a registration it took recently, and a tab still showing it). */
function answered(name: string, now = Date.now()): boolean {
  const t = taken.get(name.toLowerCase());
  return port !== null && t !== undefined && now - t.at < TAKEN_FOR_MS;
}

function call(message: HelperRequest, timeoutMs: number): Promise<HelperReply | null> {
  const p = port;
  if (!p) return Promise.resolve(null);
  const id = nextId++;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      resolve(null);
    }, timeoutMs);
    pending.set(id, (reply) => {
      clearTimeout(timer);
      resolve(reply);
    });
    try {
      p.postMessage({ ...message, id });
    } catch {
      pending.delete(id);
      clearTimeout(timer);
      resolve(null);
    }
  });
}

/** Held, as last seen: a grant is remembered until permissions.onRemoved says otherwise (followPermission). */
let allowed = false;

/** Whether the user granted `nativeMessaging`; asked again each time until they have. */
async function nativeAllowed(): Promise<boolean> {
  if (!allowed) allowed = await browser.permissions.contains(NATIVE_PERMISSION).catch(() => false);
  return allowed;
}

/** The connection is gone: so is everything it held, and every call waiting on it gets null. */
function forgetPort(): void {
  port = null;
  ready = null;
  taken.clear();
  interfaces = [];
  for (const r of pending.values()) r(null);
  pending.clear();
}

function connect(): Promise<boolean> {
  lastAttempt = Date.now();
  status = { state: 'connecting' };
  let p: Runtime.Port;
  try {
    p = browser.runtime.connectNative(HOST_NAME);
  } catch (e) {
    status = { state: 'error', error: (e as Error).message };
    return Promise.resolve(false);
  }
  port = p;
  p.onMessage.addListener((m: unknown) => {
    // A reply that does not read answers its request with null at once, rather than at its timeout.
    const id = typeof (m as { id?: unknown } | null)?.id === 'number' ? (m as { id: number }).id : undefined;
    const resolve = id === undefined ? undefined : pending.get(id);
    if (id === undefined || !resolve) return;
    pending.delete(id);
    const reply = HELPER_REPLIES.read(m);
    resolve(reply.ok ? reply.value : null);
  });
  p.onDisconnect.addListener((gone) => {
    const err = (gone as { error?: { message?: string } }).error?.message ?? browser.runtime.lastError?.message ?? '';
    forgetPort();
    // Chromium: "Access to the specified native messaging host is forbidden": installed for other ids.
    status = /forbidden/i.test(err)
      ? { state: 'not-allowed' }
      : /not found|no such native application|not exist/i.test(err) || err === ''
        ? { state: 'not-installed' }
        : { state: 'error', error: err };
  });
  return call({ type: 'hello', version: PROTOCOL_VERSION }, 2000).then((r) => {
    if (r?.type !== 'hello') {
      if (status.state === 'connecting') status = { state: 'error', error: 'the helper did not answer' };
      return false;
    }
    status = { state: 'connected', version: r.helper };
    return askInterfaces().then(() => true);
  });
}

/** Asks the helper for this machine's interface addresses (a helper too old to know the request lists none). */
async function askInterfaces(): Promise<void> {
  interfacesAt = Date.now();
  const r = await call({ type: 'interfaces' }, 2000);
  const list = r?.type === 'interfaces' ? r.addresses : [];
  const keys = list.flatMap((a) => addressKey(a) ?? []);
  if (port) interfaces = [...new Set(keys)].slice(0, MAX_HOST_ADDRESSES);
}

/**
 * This machine's interface addresses while the helper is connected (for SiteInfo `hosts`), else none.
 * Asked when the helper connects, and again (unawaited) once INTERFACES_FOR_MS passed: addresses come
 * and go (DHCP, IPv6 temporary addresses, RFC 8981).
 */
export function helperInterfaces(): string[] {
  if (!port) return [];
  if (Date.now() - interfacesAt > INTERFACES_FOR_MS) void askInterfaces();
  return interfaces;
}

/**
 * Connected now, or connecting (at most one attempt per 30 s while it keeps failing). At a first start,
 * before the policy is read (`knownPolicy` null), the helper may start: pages' names must be registered
 * before they show, and if the policy turns out to say LanHelper "off", `followPolicy` stops it.
 */
async function ensure(): Promise<boolean> {
  if ((await knownPolicy())?.lanHelper === 'off') return false;
  if (!(await nativeAllowed())) {
    status = { state: 'needs-permission' };
    return false;
  }
  if (port && status.state === 'connected') return true;
  if (ready) return ready;
  if (Date.now() - lastAttempt < RETRY_MS && status.state !== 'connected') return false;
  ready = connect();
  return ready;
}

/** Ends the connection on IceGuard's side, and says why in the status the pages show. */
function stop(why: HelperStatus['state']): void {
  const p = port;
  forgetPort();
  status = { state: why };
  p?.disconnect();
}

/** The policy in force says LanHelper "off": a helper started before it was read stops. */
export async function followPolicy(): Promise<void> {
  if ((await getPolicy()).lanHelper !== 'off' || !port) return;
  stop('off');
}

const connectedListeners: Array<() => Promise<void>> = [];
/** Called when the helper connected after the permission came (main.ts: reactions.ts, source "helper"). */
export function onHelperConnected(fn: () => Promise<void>): void {
  connectedListeners.push(fn);
}

/**
 * IceGuard's permissions changed. `nativeMessaging` granted: connect now (not after the retry pause),
 * and tell the listeners (open pages fetch their answer again, which now registers names). Taken away: stop.
 */
export async function followPermission(): Promise<void> {
  const had = allowed;
  allowed = false;
  if (!(await nativeAllowed())) {
    if (port || had) stop('needs-permission');
    return;
  }
  if (had) return;
  lastAttempt = 0;
  if (await ensure()) await Promise.all(connectedListeners.map((l) => l()));
}

/** Whether relays should register names before releasing candidates (the helper is there). */
export async function helperConnected(): Promise<boolean> {
  return ensure();
}

/**
 * Registers names for `tabId`'s `site`; resolves when the helper answered, or after the timeout. Names
 * the helper answers for already (another document of the site registered them) need no wait: this
 * tab's registration goes out at once (so the names stay while this tab shows them), unawaited.
 */
export async function registerNames(tabId: number, site: string, names: { name: string; address: string }[]): Promise<void> {
  if (!names.length || tabId < 0 || !(await ensure())) return;
  const send = async () => {
    for (let i = 0; i < names.length; i += MAX_NAMES_PER_REQUEST) {
      const r = await call({ type: 'register', tab: tabId, site, names: names.slice(i, i + MAX_NAMES_PER_REQUEST) }, REGISTER_TIMEOUT_MS);
      const accepted = r?.type === 'registered' ? r.accepted : [];
      const at = Date.now();
      for (const n of accepted) {
        const t = taken.get(n) ?? { tabs: new Set<number>(), at };
        t.tabs.add(tabId);
        t.at = at;
        taken.set(n, t);
      }
    }
  };
  if (names.every((n) => answered(n.name))) void send();
  else await send();
}

/** Of `names` (canonical address -> name), the addresses whose names the helper answers for now. */
export function answeredAddresses(names: Record<string, string>): string[] {
  const now = Date.now();
  return Object.entries(names).flatMap(([address, name]) => (answered(name, now) ? [address] : []));
}

/**
 * The browser's own `.local` names (Chromium's mDNS responder answers for them on the LAN), each to
 * one of this machine's addresses, or null. The helper checks both: a UUIDv4 name, a local address.
 */
export async function resolveBrowserNames(names: string[]): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = {};
  for (const n of names) out[n] = null;
  if (!names.length || !(await ensure())) return out;
  await Promise.all(
    names.map(async (name) => {
      // The helper's lookup time, and a second for the message to come back.
      const r = await call({ type: 'resolve', name }, RESOLVE_MS + 1000);
      out[name] = (r?.type === 'resolved' ? r.addresses[0] : undefined) ?? null;
    }),
  );
  return out;
}

/** A tab closed: its names go (the helper sends goodbyes). */
export function forgetTabNames(tabId: number): void {
  for (const [name, t] of taken) if (t.tabs.delete(tabId) && !t.tabs.size) taken.delete(name);
  if (port) void call({ type: 'forget', tab: tabId }, 2000);
}

export async function helperStatus(): Promise<HelperStatus> {
  const policy = (await getPolicy()).lanHelper ?? 'optional';
  if (policy === 'off') return { state: 'off', policy };
  await ensure();
  return { ...status, policy };
}
