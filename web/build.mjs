#!/usr/bin/env node
/**
 * Builds the web app into dist/web/: esbuild bundles web/src/app.ts (the page) and web/src/worker.ts
 * (the fit) from the library's TypeScript sources, and copies index.html, style.css, the tfjs wasm
 * binaries and the example data beside them. Every path in the output is relative, so the folder
 * works from `glmm ui` and from any static host. Prints the bundle sizes.
 */
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'web');
const require = createRequire(import.meta.url);

/**
 * Node-only modules the library imports for its file paths, which the browser never runs: each becomes
 * a module whose functions throw if called.
 */
const STUBS = {
  'node:fs': ['readFileSync', 'writeFileSync', 'mkdirSync', 'mkdtempSync', 'readdirSync', 'existsSync', 'statSync', 'openSync',
    'closeSync', 'writeSync', 'renameSync', 'rmSync', 'unlinkSync'],
  'node:path': ['join', 'dirname', 'resolve', 'basename', 'relative'],
  'node:os': ['tmpdir', 'cpus'],
  'node:buffer': [],
  'node:module': ['createRequire'],
  'node:worker_threads': ['Worker'],
};

/**
 * What the browser can answer for the two size limits fit() checks (src/fit/limits.ts): the device's
 * memory (navigator.deviceMemory, in GiB and capped at 8 by the browser; 4 when absent) and the largest
 * typed array (2^31 − 1 bytes in Chromium and Firefox).
 */
const BROWSER_VALUES = {
  'node:os': 'export function totalmem() { return ((globalThis.navigator && navigator.deviceMemory) || 4) * 2 ** 30; }\n',
  'node:buffer': 'export const constants = { MAX_LENGTH: 2 ** 31 - 1 };\n',
  'node:worker_threads': 'export const parentPort = null;\n',
};

const stubPlugin = {
  name: 'node-stubs',
  setup(b) {
    // csv-parse's Node build uses Buffer; its browser build (dist/esm, with a Buffer shim) is not in its exports map
    b.onResolve({ filter: /^csv-parse\/sync$/ }, () => ({ path: join(root, 'node_modules/csv-parse/dist/esm/sync.js') }));
    b.onResolve({ filter: /^(node:(fs|path|module|os|buffer|worker_threads))$/ }, (a) => ({ path: a.path, namespace: 'stub' }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, (a) => ({
      loader: 'js',
      contents: (BROWSER_VALUES[a.path] ?? '') + STUBS[a.path].map((n) => `export function ${n}() { throw new Error('${a.path} ${n}() is not available in the browser'); }`).join('\n')
        + '\nexport default {};',
    }));
  },
};

const t0 = Date.now();
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  // the log density's worker threads (src/threads/pool.ts) load density-js-worker.js beside worker.js
  entryPoints: { app: join(root, 'web/src/app.ts'), worker: join(root, 'web/src/worker.ts'), 'density-js-worker': join(root, 'src/target/density-js-worker.ts') },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome110', 'firefox115', 'safari16'],
  minify: true,
  chunkNames: 'chunks/[name]-[hash]',
  plugins: [stubPlugin],
  logLevel: 'warning',
  legalComments: 'none',
});
for (const f of ['index.html', 'style.css']) copyFileSync(join(root, 'web', f), join(out, f));
const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
for (const f of readdirSync(wasmDir).filter((f) => f.endsWith('.wasm'))) copyFileSync(join(wasmDir, f), join(out, f));
mkdirSync(join(out, 'examples'), { recursive: true });
for (const f of readdirSync(join(root, 'examples/data')).filter((f) => f.endsWith('.csv'))) copyFileSync(join(root, 'examples/data', f), join(out, 'examples', f));

/** Bytes of every file under dir with the given ending (gzipped: as a server with compression sends them). */
function bytes(dir, ending, gzipped = false) {
  let s = 0;
  for (const f of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, f.name);
    if (f.isDirectory()) s += bytes(p, ending, gzipped);
    else if (f.name.endsWith(ending)) s += gzipped ? gzipSync(readFileSync(p)).length : statSync(p).size;
  }
  return s;
}
const mb = (n) => `${(n / 1e6).toFixed(2)} MB`;
console.log(`web: dist/web/ in ${Date.now() - t0} ms — js ${mb(bytes(out, '.js'))}, ${mb(bytes(out, '.js', true))} gzipped (app ${mb(statSync(join(out, 'app.js')).size)}, worker ${mb(statSync(join(out, 'worker.js')).size)}, chunks ${mb(bytes(join(out, 'chunks'), '.js'))}), wasm ${mb(bytes(out, '.wasm'))}`);
