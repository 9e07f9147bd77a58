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

/** Sends a request; resolves with the reply's payload, or throws UiError with the background's words. */
export async function call<R extends UiReply & { ok: true }>(request: UiRequest): Promise<R> {
  const reply = (await browser.runtime.sendMessage(request)) as UiReply | undefined;
  if (!reply) throw new UiError('IceGuard did not answer.');
  if (!reply.ok) throw new UiError(reply.error, reply.problems);
  return reply as R;
}
