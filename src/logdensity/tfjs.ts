/**
 * tfjs backend setup for the log density. The only place (with ops.ts, check.ts and
 * src/target/compile.ts) that imports tfjs. In Node the wasm backend reads its .wasm files from
 * node_modules/@tensorflow/tfjs-backend-wasm/dist/ (setWasmPaths with a directory path works in
 * Node 20: emscripten reads the file with fs). In a browser, call `setWasmPaths(url)` yourself first
 * or pass `wasmPath`.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export { tf };

// Production mode silences tfjs's console notes (the cpu backend's "install tfjs-node" banner on stderr),
// which would break the CLI's contract of nothing but errors on stderr; it only gates tfjs's warn/log.
tf.enableProdMode();

/**
 * A tfjs backend the log density runs on: 'cpu' and 'wasm' everywhere; 'webgl' and 'webgpu' in a
 * browser ('webgpu' needs @tensorflow/tfjs-backend-webgpu imported first, as web/src/worker.ts does).
 */
export type BackendName = 'cpu' | 'wasm' | 'webgl' | 'webgpu';

let wasmPathSet = false;

async function wasmDir(): Promise<string | null> {
  if (typeof process === 'undefined' || !process.versions?.node) return null;
  const { createRequire } = await import('node:module');
  const { dirname } = await import('node:path');
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + '/';
}

/**
 * Makes `name` the active tfjs backend (initialising wasm on first use). Resolves to the backend
 * now in use; rejects if it cannot be initialised.
 */
export async function useBackend(name: BackendName, opts?: { wasmPath?: string }): Promise<BackendName> {
  if (name === 'wasm' && !wasmPathSet) {
    const dir = opts?.wasmPath ?? (await wasmDir());
    if (dir) setWasmPaths(dir);
    wasmPathSet = true;
  }
  if (tf.getBackend() !== name) {
    const ok = await tf.setBackend(name);
    if (!ok) throw new Error(`tfjs backend '${name}' could not be initialised`);
  }
  await tf.ready();
  return name;
}

/**
 * The backend that evaluates batched log densities fastest here: wasm when it initialises
 * (it is 1.5–6× faster than cpu per chain-gradient in bench/logdensity.ts), else cpu.
 * Leaves that backend active.
 */
export async function fastestBackend(): Promise<BackendName> {
  try {
    return await useBackend('wasm');
  } catch {
    return useBackend('cpu');
  }
}
