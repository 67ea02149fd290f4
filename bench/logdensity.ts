/**
 * Microseconds per gradient per chain of the compiled tfjs log density (src/target/compile.ts: one
 * tf.valueAndGrads over the fused customGrad blocks) for the six reference models of
 * glmm-references.json at 16, 64, 256 and 1,024 chains on the wasm and cpu backends, in CPU time
 * (bench/logdensity-cells.ts), with the tfjs kernels per call; the recorded before/after comparison
 * with the hand-written manualBody of commit 4a03b90 (bench/logdensity-before-after.md, made by
 * bench/logdensity-before-after.sh); the plain-JS fast path (src/target/density-js.ts) against autograd
 * on wasm; the random-effect paths; and milliseconds per gradient for a simulated Poisson model with
 * 100,000 rows and 1,000 groups (seeded).
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import seedrandom from 'seedrandom';
import type { Design } from '../src/design/types.js';
import { buildModel } from '../src/target/parameters.js';
import { compileLogDensity } from '../src/target/compile.js';
import { compileJsDensity } from '../src/target/density-js.js';
import { useBackend, type BackendName } from '../src/logdensity/tfjs.js';
import { rpois } from '../models/families/random.js';
import { benchPoints, cells, cpuMicros, referenceSpecs } from './logdensity-cells.js';
import { makeCovariance } from '../src/design/covariance/make.js';

const CHAINS = [16, 64, 256, 1024];

/** The recorded before/after comparison (bench/logdensity-before-after.md), or a note that it is missing. */
function beforeAfter(): string {
  const file = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'logdensity-before-after.md');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : '(bench/logdensity-before-after.md not found)';
}

/** Median over repeats of the wall µs per call, after warm-up; at least ~0.3 s of calls (the 100,000-row model). */
function timeCalls(f: () => void): number {
  for (let i = 0; i < 30; i++) f(); // JIT and tfjs kernel caches
  const t0 = performance.now();
  f();
  const once = Math.max(performance.now() - t0, 1e-3);
  const reps = Math.max(3, Math.min(2000, Math.ceil(300 / once)));
  const times: number[] = [];
  for (let r = 0; r < 5; r++) {
    const s = performance.now();
    for (let i = 0; i < Math.ceil(reps / 5); i++) f();
    times.push(((performance.now() - s) * 1000) / Math.ceil(reps / 5));
  }
  times.sort((a, b) => a - b);
  return times[2];
}

function bigPoissonDesign(): Design {
  const rng = seedrandom('bench-logdensity-100k');
  const n = 100_000;
  const L = 1000;
  const X = new Float64Array(n * 2);
  const index = new Int32Array(n);
  const u = Float64Array.from({ length: L }, () => 0.5 * (rng() - 0.5));
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    X[2 * i] = 1;
    X[2 * i + 1] = rng() - 0.5;
    index[i] = i % L;
    y[i] = rpois(rng, Math.exp(1 + 0.3 * X[2 * i + 1] + u[index[i]]));
  }
  return {
    formula: 'y ~ x + (1|g)', family: 'poisson', nobs: n, droppedRows: 0, response: { label: 'y', y, trials: null },
    fixed: { X, p: 2, columns: ['(Intercept)', 'x'], names: ['b_Intercept', 'b_x'], dropped: [], hasIntercept: true },
    random: [{ group: 'g', terms: ['Intercept'], columns: ['(Intercept)'], k: 1, cov: makeCovariance('us', 1, ''), levels: Array.from({ length: L }, (_, j) => String(j + 1)), index, Z: new Float64Array(n).fill(1) }],
    offset: null, groups: { g: L },
  };
}

