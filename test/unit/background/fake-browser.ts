// A fake browser for the background's wiring (main.ts): storage areas that fire storage.onChanged as
// Chromium does (later, only for values that changed), registered content scripts, the WebRTC
// IP-handling setting, tabs that take a refresh message. What the background does to it is kept in
// `fake.trace`, in order, so tests can read which reactions ran and when.
type Listener = (...args: never[]) => unknown;

function event() {
  const listeners: Listener[] = [];
  return {
    addListener: (l: Listener) => void listeners.push(l),
    removeListener: (l: Listener) => void listeners.splice(listeners.indexOf(l) >>> 0, 1),
    /** Calls every listener; the first value one returns (a reply) comes back. */
    fire: (...args: unknown[]): unknown => listeners.map((l) => (l as (...a: unknown[]) => unknown)(...args)).find((r) => r !== undefined),
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

interface Script {
  id: string;
  js?: string[];
  matches?: string[];
  excludeMatches?: string[];
}

export const fake = {
  trace: [] as string[],
  /** How long after a write its storage.onChanged event comes. */
  eventDelayMs: 0,
  /** Hint scripts registered at each write of `sites` or `defaultMode` (they must be down then). */
  hintsAtModeWrites: [] as number[],
  scripts: new Map<string, Script>(),
  floor: { value: 'disable_non_proxied_udp', controlled: false, refuse: null as string | null },
  /** A refresh message that never gets an answer (a tab that does not respond). */
  tabsHang: false,
  tabs: [{ id: 1, url: 'https://open.example/' }],
  managed: {} as Record<string, unknown>,
  /** While set, a write of `sites` waits for it (a slow write, to act while it is on its way). */
  sitesGate: null as Promise<void> | null,
};

export const count = (prefix: string): number => fake.trace.filter((t) => t.startsWith(prefix)).length;

const onChanged = event();

function area(name: 'local' | 'session' | 'managed') {
  const data = new Map<string, unknown>();
  const notify = (changes: Record<string, { oldValue?: unknown; newValue?: unknown }>) => {
    if (Object.keys(changes).length) setTimeout(() => onChanged.fire(changes, name), fake.eventDelayMs);
  };
  const pick = (keys: unknown): Record<string, unknown> => {
    const all = Object.fromEntries([...data].map(([k, v]) => [k, structuredClone(v)]));
    if (keys === null || keys === undefined) return all;
    const wanted = typeof keys === 'string' ? [keys] : Array.isArray(keys) ? (keys as string[]) : Object.keys(keys as object);
    return Object.fromEntries(wanted.filter((k) => data.has(k)).map((k) => [k, all[k]]));
  };
  return {
    data,
    get: async (keys?: unknown) => (name === 'managed' ? structuredClone(fake.managed) : pick(keys)),
    set: async (items: Record<string, unknown>) => {
      if ('sites' in items && fake.sitesGate) await fake.sitesGate;
      const changes: Record<string, { oldValue?: unknown; newValue?: unknown }> = {};
      for (const [k, v] of Object.entries(items)) {
        if (k === 'sites' || k === 'defaultMode') fake.hintsAtModeWrites.push(fake.scripts.size);
        fake.trace.push(`write ${name} ${k}`);
        if (!same(data.get(k), v)) changes[k] = { oldValue: data.get(k), newValue: structuredClone(v) };
        data.set(k, structuredClone(v));
      }
      notify(changes);
    },
    remove: async (keys: string | string[]) => {
      const changes: Record<string, { oldValue?: unknown }> = {};
      for (const k of typeof keys === 'string' ? [keys] : keys) {
        if (!data.has(k)) continue;
        changes[k] = { oldValue: data.get(k) };
        data.delete(k);
      }
      notify(changes);
    },
  };
}

const local = area('local');
const session = area('session');
const managed = area('managed');

/** Fires storage.onChanged for storage.managed, as Chromium does when the policy file changes. */
export const managedChanged = () => onChanged.fire({}, 'managed');
export const tabsRemoved = event();
export const runtimeMessage = event();

const hintsApi = {
  getRegisteredContentScripts: async () => (fake.trace.push('hints.list'), [...fake.scripts.values()].map((s) => structuredClone(s))),
  registerContentScripts: async (list: Script[]) => {
    fake.trace.push('hints.register');
    for (const s of list) fake.scripts.set(s.id, structuredClone(s));
  },
  unregisterContentScripts: async ({ ids }: { ids: string[] }) => {
    fake.trace.push('hints.unregister');
    for (const id of ids) fake.scripts.delete(id);
  },
};

const floorApi = {
  get: async () => {
    fake.trace.push('floor.get');
    return { value: fake.floor.value, levelOfControl: fake.floor.controlled ? 'controlled_by_this_extension' : 'controllable_by_this_extension' };
  },
  set: async ({ value }: { value: string }) => {
    fake.trace.push('floor.set');
    if (fake.floor.refuse) throw new Error(fake.floor.refuse);
    Object.assign(fake.floor, { value, controlled: true });
  },
  clear: async () => {
    fake.trace.push('floor.clear');
    Object.assign(fake.floor, { value: 'default', controlled: false });
  },
};

const never = () => new Promise<never>(() => undefined);

export const browser = {
  storage: { local, session, managed, onChanged },
  scripting: hintsApi,
  privacy: { network: { webRTCIPHandlingPolicy: floorApi } },
  tabs: {
    query: async () => structuredClone(fake.tabs),
    sendMessage: async (tabId: number) => (fake.trace.push(`refresh ${tabId}`), fake.tabsHang ? never() : undefined),
    onRemoved: tabsRemoved,
    onUpdated: event(),
  },
  runtime: {
    id: 'iceguard',
    getURL: (path: string) => `chrome-extension://iceguard/${path}`,
    getManifest: () => ({ version: '1.0.0' }),
    onMessage: runtimeMessage,
    lastError: undefined,
    connectNative: () => {
      throw new Error('no native messaging here');
    },
  },
  permissions: { contains: async () => false, onAdded: event(), onRemoved: event() },
  windows: { onRemoved: event(), get: never, create: never, remove: async () => undefined },
  management: { getSelf: async () => ({ installType: 'normal' }) },
  action: { setBadgeText: async () => undefined, setBadgeBackgroundColor: async () => undefined, setTitle: async () => undefined },
  i18n: { getMessage: (key: string) => key },
};
