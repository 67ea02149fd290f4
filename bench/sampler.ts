/**
 * Speed of NUTS (src/sampler/nuts.ts), 4 chains × (1,000 warmup + 1,000 draws), warmup included in every
 * rate, on hand-written float64 log densities and on the six reference GLMMs (tfjs, see glmmRows):
 * - leapfrog steps (chain-gradient evaluations) and batched log-density calls per CPU-second;
 * - the share of time spent outside the log density (the sampler's own cost);
 * - minimum bulk-ESS over the coordinates per CPU-second (process.cpuUsage, user + system).
 * - batched calls saved by synchronising chains per leapfrog step rather than per iteration (sampling phase).
 * Targets: 100-D iid normal and eight schools non-centred (validation/eight-schools.ts); the GLMM part
 * takes about 30 CPU-minutes (rcbd_poisson at adapt_delta 0.99 alone ~15: ~460 leapfrog steps per draw).
 */
import { parameterMatrix } from '../diagnostics/draws.js';
import { essBulk } from '../diagnostics/ess.js';
import type { Target } from '../src/sampler/target.js';
import { sampleNuts } from '../src/sampler/nuts.js';
import { iidNormal } from '../test/sampler/targets.js';
import { eightSchoolsNoncentered } from '../validation/eight-schools.js';
import { constrainDraws } from '../src/target/constrain.js';
import type { BackendName } from '../src/logdensity/tfjs.js';
import { loadCase, REFERENCE_CASES, referenceOf } from '../validation/chees.js';

/** Wraps a target to time its log-density calls. */
function timed(t: Target): Target & { ns: () => number } {
  let ns = 0n;
  return {
    dim: t.dim,
    names: t.names,
    ns: () => Number(ns),
    logDensity(q, n) {
      const t0 = process.hrtime.bigint();
      const r = t.logDensity(q, n);
      ns += process.hrtime.bigint() - t0;
      return r;
    },
  };
}