/** The benchmark section (bench/run.ts). */
export async function bench(): Promise<string> {
  const rng = seedrandom('bench-logdensity');
  const specs = referenceSpecs();
  const lines = [
    '## logdensity',
    '',
    'CPU µs per gradient per chain (one batched call ÷ chains; bench/logdensity-cells.ts: best of 7 blocks of ≥ 150 ms,',
    'minimum over 2 passes) of `compileLogDensity`: one tf.valueAndGrads over the fused customGrad block (dense one-hot',
    'path at these sizes; every reference model non-centred); kernels = tfjs kernels per call at 1,024 chains. dim =',
    `unconstrained dimension. Load average when this section started: ${loadavg().map((v) => v.toFixed(1)).join(' / ')} (1/5/15 min).`,
    '',
    `| model | n | dim | backend | kernels | ${CHAINS.map((c) => `${c} ch`).join(' | ')} |`,
    `|---|---|---|---|---|${CHAINS.map(() => '---').join('|')}|`,
  ];
  for (const backend of ['wasm', 'cpu'] as BackendName[]) {
    for (const r of await cells(backend, CHAINS)) lines.push(`| ${r.name} | ${r.n} | ${r.dim} | ${backend} | ${r.kernels} | ${r.us.map((v) => v.toFixed(2)).join(' | ')} |`);
  }
  lines.push('', beforeAfter());
  // the plain-JS fast path (fit's default for small uncorrelated models) against autograd on wasm
  await useBackend('wasm');
  lines.push('', 'Plain-JS fast path (src/target/density-js.ts, float64, hand-derived gradient; equal to autograd by', 'test/target/density-js-autograd.test.ts) against the autograd tfjs path on wasm, CPU µs per gradient per chain:', '');
  lines.push(`| model | path | ${CHAINS.map((c) => `${c} ch`).join(' | ')} |`, `|---|---|${CHAINS.map(() => '---').join('|')}|`);
  for (const { name, spec } of specs.filter((s) => ['rcbd_poisson', 'cbpp'].includes(s.name))) {
    const js = compileJsDensity(spec);
    const tfjs = compileLogDensity(spec, { backend: 'wasm' });
    const row = (t: typeof js) => CHAINS.map((C) => {
      const q = benchPoints(spec.dim, C, rng);
      return (cpuMicros(() => t.logDensity(q, C)) / C).toFixed(2);
    });
    lines.push(`| ${name} | plain JS | ${row(js).join(' | ')} |`, `| ${name} | autograd wasm | ${row(tfjs).join(' | ')} |`);
    tfjs.dispose?.();
  }
  // random-effect path: dense one-hot matMul vs gather + segment-sum gradient (wasm)
  await useBackend('wasm');
  lines.push('', 'Random-effect path on wasm (CPU µs per gradient per chain): dense one-hot matMul vs gather with segment-sum gradient.', '');
  lines.push('| model | 16 ch dense | 16 ch gather | 256 ch dense | 256 ch gather |', '|---|---|---|---|---|');
  for (const { name, spec } of specs.filter((s) => ['rcbd_poisson', 'lots_visible', 'salamanders_nb'].includes(s.name))) {
    const row: string[] = [];
    for (const C of [16, 256]) {
      for (const mode of ['dense', 'gather'] as const) {
        const target = compileLogDensity(spec, { backend: 'wasm', mode });
        const q = benchPoints(spec.dim, C, rng);
        row.push((cpuMicros(() => target.logDensity(q, C)) / C).toFixed(1));
        target.dispose?.();
      }
    }
    lines.push(`| ${name} | ${row.join(' | ')} |`);
  }
  const big = buildModel(bigPoissonDesign(), { family: 'poisson' });
  lines.push('', 'Simulated Poisson, 100,000 rows, 1,000 groups (seeded), gather path, per-row terms summed in float64: ms per call.', '');
  lines.push('| backend | 1 ch (ms/call) | 4 ch (ms/call) | 4 ch (ms/gradient) |', '|---|---|---|---|');
  for (const backend of ['cpu', 'wasm'] as BackendName[]) {
    await useBackend(backend);
    const target = compileLogDensity(big, { backend });
    const t1 = timeCalls(() => target.logDensity(benchPoints(big.dim, 1, rng), 1)) / 1000;
    const q4 = benchPoints(big.dim, 4, rng);
    const t4 = timeCalls(() => target.logDensity(q4, 4)) / 1000;
    target.dispose?.();
    lines.push(`| ${backend} | ${t1.toFixed(1)} | ${t4.toFixed(1)} | ${(t4 / 4).toFixed(1)} |`);
  }
  return lines.join('\n') + '\n';
}
