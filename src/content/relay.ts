// ISOLATED-world relay: the only path between the page shim and the extension (DESIGN.md §4.3).
// It runs the policy for the shim, because the page cannot reach this world's built-ins, and it
// fetches the site's mode and names from the background. Protocol: src/shared/page-protocol.ts.
import { HANDSHAKE_EVENT } from '../shared/page-protocol';
import { PageRequests } from './page-requests';
import { SiteState } from './site-state';
import { installTestBridge } from './test-bridge';


function randomSecret(): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

function fire(type: string, detail: string): void {
  window.dispatchEvent(new CustomEvent(type, { detail }));
}

function connect(): void {
  const relayStartedMs = performance.now();
  const secret = randomSecret();
  let notify = () => {};
  let modeArrivedMs: number | null = null;
  const site = new SiteState(location.origin, () => {
    if (modeArrivedMs === null) modeArrivedMs = performance.now();
    notify();
  });
  // Test builds: when the mode arrived, in ms since the document's time origin.
  if (__TEST__) installTestBridge(() => ({ mode: site.mode, modeArrivedMs, relayStartedMs }));
  const requests = new PageRequests(site);

  // The first shim announcement gets the secret, once. A later announcement (a page script; the
  // shim always announces at document_start, before any page script) gets nothing.
  const onHandshake = (e: Event) => {
    if ((e as CustomEvent).detail !== 'shim') return;
    window.removeEventListener(HANDSHAKE_EVENT, onHandshake);
    window.addEventListener(`${secret}:q`, (q: Event) => {
      const detail = (q as CustomEvent).detail;
      let reply;
      try {
        reply = requests.handle(typeof detail === 'string' && detail.length < 4_000_000 ? JSON.parse(detail) : null);
      } catch {
        reply = { t: 'error', error: 'bad request' };
      }
      fire(`${secret}:a`, JSON.stringify(reply));
    });
    notify = () => fire(`${secret}:n`, '');
    fire(HANDSHAKE_EVENT, `secret:${secret}`);
  };
  window.addEventListener(HANDSHAKE_EVENT, onHandshake);
  // If the shim ran first, it waits for this to announce itself again.
  fire(HANDSHAKE_EVENT, 'relay');
  void site.start();
}

connect();