async function row(name: string, target: Target): Promise<string> {
  const t = timed(target);
  const cpu0 = process.cpuUsage();
  const w0 = process.hrtime.bigint();
  const r = await sampleNuts(t, { seed: 1, chains: 4, warmup: 1000, draws: 1000 });
  const wall = Number(process.hrtime.bigint() - w0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuSec = (cpu.user + cpu.system) / 1e6;
  const evals = r.gradientEvaluations.reduce((a, b) => a + b, 0);
  let minEss = Infinity;
  for (let p = 0; p < target.dim; p++) minEss = Math.min(minEss, essBulk(parameterMatrix(r.draws, p), r.draws.nDraws));
  const densityShare = t.ns() / 1e9 / wall;
  // Batched calls in the sampling phase if chains waited for each other at every iteration (Σ_d max_c n)
  // against leapfrog-level lockstep (max_c Σ_d n), from the n_leapfrog__ column.
  const K = r.sampler.names.length;
  const N = r.sampler.nDraws;
  let sync = 0;
  const perChain = new Float64Array(4);
  for (let d = 0; d < N; d++) {
    let m = 0;
    for (let c = 0; c < 4; c++) {
      const n = r.sampler.data[(c * N + d) * K + 4];
      m = Math.max(m, n);
      perChain[c] += n;
    }
    sync += m;
  }
  const saved = 1 - Math.max(...perChain) / sync;
  return `| ${name} | ${wall.toFixed(2)} | ${cpuSec.toFixed(2)} | ${Math.round(evals / cpuSec).toLocaleString('en')} | ${Math.round(r.batchedCalls / cpuSec).toLocaleString('en')} | ${(evals / (4 * 2000)).toFixed(1)} | ${(100 * (1 - densityShare)).toFixed(0)}% | ${Math.round(minEss)} | ${Math.round(minEss / cpuSec)} | ${(100 * saved).toFixed(0)}% |`;
}

/** Mean CPU milliseconds of one 4-chain call on a backend (after 5 warm-up calls). */
async function msPerCall(name: string, backend: BackendName): Promise<number> {
  try {
    const { target } = await loadCase(name, backend);
    const q = new Float64Array(4 * target.dim).fill(0.1);
    for (let i = 0; i < 5; i++) target.logDensity(q, 4);
    const c0 = process.cpuUsage();
    for (let i = 0; i < 30; i++) target.logDensity(q, 4);
    const c = process.cpuUsage(c0);
    target.dispose?.();
    return (c.user + c.system) / 1000 / 30;
  } catch {
    return Infinity;
  }
}

/**
 * The six reference GLMMs (validation/chees.ts cases: examples/data, test/fixtures/chees-references.json)
 * on the tfjs log density, NUTS 4 × (1000 + 1000) at the reference adapt_delta, on the faster backend:
 * min bulk-ESS over the reference (constrained) parameters per CPU-second beside Stan's figure
 * (rstan 4 × (1000 + 4000)), and leapfrog steps per draw.
 */
async function glmmRows(): Promise<string[]> {
  const rows: string[] = [];
  for (const name of Object.keys(REFERENCE_CASES)) {
    const ms = { cpu: await msPerCall(name, 'cpu'), wasm: await msPerCall(name, 'wasm') };
    const backend: BackendName = ms.wasm <= ms.cpu ? 'wasm' : 'cpu';
    const { spec, target } = await loadCase(name, backend);
    const ref = referenceOf(name) as ReturnType<typeof referenceOf> & { stan: { adapt_delta: number } };
    const cpu0 = process.cpuUsage();
    const r = await sampleNuts(target, { seed: 1, chains: 4, warmup: 1000, draws: 1000, adaptDelta: ref.stan.adapt_delta });
    const cpu = process.cpuUsage(cpu0);
    target.dispose?.();
    const cpuSec = (cpu.user + cpu.system) / 1e6;
    const d = constrainDraws(spec, r.draws);
    let minEss = Infinity;
    let worst = '';
    for (const p of Object.keys(ref.posterior)) {
      const e = essBulk(parameterMatrix(d, d.names.indexOf(p)), d.nDraws);
      if (!(e >= minEss)) {
        minEss = e;
        worst = p;
      }
    }
    const K = r.sampler.names.length;
    let nl = 0;
    for (let k = 4; k < r.sampler.data.length; k += K) nl += r.sampler.data[k];
    const rate = minEss / cpuSec;
    const stan = ref.stan.min_bulk_ess_per_cpu_second;
    rows.push(
      `| ${name} | ${ref.stan.adapt_delta} | ${backend} (${ms[backend].toFixed(2)} ms/call) | ${cpuSec.toFixed(1)} | ${(nl / (4 * r.draws.nDraws)).toFixed(1)} | ` +
        `${Array.from(r.stepSize).map((e) => e.toPrecision(2)).join(', ')} | ${r.divergences} | ${Math.round(minEss)} (${worst}) | ${rate.toFixed(1)} | ${stan} | ${(rate / stan).toFixed(3)} |`,
    );
  }
  return rows;
}

export async function bench(): Promise<string> {
  await sampleNuts(iidNormal(10), { seed: 0, chains: 2, warmup: 200, draws: 200 }); // JIT warm-up
  const rows = [await row('iid normal, D = 100', iidNormal(100)), await row('eight schools non-centred, D = 10', eightSchoolsNoncentered())];
  return [
    '## sampler (NUTS)',
    '',
    '4 chains × (1000 warmup + 1000 draws), seed 1, diag metric, adapt_delta 0.8; float64 JS log densities; warmup included in every rate. Rates use CPU time (the machine may be shared); the share outside the log density is of wall time.',
    '',
    '| target | wall s | CPU s | leapfrog steps per CPU-s | batched calls per CPU-s | evaluations per iteration | time outside log density | min bulk-ESS | min bulk-ESS per CPU-s | calls saved vs per-iteration sync |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    'Reference GLMMs on the tfjs log density (src/target/compile.ts), 4 chains × (1000 warmup + 1000 draws), seed 1, adapt_delta as the reference; min bulk-ESS over the reference parameters (constrained scale); Stan = rstan 4 × (1000 + 4000), warmup included in both rates:',
    '',
    '| model | adapt_delta | backend | CPU s | leapfrog steps per draw | step sizes | divergences | min bulk-ESS (param) | min bulk-ESS per CPU-s | Stan | ratio |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...(await glmmRows()),
    '',
  ].join('\n');
}
