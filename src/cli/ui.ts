/**
 * `glmm ui`: serves the built web app (dist/web/, made by `npm run build`) on localhost with node:http
 * and prints its URL as the first line on stdout; opens the system browser unless --no-open. Static
 * files only: the fit runs in the page (web/src/worker.ts), nothing is computed here. Every response is
 * cross-origin isolated (COOP same-origin, COEP require-corp: the app loads nothing from elsewhere), so
 * that the page may use SharedArrayBuffer and the fit's log density its worker threads (src/threads/).
 */
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { GlmmInputError } from '../../base/errors.js';

/** Where `npm run build` puts the app, relative to this compiled file (dist/src/cli/ui.js). */
export const WEB_ROOT = fileURLToPath(new URL('../../web/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm', '.csv': 'text/csv; charset=utf-8', '.json': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml',
};

/** The headers that make a page cross-origin isolated (crossOriginIsolated, SharedArrayBuffer). */
export const ISOLATED = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } as const;

/** The file under `root` a URL path names, or null (outside the root, or missing). */
function fileFor(root: string, urlPath: string): string | null {
  let p: string;
  try {
    p = decodeURIComponent(urlPath.split('?')[0]);
  } catch {
    return null;
  }
  const file = normalize(join(root, p.endsWith('/') ? `${p}index.html` : p));
  if (!file.startsWith(root.endsWith(sep) ? root : root + sep)) return null;
  return existsSync(file) && statSync(file).isFile() ? file : null;
}

/** A static file server for `root` (GET and HEAD only). */
export function staticServer(root: string): Server {
  return createServer((req, res) => {
    const file = req.method === 'GET' || req.method === 'HEAD' ? fileFor(root, req.url ?? '/') : null;
    if (!file) {
      res.writeHead(req.method === 'GET' || req.method === 'HEAD' ? 404 : 405, { 'content-type': 'text/plain' });
      res.end('not found\n');
      return;
    }
    const body = readFileSync(file);
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': body.length, 'cache-control': 'no-cache', ...ISOLATED });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.removeListener('error', reject);
      resolve((server.address() as { port: number }).port);
    });
  });
}

/** Opens `url` in the system browser (best effort: xdg-open, open, or start). */
function openBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '', url] : [url];
  try {
    spawn(cmd, args, { stdio: 'ignore', detached: true }).on('error', () => {}).unref();
  } catch {
    // no browser to open: the URL is printed
  }
}

/** Default port of `glmm ui`; when it is taken, any free port. */
export const DEFAULT_PORT = 8765;

/** `glmm ui`: serves until the process is interrupted. Resolves with the server once it listens. */
export async function runUi(a: { port?: number; open: boolean }, out: NodeJS.WritableStream = process.stdout): Promise<Server> {
  if (!existsSync(join(WEB_ROOT, 'index.html'))) {
    throw new GlmmInputError(`the web app is not built (${WEB_ROOT} has no index.html); run \`npm run build\` first`);
  }
  const server = staticServer(WEB_ROOT);
  let port: number;
  try {
    port = await listen(server, a.port ?? DEFAULT_PORT);
  } catch (e) {
    if (a.port !== undefined || (e as NodeJS.ErrnoException).code !== 'EADDRINUSE') {
      throw new GlmmInputError(`--port ${a.port ?? DEFAULT_PORT}: cannot listen (${(e as NodeJS.ErrnoException).code ?? 'error'}); choose another port (--port 0: any free one)`);
    }
    port = await listen(server, 0);
  }
  const url = `http://127.0.0.1:${port}/`;
  out.write(`${url}\n`);
  out.write('glmm ui: the app runs in your browser; press Ctrl-C here to stop serving it.\n');
  if (a.open) openBrowser(url);
  return server;
}
