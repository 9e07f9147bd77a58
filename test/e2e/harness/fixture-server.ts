// Serves fixture pages to browsers inside a namespace. The server runs in the harness process on a
// Unix socket; a small bridge inside the namespace listens on its loopback and forwards to it, so a
// page is served from http://127.0.0.1:<port> as the browser sees it, and tests can add routes.
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { repoRoot, Scope, spawnIn, tempDir } from './sys';

export const PAGES_DIR = join(repoRoot(), 'test/fixtures/pages');
export const BRIDGE = join(repoRoot(), 'test/e2e/harness/tcp-bridge.mjs');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
};

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface FixtureServer {
  /** Two distinct origins (two ports) serving the same content, as seen from inside the namespace. */
  origins: [string, string];
  /** A third origin on the scheme's default port (http://127.0.0.1), for what differs by port. */
  defaultPortOrigin: string;
  /** Adds or replaces a route for an exact path (query string ignored). */
  route(path: string, handler: Handler): void;
  close(): void;
}

/** Serves `test/fixtures/pages/` (and routes added later) into network namespace `ns`. */
export async function serveFixtures(ns: string, root = PAGES_DIR): Promise<FixtureServer> {
  const scope = new Scope();
  try {
    const dir = tempDir(scope, 'fixtures');
    const routes = new Map<string, Handler>();
    // A navigation that never commits: a frame sent here keeps its initial about:blank realm.
    routes.set('/no-content', (_req, res) => void res.writeHead(204).end());
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0]!;
      const handler = routes.get(path);
      if (handler) return handler(req, res);
      void serveStatic(root, path, res);
    });
    const socket = join(dir, 'http.sock');
    await new Promise<void>((ok, fail) => server.once('error', fail).listen(socket, ok));
    scope.add('close fixture server', () => server.close());

    const origins: string[] = [];
    for (let i = 0; i < 2; i++) {
      const bridge = spawnIn(ns, process.execPath, [BRIDGE, 'out', socket], { scope, label: 'tcp-bridge out' });
      const [, port] = await bridge.waitFor(/^ready (\d+)$/m, 10_000);
      origins.push(`http://127.0.0.1:${port}`);
    }
    // Port 80 of the namespace's own loopback: the namespace is this run's, so it is free.
    const bridge80 = spawnIn(ns, process.execPath, [BRIDGE, 'out', socket, '80'], { scope, label: 'tcp-bridge out :80' });
    await bridge80.waitFor(/^ready 80$/m, 10_000);
    return {
      origins: [origins[0]!, origins[1]!],
      defaultPortOrigin: 'http://127.0.0.1',
      route: (path, handler) => void routes.set(path, handler),
      close: () => scope.close(),
    };
  } catch (err) {
    scope.close();
    throw err;
  }
}

async function serveStatic(root: string, urlPath: string, res: ServerResponse): Promise<void> {
  let rel: string;
  try {
    rel = normalize(decodeURIComponent(urlPath)).replace(/^(\.\.[/\\])+/, '');
  } catch {
    res.writeHead(400).end();
    return;
  }
  if (rel.endsWith('/')) rel += 'index.html';
  const file = resolve(root, '.' + rel);
  if (!file.startsWith(resolve(root))) {
    res.writeHead(403).end();
    return;
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(body);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
}
