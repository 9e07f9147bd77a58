// Mode hints: the site's mode, available to the relay synchronously at document_start, before any
// page script runs (issue #4 "Timing and the relay"). Without them the relay knows the mode only when
// the background answers (tens of ms), and until then candidates are held and, on an `off` site, a
// connection made by an early script is inert instead of refused.
//
// How: tiny ISOLATED-world scripts, one per (kind, mode) (`hint-site-direct.js` …, written by
// build.mjs), registered with scripting.registerContentScripts for the match patterns of the sites
// whose mode they state. Each tells the relay its mode through the isolated world's globals, which
// no page can reach. The background's answer still follows and always wins.
//
// A hint must never differ from the background's answer for that document, so:
//   - Chrome's patterns take a port: one exact pattern per decided site, and a default hint for
//     every http(s) URL that excludes each decided site.
//   - Firefox's patterns cannot name a port: a site hint is registered only for a site on its
//     default port, and the relay ignores site hints on a non-default port; the default hint
//     excludes the whole host of every decided site. Such documents get no hint (they wait).
//   - Sites with an "Allow once" grant in some tab (a per-tab mode) get no hint at all.
//   - Before a decision or the default changes, every hint is unregistered; after the write they
//     are registered again. A page loading in between gets no hint (it waits), never a stale one.
//     Such writes go through `withHintsDown` (called by reactions.ts `change`), and no sync puts
//     hints back while one is on its way: the write's own sync, after it, does.
//   - A site that cannot be written as a pattern (an IPv6 literal, say) leaves out the default hint.
// Opaque frames (sandboxed, data:, about:blank) take no hint: the relay checks its own origin.
import browser from 'webextension-polyfill';
import { HINT_PREFIX, wantedHints, type Registration } from './hint-plan';
import { BUILTIN_MODE } from '../policy';
import { getEffective, modeInputs } from './effective';
import { logTo } from './error-log';
import { serialQueue } from './serial';
import { onceSites } from './tabs';

const api = () => (browser as { scripting?: typeof browser.scripting }).scripting;

const serial = serialQueue();

async function registeredHints(): Promise<Registration[]> {
  const s = api();
  if (!s) return [];
  return (await s.getRegisteredContentScripts())
    .filter((r) => r.id.startsWith(HINT_PREFIX))
    .map((r) => ({ id: r.id, js: r.js ?? [], matches: r.matches ?? [], ...(r.excludeMatches?.length ? { excludeMatches: r.excludeMatches } : {}) }));
}

async function registered(): Promise<string[]> {
  return (await registeredHints()).map((r) => r.id);
}

const key = (r: Registration) => JSON.stringify([r.id, r.js, [...r.matches].sort(), [...(r.excludeMatches ?? [])].sort()]);

/** Writes that can change a site's mode, on their way now (between taking hints down and the write's end). */
let modeWrites = 0;

/** Takes every hint away (before a change to what they state). */
function suspendHints(): Promise<void> {
  return serial(async () => {
    const ids = await registered();
    if (ids.length) await api()!.unregisterContentScripts({ ids });
  });
}

/**
 * Runs `write`, which can change a site's mode, with every hint down, so none states the mode it
 * replaces. A failure to take them down is logged and does not stop the write; the caller syncs after.
 */
export async function withHintsDown<T>(write: () => Promise<T>): Promise<T> {
  modeWrites++;
  try {
    await suspendHints().catch(logTo('mode hints'));
    return await write();
  } finally {
    modeWrites--;
  }
}

/** The hints registered now, read and never changed (reactions.ts syncs them); queued behind a sync on its way. */
export function readHints(): Promise<Registration[]> {
  return serial(registeredHints);
}

/** Registers the hints the settings call for now. On any failure: none at all (documents wait). */
export function syncHints(): Promise<Registration[]> {
  return serial(async () => {
    const s = api();
    if (!s) return [];
    // A mode write is on its way (its hints are down): registering now could state the mode it
    // replaces. Its own sync follows it; until then what is registered stays (nothing, or less).
    if (modeWrites > 0) return registeredHints();
    const e = await getEffective();
    const wanted = wantedHints(Object.keys(e.settings.sites), (site) => modeInputs(e, site, false, BUILTIN_MODE), e.policy.rules, await onceSites(), __BROWSER__);
    const now = await registeredHints();
    const same = now.length === wanted.length && now.map(key).sort().join('\n') === wanted.map(key).sort().join('\n');
    if (same) return wanted; // a restarted worker finds them in place
    if (now.length) await s.unregisterContentScripts({ ids: now.map((r) => r.id) });
    try {
      await s.registerContentScripts(wanted.map((w) => ({ ...w, runAt: 'document_start' as const, allFrames: true, persistAcrossSessions: true })));
    } catch (e) {
      const left = await registered();
      if (left.length) await s.unregisterContentScripts({ ids: left });
      throw e;
    }
    return wanted;
  });
}
