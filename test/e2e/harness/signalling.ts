// A tiny signalling server for the real-app tests (issue #8): a mailbox in the test process, reached
// by each page as `/signal` on its own fixture server (same origin, so no CORS), whichever bed host
// the page runs in. A page POSTs a batch of messages to its peer and long-polls for its own; order is
// kept per sender. Everything carried is logged, for the leak scans.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FixtureServer } from './fixture-server';

export interface Signalling {
  /** Serves the mailbox at `/signal` on these fixture servers. */
  attach(...servers: FixtureServer[]): void;
  /** Every message carried so far, per room and recipient, as JSON text. */
  carried(room: string, to: string): string[];
  /** Answers every waiting poll (before closing the servers). */
  close(): void;
}

const POLL_MS = 5000;
const MAX_BODY = 4 * 1024 * 1024;

export function signalling(): Signalling {
  const queues = new Map<string, string[]>();
  const logs = new Map<string, string[]>();
  const waiters = new Map<string, () => void>();
  const key = (room: string, who: string) => `${room}\n${who}`;
  const take = (k: string) => {
    const q = queues.get(k) ?? [];
    queues.set(k, []);
    return `[${q.join(',')}]`;
  };

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const room = url.searchParams.get('room') ?? '';
    if (req.method === 'POST') {
      const to = url.searchParams.get('to') ?? '';
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => {
        body += c;
        if (body.length > MAX_BODY) req.destroy();
      });
      req.on('end', () => {
        let batch: unknown[];
        try {
          batch = JSON.parse(body) as unknown[];
          if (!Array.isArray(batch)) throw new Error('not a list');
        } catch {
          res.writeHead(400).end();
          return;
        }
        const k = key(room, to);
        const texts = batch.map((m) => JSON.stringify(m));
        queues.set(k, [...(queues.get(k) ?? []), ...texts]);
        logs.set(k, [...(logs.get(k) ?? []), ...texts]);
        waiters.get(k)?.();
        res.writeHead(204).end();
      });
      return;
    }
    const k = key(room, url.searchParams.get('me') ?? '');
    const reply = () => {
      clearTimeout(timer);
      waiters.delete(k);
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(take(k));
    };
    const timer = setTimeout(reply, POLL_MS);
    // One poll per recipient: a newer one replaces (answers) the older.
    waiters.get(k)?.();
    if (queues.get(k)?.length) reply();
    else waiters.set(k, reply);
  };

  return {
    attach: (...servers) => {
      for (const s of servers) s.route('/signal', handler);
    },
    carried: (room, to) => logs.get(key(room, to)) ?? [],
    close: () => {
      for (const w of [...waiters.values()]) w();
    },
  };
}
