/**
 * ChEES-HMC on a simulated Poisson GLMM with 100,000 rows in 1,000 groups, the regime where Stan's
 * non-centred model mixes badly (issue 7: 24 CPU-minutes for 4 × 500 draws, min bulk-ESS 71, R-hat 1.07).
 * It takes tens of CPU-minutes (128 chains × 100,000 rows per batched call), so it runs only with
 * BENCH_100K=1 (`BENCH_100K=1 npm run bench -- chees-100k`); otherwise its recorded section is kept.
 */
import { buildModel } from '../src/target/parameters.js';
import { constrainDraws } from '../src/target/constrain.js';
import { compileLogDensity } from '../src/target/compile.js';
import { useBackend } from '../src/logdensity/tfjs.js';
import { frameFromRows } from '../src/data/read.js';
import { buildDesign } from '../src/design/design.js';
import { chooseChains } from '../src/sampler/adaptation/chees-chains.js';
import { makeRng } from '../src/sampler/rng.js';
import { laplaceStart, runLaplace } from '../src/fit/laplace.js';
import { samplingSpec } from '../src/fit/centering.js';
import { HEADER, measure, rowOf } from './chees.js';

/**
 * Simulated Poisson GLMM, 100,000 rows in 1,000 groups of 100: y ~ Poisson(exp(0.5 + 0.3 x + b_g)),
 * x ~ N(0, 1), b_g ~ N(0, 0.5²); seed 1 of rng.ts. The regime where non-centred effects mix badly.
 */
export function simulatedPoisson(n = 100_000, groups = 1000): Record<string, ArrayLike<unknown>> {
  const rng = makeRng(1, 0);
  const b = Float64Array.from({ length: groups }, () => 0.5 * rng.normal());
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const g: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = rng.normal();
    const k = i % groups;
    g[i] = `g${k + 1}`;
    const mu = Math.exp(0.5 + 0.3 * x[i] + b[k]);
    // Poisson by inversion (mu is small here)
    let c = 0;
    let p = Math.exp(-mu);
    let s = p;
    const u = rng.uniform();
    while (u > s && c < 1000) {
      c++;
      p *= mu / c;
      s += p;
    }
    y[i] = c;
  }
  return { y, x, g };
}

/**
 * The simulated 100,000-row Poisson GLMM as fit() ran it before the large-data rule: the Laplace fit
 * first, whose conditional sds choose the parameterization (src/fit/centering.ts: g is centred, each level
 * having 100 rows), then ChEES on tfjs-wasm with chooseChains' memory rule (128 chains: chains × rows
 * float32 stays under 100 MB) and 100 draws. fit() now takes its large-data path here (32 chains, the
 * plain-JS density, the Laplace change of variables of src/fit/precondition.ts); this bench keeps the
 * tfjs engine so that its figures stay comparable. The Laplace CPU time is included in the rate.
 */
export async function simulatedRow(draws = 100): Promise<string> {
  const cpu0 = process.cpuUsage();
  const design = buildDesign('y ~ x + (1|g)', frameFromRows(simulatedPoisson()), 'poisson');
  const first = buildModel(design, { family: 'poisson' });
  const laplace = runLaplace(first, {});
  const { spec, centered } = samplingSpec(first, laplace, { family: 'poisson' });
  const c = process.cpuUsage(cpu0);
  const setupCpu = (c.user + c.system) / 1e6;
  const backend = await useBackend('wasm').catch(() => useBackend('cpu'));
  const target = compileLogDensity(spec, { backend });
  const chains = chooseChains({ rows: design.nobs, dim: spec.dim, draws }); // no `work`: the memory rule, not the large-data rule
  const params = ['b_Intercept', 'b_x', 'sd_g__Intercept'];
  const progress = (p: { phase: string; iteration: number; stepSize: number; nLeapfrog: number; nestedRhat: number }) => {
    if (p.iteration % 10 === 0) process.stderr.write(`  ${p.phase} ${p.iteration}: step ${p.stepSize.toPrecision(3)}, L ${p.nLeapfrog}, nested R-hat ${p.nestedRhat.toFixed(3)}\n`);
  };
  const init = laplaceStart(spec, laplace);
  const m = await measure(target, { seed: 1, chains, draws, init, onProgress: progress }, params, (d) => constrainDraws(spec, d));
  target.dispose?.();
  const label = `simulated Poisson, 100,000 rows × 1,000 groups (${backend}, ${centered.length ? `centred ${centered.join(', ')}` : 'non-centred'}; ` +
    `Laplace + design ${setupCpu.toFixed(1)} CPU s included; ${((1000 * m.cpuSec) / m.r.batchedCalls).toFixed(0)} CPU ms/call)`;
  return rowOf(label, { ...m, cpuSec: m.cpuSec + setupCpu }, SIMULATED_STAN_RATE);
}

/** Stan on the simulated model (issue 7, this machine kind): 4 × 500 draws in 24 CPU-minutes, min bulk-ESS 71. */
const SIMULATED_STAN_RATE = Number((71 / (24 * 60)).toFixed(3));

export async function bench(): Promise<string> {
  if (!process.env.BENCH_100K) return '';
  return [
    '## chees-100k (ChEES-HMC, 100,000 rows)',
    '',
    'y ~ Poisson(exp(0.5 + 0.3 x + b_g)), b_g ~ N(0, 0.5²), 1,000 groups of 100 rows (simulatedPoisson, seed 1); `y ~ x + (1|g)` with the default priors, run on tfjs-wasm as fit() ran it before the large-data rule (Laplace, centring choice, ChEES with chooseChains\' memory-rule chains and 100 draws, warmup stopped by nested R-hat; fit() now runs this model with 32 chains on the plain-JS density, not measured here). Stan = 71 / (24 × 60) min bulk-ESS per CPU-second (issue 7, non-centred).',
    '',
    ...HEADER,
    await simulatedRow(),
    '',
  ].join('\n');
}
