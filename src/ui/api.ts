// IceGuard's pages talk to the background only through these typed requests (src/shared/ui-protocol.ts).
import browser from 'webextension-polyfill';
import type { UiReply, UiRequest } from '../shared/ui-protocol';

export class UiError extends Error {
  constructor(
    message: string,
    readonly problems: { key: string; problem: string }[] = [],
  ) {
    super(message);
  }
}

/** Sends a request; resolves with its kind's answer, or throws UiError with the background's words. */
export async function call<K extends UiRequest['ui']>(request: Extract<UiRequest, { ui: K }>): Promise<Extract<UiReply<K>, { ok: true }>> {
  const reply = (await browser.runtime.sendMessage(request)) as UiReply<K> | undefined;
  if (!reply) throw new UiError('IceGuard did not answer.');
  if (!reply.ok) throw new UiError(reply.error, reply.problems);
  return reply as Extract<UiReply<K>, { ok: true }>;
}
