// Answers the relays: each document's mode and names (src/shared/messages.ts).
import type { Runtime } from 'webextension-polyfill';
import { isRelayMessage, type SiteInfo } from '../shared/messages';
import { namesFor } from './names';
import { senderOrigin } from './sender-origin';
import { modeFor } from './site-modes';

export async function answerRelay(message: unknown, sender: Runtime.MessageSender): Promise<SiteInfo | undefined> {
  if (!isRelayMessage(message)) return undefined;
  const origin = senderOrigin(sender, message.origin);
  const [resolution, names] = await Promise.all([modeFor(origin), namesFor(origin, message.type === 'names' ? message.addresses : [])]);
  // Opaque origins never get direct (DESIGN.md §2: no consent can name them).
  const mode = origin === 'null' && resolution.mode === 'direct' ? 'srflx-only' : resolution.mode;
  return { mode, lanNames: true, names };
}
