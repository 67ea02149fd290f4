/**
 * The timing cells of the logdensity benchmark: CPU µs per gradient per chain (one batched call ÷
 * chains) of `compileLogDensity` for the six reference models of glmm-references.json, the minimum
 * over passes of the best of 7 blocks of ≥ 150 ms of calls (CPU time: the machine may be shared).
 * Also runnable on its own, so that bench/logdensity-before-after.sh can time an older commit with the
 * same code: `node dist/bench/logdensity-cells.js wasm 16 64 256 1024` prints one tab-separated row
 * per model. Imports only modules that also exist at commit 4a03b90 (the hand-written manualBody).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import seedrandom from 'seedrandom';
import { readCsvFile } from '../src/data/read.js';
import { buildDesign } from '../src/design/design.js';
import type { FamilyName } from '../models/families/types.js';
import { buildModel, type ModelSpec } from '../src/target/parameters.js';
import { compileLogDensity } from '../src/target/compile.js';
import { tf, useBackend, type BackendName } from '../src/logdensity/tfjs.js';

/** examples/data of the repository: beside dist/ when built in place, else under the working directory. */
function dataDir(): string {
  const inRepo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'data');
  return existsSync(inRepo) ? inRepo : join(process.cwd(), 'examples', 'data');
}

export const MODELS: { name: string; file: string; formula: string; family: FamilyName; factors: string[] }[] = [
  { name: 'rcbd_poisson', file: 'rcbd.csv', formula: 'count ~ trt + (1|block) + (1|block:trt)', family: 'poisson', factors: ['trt', 'block'] },
  { name: 'beitler', file: 'beitler_landis_1985.csv', formula: 'cbind(x, n - x) ~ t + (1|clinic) + (1|clinic:t)', family: 'binomial', factors: ['t', 'clinic'] },
  { name: 'cbpp', file: 'lme4_cbpp.csv', formula: 'cbind(incidence, size - incidence) ~ period + (1|herd)', family: 'binomial', factors: ['period', 'herd'] },
  { name: 'seeds', file: 'bugs_seeds.csv', formula: 'cbind(r, n - r) ~ x1*x2 + (1|plate)', family: 'binomial', factors: ['plate'] },
  { name: 'lots_visible', file: 'sim_lots_visible.csv', formula: 'count ~ amount + (amount|lot) + (1|sample)', family: 'poisson', factors: ['lot', 'sample'] },
  { name: 'salamanders_nb', file: 'glmmTMB_Salamanders.csv', formula: 'count ~ mined + spp + (1|site)', family: 'negbinomial', factors: ['mined', 'spp', 'site'] },
];

/** The reference models' specs. */
export function referenceSpecs(): { name: string; spec: ModelSpec }[] {
  return MODELS.map((m) => {
    const data = readCsvFile(join(dataDir(), m.file), { factors: m.factors });
    return { name: m.name, spec: buildModel(buildDesign(m.formula, data, m.family, { factors: m.factors }), { family: m.family }) };
  });
}

/** A point near the prior's centre for every chain (sds ≈ 1, z small). */
export function benchPoints(dim: number, C: number, rng: () => number): Float64Array {
  const q = new Float64Array(C * dim);
  for (let i = 0; i < q.length; i++) q[i] = 0.5 * (rng() - 0.5);
  return q;
}

/** CPU µs per call: after 30 warm-up calls, the best of 7 blocks of ≥ 150 ms of calls. */
export function cpuMicros(f: () => void): number {
  for (let i = 0; i < 30; i++) f();
  const t0 = performance.now();
  f();
  const reps = Math.max(3, Math.ceil(150 / Math.max(performance.now() - t0, 1e-3)));
  let best = Infinity;
  for (let r = 0; r < 7; r++) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < reps; i++) f();
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / reps);
  }
  return best;
}

/** µs per gradient per chain [model][chains] on `backend`, the minimum over `passes` passes over every model, and tfjs kernels per call at the last chain count. */
export async function cells(backend: BackendName, chains: readonly number[], passes = 2): Promise<{ name: string; n: number; dim: number; us: number[]; kernels: number }[]> {
  await useBackend(backend);
  const rng = seedrandom('bench-logdensity');
  const rows = referenceSpecs().map(({ name, spec }) => ({ name, spec, target: compileLogDensity(spec, { backend }), us: chains.map(() => Infinity), kernels: 0 }));
  for (let pass = 0; pass < passes; pass++) {
    for (const row of rows) {
      chains.forEach((C, ci) => {
        const q = benchPoints(row.spec.dim, C, rng);
        row.us[ci] = Math.min(row.us[ci], cpuMicros(() => row.target.logDensity(q, C)) / C);
      });
    }
  }
  for (const row of rows) {
    const C = chains[chains.length - 1];
    const q = benchPoints(row.spec.dim, C, rng);
    const prof = await tf.profile(() => void row.target.logDensity(q, C));
    // a tf.customGrad op is listed as a kernel ('forward') besides the kernels it runs
    row.kernels = prof.kernels.filter((k) => k.name !== 'forward').length;
    row.target.dispose?.();
  }
  return rows.map((r) => ({ name: r.name, n: r.spec.design.nobs, dim: r.spec.dim, us: r.us, kernels: r.kernels }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [backend, ...cs] = process.argv.slice(2);
  for (const r of await cells(backend as BackendName, cs.map(Number))) console.log([r.name, backend, ...r.us.map((v) => v.toFixed(2)), `${r.kernels} kernels`].join('\t'));
}
