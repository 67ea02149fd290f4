/**
 * The fitting worker: runs the library's fit() (the same code as the CLI) off the page's thread,
 * posts the Laplace answer as soon as it exists, live snapshots of the chains while they run, and the
 * finished report's inputs; Stop ends sampling with the draws so far (fit's shouldStop).
 */
import { fit, type GlmmFit } from '../../src/fit.js';
import { useBackend } from '../../src/logdensity/tfjs.js';
import { SAMPLER_DEFAULTS } from '../../src/sampler/defaults.js';
import type { LaplaceSide } from '../../src/fit/summary.js';
import type { ModelSpec } from '../../src/target/parameters.js';
import { markIncomplete, reportInput } from '../../src/fit/report-input.js';
import { drawsCsvFiles, outputText } from '../../src/fit/io.js';
import type { SummaryJson } from '../../src/report/schema.js';
import { liveRecorder, type LiveRecorder } from './live.js';
import type { BackendChoice, FromWorker, RunRequest, ToWorker } from './protocol.js';
import { zipFiles } from './zip.js';

const ctx = self as unknown as { postMessage(m: FromWorker, transfer?: Transferable[]): void; onmessage: ((e: MessageEvent<ToWorker>) => void) | null };

/** The .wasm binaries sit beside this script (web/build.mjs copies them). */
const WASM_DIR = new URL('./', self.location.href).href;

let stopRequested = false;
let running = false;
let lastFit: GlmmFit | null = null;

function post(m: FromWorker, transfer: Transferable[] = []): void {
  ctx.postMessage(m, transfer);
}

/** Buffers of a snapshot's draws, transferred instead of copied. */
function buffersOf(...ds: { data: Float64Array }[]): Transferable[] {
  return ds.map((d) => d.data.buffer as ArrayBuffer);
}

async function setBackend(b: BackendChoice): Promise<string> {
  // tfjs-backend-webgpu registers itself on import; loaded only when chosen (a separate chunk)
  if (b === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
  return useBackend(b, { wasmPath: WASM_DIR });
}

/** Runs one fit, posting as it goes. */
async function run(req: RunRequest): Promise<void> {
  const t0 = performance.now();
  const secs = () => (performance.now() - t0) / 1000;
  stopRequested = false;
  lastFit = null;
  const backend = await setBackend(req.backend);
  post({ type: 'backend', backend });
  let recorder: LiveRecorder | null = null;
  let laplaceSummary: SummaryJson | null = null;
  let lastLive = 0;
  let lastProgress = 0;
  const liveMs = req.liveMs ?? 500;
  const plan = { warmup: req.warmup ?? SAMPLER_DEFAULTS[req.sampler].warmup, draws: req.draws ?? SAMPLER_DEFAULTS[req.sampler].draws };
  const f = await fit({
    formula: req.formula, data: { csv: req.csv }, family: req.family, link: req.link, factors: req.factors, levels: req.levels, zi: req.zi, priors: req.priors,
    sampler: req.sampler, chains: req.chains, warmup: req.warmup, draws: req.draws, seed: req.seed, adaptDelta: req.adaptDelta,
    maxTreedepth: req.maxTreedepth, metric: req.metric, init: req.init, backend: req.backend,
    onLaplace: ({ spec, summary, side }: { spec: ModelSpec; summary: SummaryJson; side: LaplaceSide | null }) => {
      laplaceSummary = summary;
      recorder = liveRecorder(spec, side, plan);
      post({ type: 'laplace', summary, seconds: secs() });
    },
    onProgress: (p) => {
      recorder?.push(p);
      const now = performance.now();
      if (now - lastProgress >= 100) {
        lastProgress = now;
        post({ type: 'progress', warmup: p.warmup, done: p.done, total: p.total, seconds: secs() });
      }
      if (recorder && now - lastLive >= liveMs) {
        const s = recorder.snapshot(secs());
        if (s) {
          lastLive = performance.now();
          post({ type: 'live', snapshot: s }, buffersOf(s.trace, s.density));
        }
      }
    },
    shouldStop: () => stopRequested,
  }).catch((e: unknown) => {
    // stopped before the first draw: nothing to summarize, the Laplace answer stands
    if (stopRequested) return null;
    throw e;
  });
  if (!f || f.draws.nDraws === 0) {
    post({ type: 'done', report: null, laplaceSummary, stopped: true, seconds: secs(), message: 'Stopped during warmup: there are no posterior draws yet, so only the Laplace answer is shown.' });
    return;
  }
  if (f.stopped) markIncomplete(f, 'stopped');
  lastFit = f;
  const report = reportInput(f, req.seed);
  post({ type: 'done', report: { summary: report.summary, draws: report.draws, ppc: { ...report.ppc, y: Float64Array.from(report.ppc.y) } }, laplaceSummary, stopped: f.stopped, seconds: secs() });
}

ctx.onmessage = (e) => {
  const m = e.data;
  if (m.type === 'stop') {
    stopRequested = true;
  } else if (m.type === 'draws') {
    if (!lastFit) return;
    // as --out writes them: one draws.csv for a many-chain run (superchain column), else one CSV per chain
    const files = drawsCsvFiles(lastFit).map((f) => ({ name: f.name, text: outputText(f) }));
    const bytes = files.length === 1 ? new TextEncoder().encode(files[0].text) : zipFiles(files);
    post({ type: 'draws', name: files.length === 1 ? files[0].name : 'draws.zip', bytes }, [bytes.buffer as ArrayBuffer]);
  } else if (m.type === 'run' && !running) {
    running = true;
    run(m.request)
      .catch((err: unknown) => post({ type: 'error', message: err instanceof Error ? err.message.split('\n')[0] : String(err) }))
      .finally(() => { running = false; });
  }
};

/** True when the browser offers a WebGPU adapter (headless Chromium with --disable-gpu does not). */
async function hasWebGpu(): Promise<boolean> {
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  try {
    return gpu ? (await gpu.requestAdapter()) !== null : false;
  } catch {
    return false;
  }
}

// Initialise wasm while the user is still choosing (the Laplace answer then does not wait for it).
Promise.all([useBackend('wasm', { wasmPath: WASM_DIR }).then(() => true, () => false), hasWebGpu()]).then(([wasm, webgpu]) => {
  const backends: BackendChoice[] = [...(wasm ? ['wasm' as const] : []), 'webgl', ...(webgpu ? ['webgpu' as const] : []), 'cpu'];
  post({ type: 'ready', backends });
});
