// The permission prompt (docs/design.md "Consent"): an extension page in its own small window, so a web page
// can neither draw it nor click it. A page can only make the background consider opening one (through
// its relay's activity reports); the answer comes from the prompt page alone (ui-messages.ts).
//
// Rules: only for undecided sites, only for triggers the user left on, at most one prompt per site
// per 10 minutes, and one prompt window at a time. Closing the window decides nothing.
// State lives in storage.session, so a stopped service worker forgets nothing.
import browser from 'webextension-polyfill';
import { matchesSite, siteKey, stricter, OPAQUE_SITE } from '../policy';
import type { PromptAnswer, PromptInfo } from '../shared/ui-protocol';
import { getEffective } from './effective';
import { change, setting, tabRecord } from './reactions';
import { decide } from './settings-store';
import { serialQueue } from './serial';
import { isUndecided, modeFor } from './site-modes';
import { grantOnce } from './tabs';

export const PROMPT_INTERVAL_MS = 10 * 60 * 1000;
const OPEN_KEY = 'promptOpen';
const LAST_KEY = 'promptLast';
const infoKey = (id: string) => `prompt:${id}`;

interface OpenPrompt {
  id: string;
  windowId: number;
}

// One request at a time: two frames reporting at once must not open two windows.
const serial = serialQueue();

async function openPrompt(): Promise<OpenPrompt | null> {
  const open = (await browser.storage.session.get(OPEN_KEY))[OPEN_KEY] as OpenPrompt | undefined;
  if (!open || typeof open.windowId !== 'number') return null;
  try {
    await browser.windows.get(open.windowId);
    return open;
  } catch {
    // The window went while the worker was stopped: nothing was decided.
    await browser.storage.session.remove([OPEN_KEY, infoKey(open.id)]);
    return null;
  }
}

export interface PromptRequest {
  trigger: PromptInfo['trigger'];
  tabId: number;
  origin: string;
  topSite: string | null;
}

/** Opens the prompt if every rule allows it; returns its id, or null when it did not open. */
export function requestPrompt(req: PromptRequest): Promise<string | null> {
  return serial(async () => {
    const site = siteKey(req.origin);
    if (site === OPAQUE_SITE) return null;
    const { settings } = await getEffective(); // AllowUserDirect false: every trigger off
    if (!settings.prompts[req.trigger]) return null;
    if (!isUndecided(await modeFor(req.origin, req.tabId))) return null;
    const last = ((await browser.storage.session.get(LAST_KEY))[LAST_KEY] ?? {}) as Record<string, number>;
    const now = Date.now();
    if (typeof last[site] === 'number' && now - last[site] < PROMPT_INTERVAL_MS && now >= last[site]) return null;
    if (await openPrompt()) return null;
    const id = crypto.randomUUID();
    const info: PromptInfo = { id, site, topSite: req.topSite, trigger: req.trigger, tabId: req.tabId };
    // Recorded before the window opens: a failed open still counts against the rate limit.
    for (const [s, t] of Object.entries(last)) if (now - t >= PROMPT_INTERVAL_MS) delete last[s];
    last[site] = now;
    await browser.storage.session.set({ [LAST_KEY]: last, [infoKey(id)]: info });
    const win = await browser.windows.create({
      url: browser.runtime.getURL(`prompt.html?id=${id}`),
      type: 'popup',
      width: 460,
      height: 520,
      focused: true,
    });
    if (win.id === undefined) return null;
    await browser.storage.session.set({ [OPEN_KEY]: { id, windowId: win.id } satisfies OpenPrompt });
    return id;
  });
}

export async function promptInfo(id: string): Promise<PromptInfo | null> {
  const v = (await browser.storage.session.get(infoKey(id)))[infoKey(id)] as PromptInfo | undefined;
  return v && v.id === id ? v : null;
}

/** Applies the prompt page's answer; an unknown or expired id decides nothing. */
export function answerPrompt(id: string, answer: PromptAnswer): Promise<boolean> {
  return serial(async () => {
    const info = await promptInfo(id);
    if (!info) return false;
    // A policy that arrived while the prompt was open may forbid what it offered.
    const { policy } = await getEffective();
    if ((answer === 'once' || answer === 'always') && (policy.allowUserDirect === false || policy.rules.some((r) => matchesSite(r.pattern, info.site)))) return false;
    if (answer === 'once') await change([tabRecord(info.tabId)], () => grantOnce(info.tabId, info.site));
    else {
      // "Keep hiding" is a decision too, so the site is not asked again: the mode it has now (its
      // default, which may be stricter than srflx-only), remembered; never looser than srflx-only.
      const hide = answer === 'hide' ? stricter((await modeFor(info.site)).mode, 'srflx-only') : null;
      await change([setting('sites')], () => decide(info.site, answer === 'always' ? 'direct' : (hide ?? 'off')));
    }
    const open = (await browser.storage.session.get(OPEN_KEY))[OPEN_KEY] as OpenPrompt | undefined;
    await browser.storage.session.remove([infoKey(id), ...(open?.id === id ? [OPEN_KEY] : [])]);
    if (open?.id === id) await browser.windows.remove(open.windowId).catch(() => undefined);
    return true;
  });
}

/** The prompt window closed without an answer: nothing is decided. */
export function onWindowRemoved(windowId: number): Promise<void> {
  return serial(async () => {
    const open = (await browser.storage.session.get(OPEN_KEY))[OPEN_KEY] as OpenPrompt | undefined;
    if (open?.windowId === windowId) await browser.storage.session.remove([OPEN_KEY, infoKey(open.id)]);
  });
}
