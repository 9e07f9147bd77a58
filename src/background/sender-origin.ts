// Which site a relay message speaks for. The browser's word (sender.origin, sender.url) wins; a
// frame whose URL has no origin of its own (about:blank, about:srcdoc inherit their creator's) is
// taken at the relay's word, since only our own content script can send these messages.
import type { Runtime } from 'webextension-polyfill';

export function senderOrigin(sender: Runtime.MessageSender, claimed: string): string {
  const o = (sender as { origin?: unknown }).origin;
  if (typeof o === 'string' && o !== '' && o !== 'null') return o;
  const url = sender.url ?? '';
  try {
    const u = new URL(url);
    if (u.protocol === 'http:' || u.protocol === 'https:') return u.origin;
    if (u.protocol === 'blob:') return new URL(u.pathname).origin;
    if (u.protocol === 'about:') return claimed;
  } catch {
    /* no URL: opaque */
  }
  return 'null';
}
