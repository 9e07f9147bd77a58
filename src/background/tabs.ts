// What IceGuard did in each tab (for the popup and the badge) and the tab's "Allow once" grants.
// Kept in storage.session: it survives a stopped service worker, and is gone with the browser session.
// A tab's record is removed when the tab closes; its activity is reset when the top-level document
// navigates to another site.
import browser from 'webextension-polyfill';
import { siteKey } from '../policy';
import type { ActivityReport } from '../shared/messages';
import { serialQueues } from './serial';

export interface TabRecord {
  /** Site of the top-level document the counts belong to. */
  site: string | null;
  connections: number;
  candidatesHidden: number;
  /** Distinct addresses hidden (canonical form), capped. */
  addresses: string[];
  /** Sites of frames other than the top-level site that used WebRTC. */
  frameSites: string[];
  /** Sites granted "Allow once" in this tab. */
  once: string[];
  /** Sites for which a connection started in this tab (trigger c: first use). */
  used: string[];
}

const MAX_LIST = 64;
/** A tab's record in storage.session (reactions.ts follows its `once` grants). */
export const TAB_KEY_PREFIX = 'tab:';
export const tabKey = (tabId: number): string => `${TAB_KEY_PREFIX}${tabId}`;

function empty(site: string | null): TabRecord {
  return { site, connections: 0, candidatesHidden: 0, addresses: [], frameSites: [], once: [], used: [] };
}

function isRecordShape(v: unknown): v is TabRecord {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return (
    typeof r.connections === 'number' &&
    typeof r.candidatesHidden === 'number' &&
    ['addresses', 'frameSites', 'once', 'used'].every((k) => Array.isArray(r[k]))
  );
}

// Per tab, updates one after another (a page's frames report at once).
const serial = serialQueues<number>();

export async function readTab(tabId: number): Promise<TabRecord | null> {
  const v = (await browser.storage.session.get(tabKey(tabId)))[tabKey(tabId)];
  return isRecordShape(v) ? v : null;
}

/** Edits a tab's record; `edit` returns false to leave storage alone. */
export function editTab(tabId: number, edit: (r: TabRecord) => boolean | void): Promise<TabRecord> {
  return serial(tabId, async () => {
    const r = (await readTab(tabId)) ?? empty(null);
    if (edit(r) !== false) await browser.storage.session.set({ [tabKey(tabId)]: r });
    return r;
  });
}

const addCapped = (list: string[], item: string): boolean => {
  if (list.includes(item) || list.length >= MAX_LIST) return false;
  list.push(item);
  return true;
};

/**
 * Adds a relay's report. Counts come from a content script, which a hostile page can drive: they only
 * feed the badge and the popup, and are clamped so a page cannot make them absurd.
 */
export async function recordActivity(tabId: number, frameSite: string, isTop: boolean, report: ActivityReport): Promise<{ record: TabRecord; firstUse: boolean }> {
  let firstUse = false;
  const record = await editTab(tabId, (r) => {
    if (isTop && r.site !== frameSite) {
      // A top-level document of another site: what was counted belongs to the previous one.
      const once = r.once;
      Object.assign(r, empty(frameSite), { once });
    }
    r.connections = Math.min(r.connections + report.connections, 1e6);
    r.candidatesHidden = Math.min(r.candidatesHidden + report.candidatesHidden, 1e6);
    for (const a of report.addresses) addCapped(r.addresses, a);
    if (report.connections > 0 && !isTop) addCapped(r.frameSites, frameSite);
    if (report.connections > 0) firstUse = addCapped(r.used, frameSite);
  });
  return { record, firstUse };
}

/** The top-level document navigated: counts start again (once grants stay with the tab). */
export function resetTab(tabId: number, url: string | undefined): Promise<TabRecord> {
  return editTab(tabId, (r) => {
    const site = url ? siteKey(safeOrigin(url)) : null;
    Object.assign(r, empty(site), { once: r.once });
  });
}

// Grants change a site's mode in the tab: callers write them through reactions.ts `change`.
export function grantOnce(tabId: number, site: string): Promise<TabRecord> {
  return editTab(tabId, (r) => addCapped(r.once, site));
}

export function endOnce(tabId: number, site: string): Promise<TabRecord> {
  return editTab(tabId, (r) => {
    const i = r.once.indexOf(site);
    if (i < 0) return false;
    r.once.splice(i, 1);
  });
}

export async function hasOnce(tabId: number | undefined, site: string): Promise<boolean> {
  if (tabId === undefined || tabId < 0) return false;
  return (await readTab(tabId))?.once.includes(site) ?? false;
}

export function forgetTab(tabId: number): Promise<void> {
  return serial(tabId, () => browser.storage.session.remove(tabKey(tabId)));
}

export function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'null';
  }
}

/** Sites holding an "Allow once" grant in any tab. */
export async function onceSites(): Promise<Set<string>> {
  const all = await browser.storage.session.get(null);
  const out = new Set<string>();
  for (const [k, v] of Object.entries(all)) if (k.startsWith(TAB_KEY_PREFIX) && isRecordShape(v)) for (const s of v.once) out.add(s);
  return out;
}
