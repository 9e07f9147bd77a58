// Answers the relays: each document's mode and names, and what its connections did
// (src/shared/messages.ts). Everything here arrives from a content script, which a hostile page can
// drive: it can ask, report and request a prompt, never decide anything.
import type { Runtime } from 'webextension-polyfill';
import { addressKey, siteKey, stricter, OPAQUE_SITE } from '../policy';
import { isRelayMessage, type ActivityReport, type SiteInfo } from '../shared/messages';
import type { SiteMode } from '../shared/modes';
import { showBadge } from './badge';
import { helperConnected, registerNames } from './lan-helper';
import { namesFor } from './names';
import { requestPrompt } from './prompt';
import { senderOrigin } from './sender-origin';
import { getEffective } from './effective';
import { modeFor } from './site-modes';
import { recordActivity, safeOrigin } from './tabs';

/**
 * An opaque origin (data: frames, sandboxed frames) has no site anyone could decide for: it gets the
 * stricter of the default for opaque origins and the mode of the page it is embedded in, and never
 * direct (DESIGN.md §2).
 */
async function opaqueMode(sender: Runtime.MessageSender): Promise<SiteMode> {
  const own = (await modeFor('null')).mode;
  const topUrl = sender.tab?.url;
  let top: SiteMode = own;
  if (topUrl) {
    try {
      top = (await modeFor(new URL(topUrl).origin, sender.tab?.id)).mode;
    } catch {
      /* no usable top-level URL: the opaque default alone */
    }
  }
  const mode = stricter(own, top);
  return mode === 'direct' ? 'srflx-only' : mode;
}

async function activity(origin: string, sender: Runtime.MessageSender, report: ActivityReport): Promise<undefined> {
  const tabId = sender.tab?.id;
  if (tabId === undefined || tabId < 0) return undefined;
  const site = siteKey(origin);
  const isTop = sender.frameId === 0;
  const { record, firstUse } = await recordActivity(tabId, site, isTop, report);
  await showBadge(tabId, record);
  if (site === OPAQUE_SITE) return undefined;
  const top = sender.tab?.url ? siteKey(safeOrigin(sender.tab.url)) : null;
  const ask = (trigger: 'rawHost' | 'failed' | 'firstUse') => requestPrompt({ trigger, tabId, origin, topSite: top !== site ? top : null });
  if (report.rawHost) await ask('rawHost');
  else if (report.failed) await ask('failed');
  else if (firstUse) await ask('firstUse');
  return undefined;
}

export async function answerRelay(message: unknown, sender: Runtime.MessageSender): Promise<SiteInfo | undefined> {
  if (!isRelayMessage(message)) return undefined;
  const origin = senderOrigin(sender, message.origin);
  if (message.type === 'activity') return activity(origin, sender, message);
  const requested = message.type === 'names' ? message.addresses : [];
  const [mode, names, effective, register] = await Promise.all([
    origin === 'null' ? opaqueMode(sender) : modeFor(origin, sender.tab?.id).then((r) => r.mode),
    namesFor(origin, requested),
    getEffective(),
    helperConnected(),
  ]);
  if (register && effective.settings.lanNames && mode === 'srflx-only' && requested.length) {
    // Registered before the relay gets them: the candidate goes out only after the helper took its name.
    const pairs = requested.flatMap((a) => {
      const key = addressKey(a);
      const name = key === undefined ? undefined : names[key];
      return name ? [{ name, address: key! }] : [];
    });
    await registerNames(sender.tab?.id ?? -1, siteKey(origin), pairs);
  }
  return { mode, lanNames: effective.settings.lanNames, names, register };
}
