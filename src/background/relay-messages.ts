// Answers the relays: each document's mode and names (src/shared/messages.ts).
import type { Runtime } from 'webextension-polyfill';
import { stricter } from '../policy';
import { isRelayMessage, type SiteInfo } from '../shared/messages';
import type { SiteMode } from '../shared/modes';
import { namesFor } from './names';
import { senderOrigin } from './sender-origin';
import { modeFor } from './site-modes';

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
      top = (await modeFor(new URL(topUrl).origin)).mode;
    } catch {
      /* no usable top-level URL: the opaque default alone */
    }
  }
  const mode = stricter(own, top);
  return mode === 'direct' ? 'srflx-only' : mode;
}

export async function answerRelay(message: unknown, sender: Runtime.MessageSender): Promise<SiteInfo | undefined> {
  if (!isRelayMessage(message)) return undefined;
  const origin = senderOrigin(sender, message.origin);
  const [mode, names] = await Promise.all([
    origin === 'null' ? opaqueMode(sender) : modeFor(origin).then((r) => r.mode),
    namesFor(origin, message.type === 'names' ? message.addresses : []),
  ]);
  return { mode, lanNames: true, names };
}
