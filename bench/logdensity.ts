/**
 * Microseconds per gradient per chain of the compiled tfjs log density (src/model/compile.ts) for the
 * six reference models of glmm-references.json at 16, 64, 256 and 1,024 chains on the cpu and wasm
 * backends, and milliseconds per gradient for a simulated Poisson model with 100,000 rows and 1,000
 * groups (seeded). Targets (the brief): RCBD ≤ 30 µs at 16 chains and ≤ 5 µs at 256 chains on the
 * faster backend; ≤ 50 ms per gradient for the 100,000-row model.
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import seedrandom from 'seedrandom';
import { readCsvFile } from '../src/data/read.js';
import { buildDesign } from '../src/design/design.js';
import type { Design } from '../src/design/types.js';
import type { FamilyName } from '../models/families/types.js';
import { buildModel, type ModelSpec } from '../src/model/parameters.js';
import { compileLogDensity } from '../src/model/compile.js';
import { useBackend, type BackendName } from '../src/logdensity/tfjs.js';
import { rpois } from '../models/families/random.js';

/** examples/data of the repository: beside dist/ when built in place, else under the working directory. */
function dataDir(): string {
  const inRepo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'data');
  return existsSync(inRepo) ? inRepo : join(process.cwd(), 'examples', 'data');
}

const MODELS: { name: string; file: string; formula: string; family: FamilyName; factors: string[] }[] = [
  { name: 'rcbd_poisson', file: 'rcbd.csv', formula: 'count ~ trt + (1|block) + (1|block:trt)', family: 'poisson', factors: ['trt', 'block'] },
  { name: 'beitler', file: 'beitler_landis_1985.csv', formula: 'cbind(x, n - x) ~ t + (1|clinic) + (1|clinic:t)', family: 'binomial', factors: ['t', 'clinic'] },
  { name: 'cbpp', file: 'lme4_cbpp.csv', formula: 'cbind(incidence, size - incidence) ~ period + (1|herd)', family: 'binomial', factors: ['period', 'herd'] },
  { name: 'seeds', file: 'bugs_seeds.csv', formula: 'cbind(r, n - r) ~ x1*x2 + (1|plate)', family: 'binomial', factors: ['plate'] },
  { name: 'lots_visible', file: 'sim_lots_visible.csv', formula: 'count ~ amount + (amount|lot) + (1|sample)', family: 'poisson', factors: ['lot', 'sample'] },
  { name: 'salamanders_nb', file: 'glmmTMB_Salamanders.csv', formula: 'count ~ mined + spp + (1|site)', family: 'negbinomial', factors: ['mined', 'spp', 'site'] },
];
const CHAINS = [16, 64, 256, 1024];

/** A point near the prior's centre for every chain (sds ≈ 0.5, z small). */
function points(spec: ModelSpec, C: number, rng: () => number): Float64Array {
  const q = new Float64Array(C * spec.dim);
  for (let i = 0; i < q.length; i++) q[i] = 0.5 * (rng() - 0.5);
  return q;
}

/** Median over repeats of the µs per call, after warm-up; at least ~0.3 s of calls. */
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
    random: [{ group: 'g', terms: ['Intercept'], columns: ['(Intercept)'], k: 1, correlated: false, levels: Array.from({ length: L }, (_, j) => String(j + 1)), index, Z: new Float64Array(n).fill(1) }],
    offset: null, groups: { g: L },
  };
}

/** The benchmark section (bench/run.ts). */
export async function bench(): Promise<string> {
  const rng = seedrandom('bench-logdensity');
  const specs = MODELS.map((m) => {
    const data = readCsvFile(join(dataDir(), m.file), { factors: m.factors });
    return { name: m.name, spec: buildModel(buildDesign(m.formula, data, m.family, { factors: m.factors }), { family: m.family }) };
  });
  const lines = [
    '## logdensity',
    '',
    'µs per gradient per chain (one batched call ÷ chains), median of 5 timing blocks; compiled by',
    '`compileLogDensity` (dense one-hot path for these sizes; tf.valueAndGrads over the fused customGrad',
    'blocks, every reference model non-centred). dim = unconstrained dimension. Load average when this section started:',
    `${loadavg().map((v) => v.toFixed(1)).join(' / ')} (1/5/15 min; other processes share the cores, timings scale with it).`,
    '',
    `| model | n | dim | backend | ${CHAINS.map((c) => `${c} ch`).join(' | ')} |`,
    `|---|---|---|---|${CHAINS.map(() => '---').join('|')}|`,
  ];
  for (const backend of ['cpu', 'wasm'] as BackendName[]) {
    await useBackend(backend);
    for (const { name, spec } of specs) {
      const target = compileLogDensity(spec, { backend });
      const cells = CHAINS.map((C) => {
        const q = points(spec, C, rng);
        return (timeCalls(() => target.logDensity(q, C)) / C).toFixed(1);
      });
      target.dispose?.();
      lines.push(`| ${name} | ${spec.design.nobs} | ${spec.dim} | ${backend} | ${cells.join(' | ')} |`);
    }
  }
  // random-effect path: dense one-hot matMul vs gather + segment-sum gradient (wasm)
  await useBackend('wasm');
  lines.push('', 'Random-effect path on wasm (µs per gradient per chain): dense one-hot matMul vs gather with segment-sum gradient.', '');
  lines.push('| model | 16 ch dense | 16 ch gather | 256 ch dense | 256 ch gather |', '|---|---|---|---|---|');
  for (const { name, spec } of specs.filter((s) => ['rcbd_poisson', 'lots_visible', 'salamanders_nb'].includes(s.name))) {
    const cells: string[] = [];
    for (const C of [16, 256]) {
      for (const mode of ['dense', 'gather'] as const) {
        const target = compileLogDensity(spec, { backend: 'wasm', mode });
        const q = points(spec, C, rng);
        cells.push((timeCalls(() => target.logDensity(q, C)) / C).toFixed(1));
        target.dispose?.();
      }
    }
    lines.push(`| ${name} | ${cells.join(' | ')} |`);
  }
  const big = buildModel(bigPoissonDesign(), { family: 'poisson' });
  lines.push('', 'Simulated Poisson, 100,000 rows, 1,000 groups (seeded), gather path, per-row terms summed in float64: ms per call.', '');
  lines.push('| backend | 1 ch (ms/call) | 4 ch (ms/call) | 4 ch (ms/gradient) |', '|---|---|---|---|');
  for (const backend of ['cpu', 'wasm'] as BackendName[]) {
    await useBackend(backend);
    const target = compileLogDensity(big, { backend });
    const t1 = timeCalls(() => target.logDensity(points(big, 1, rng), 1)) / 1000;
    const q4 = points(big, 4, rng);
    const t4 = timeCalls(() => target.logDensity(q4, 4)) / 1000;
    target.dispose?.();
    lines.push(`| ${backend} | ${t1.toFixed(1)} | ${t4.toFixed(1)} | ${(t4 / 4).toFixed(1)} |`);
  }
  return lines.join('\n') + '\n';
}
