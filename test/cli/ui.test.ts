/**
 * `glmm ui`: the static server of the built web app (node:http only) prints its URL as the first stdout
 * line, serves the app's files with their types (application/wasm for tfjs's binaries), refuses paths
 * outside its folder, and gives usage errors for a bad --port.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { request } from 'node:http';
import { runUi } from '../../src/cli/ui.js';
import { runCli } from './cli-helpers.js';

/** GET `path` raw (no URL normalisation, so ../ reaches the server as written). */
function get(port: number, path: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('glmm ui serves dist/web: URL first, typed files, nothing outside the folder', async () => {
  let printed = '';
  const sink = new Writable({ write(chunk, _enc, done) { printed += String(chunk); done(); } });
  const server = await runUi({ port: 0, open: false }, sink);
  try {
    const port = (server.address() as { port: number }).port;
    assert.equal(printed.split('\n')[0], `http://127.0.0.1:${port}/`);
    const index = await get(port, '/');
    assert.equal(index.status, 200);
    assert.match(index.type, /^text\/html/);
    assert.match(index.body, /<script type="module" src="app.js"><\/script>/, 'relative paths only (works from any static host)');
    const wasm = await get(port, '/tfjs-backend-wasm-simd.wasm');
    assert.equal(wasm.status, 200);
    assert.equal(wasm.type, 'application/wasm');
    assert.equal(wasm.body.slice(0, 4), '\0asm');
    const csv = await get(port, '/examples/rcbd.csv');
    assert.match(csv.body, /^block,trt,count/);
    assert.equal((await get(port, '/../../package.json')).status, 404);
    assert.equal((await get(port, '/%2e%2e/%2e%2e/package.json')).status, 404);
    assert.equal((await get(port, '/nope.js')).status, 404);
  } finally {
    server.close();
  }
});

test('glmm ui usage errors exit 2', async () => {
  const r = await runCli(['ui', '--port', 'abc']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^error: --port abc: expected an integer in 0\.\.65535/);
  const r2 = await runCli(['ui', 'extra']);
  assert.equal(r2.code, 2);
});
