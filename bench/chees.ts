/**
 * Speed of ChEES-HMC (src/sampler/chees.ts), warmup included in every rate:
 * minimum bulk-ESS (diagnostics/ess.ts, rank-normalized, over all chains) per CPU-second
 * (process.cpuUsage, user + system) against Stan's figure where the reference has one
 * (test/fixtures/chees-references.json `stan.min_bulk_ess_per_cpu_second`), the share of wall time spent
 * outside the log density (the sampler's own cost), leapfrog steps per transition and batched calls.
 * Targets: hand-written float64 densities (iid normal, eight schools) and the reference GLMMs on the tfjs
 * log density (glmmRow below, the cases of validation/chees.ts).
 */
import { parameterMatrix, type Draws } from '../diagnostics/draws.js';
import { essBulk } from '../diagnostics/ess.js';
import type { Target } from '../src/sampler/target.js';
import { sampleChees, type CheesOptions, type CheesResult } from '../src/sampler/chees.js';
import { eightSchools, iidNormal } from '../test/sampler/chees-targets.js';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { compare, loadCase, REFERENCE_CASES, referenceOf, repoFile } from '../validation/chees.js';
import { laplaceStart, runLaplace } from '../src/fit/laplace.js';
import { samplingSpec } from '../src/fit/centering.js';
import { compileLogDensity } from '../src/target/compile.js';
import { constrainDraws } from '../src/target/constrain.js';
import { useBackend, type BackendName } from '../src/logdensity/tfjs.js';
import { chooseChains } from '../src/sampler/adaptation/chees-chains.js';
import { makeRng } from '../src/sampler/rng.js';

/** Wraps a target to time its log-density calls. */
export function timed(t: Target): Target & { seconds: () => number } {
  let ns = 0n;
  return {
    dim: t.dim,
    names: t.names,
    seconds: () => Number(ns) / 1e9,
    logDensity(q, n) {
      const t0 = process.hrtime.bigint();
      const r = t.logDensity(q, n);
      ns += process.hrtime.bigint() - t0;
      return r;
    },
  };
}

/** One measured run: CPU and wall seconds, the result, min bulk ESS over `params` (default all coordinates),
 * computed on `transform(draws)` when given (e.g. the model's constrained parameters). */
export async function measure(target: Target, opts: CheesOptions, params?: readonly string[], transform?: (d: Draws) => Draws) {
  const t = timed(target);
  const cpu0 = process.cpuUsage();
  const w0 = process.hrtime.bigint();
  const r: CheesResult = await sampleChees(t, opts);
  const wall = Number(process.hrtime.bigint() - w0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuSec = (cpu.user + cpu.system) / 1e6;
  const d = transform ? transform(r.draws) : r.draws;
  const ps = params ? params.map((p) => d.names.indexOf(p)) : d.names.map((_, i) => i);
  let minEss = Infinity;
  let worst = '';
  for (const p of ps) {
    if (p < 0) throw new Error('bench: a parameter is missing from the draws');
    const e = essBulk(parameterMatrix(d, p), d.nDraws);
    if (!(e >= minEss)) {
      minEss = e;
      worst = d.names[p];
    }
  }
  return { r, wall, cpuSec, minEss, worst, outside: 1 - t.seconds() / wall };
}

/** A markdown table row for one measured run. */
export function rowOf(name: string, m: Awaited<ReturnType<typeof measure>>, stan?: number): string {
  const { r } = m;
  const rate = m.minEss / m.cpuSec;
  return `| ${name} | ${r.draws.nChains} × ${r.draws.nDraws} | ${r.warmupIterations} | ${r.stepSize.toPrecision(3)} | ${r.nLeapfrogMean.toFixed(1)} | ${r.batchedCalls} | ${m.wall.toFixed(2)} | ${m.cpuSec.toFixed(2)} | ${(100 * m.outside).toFixed(0)}% | ${Math.round(m.minEss)} (${m.worst}) | ${rate >= 10 ? Math.round(rate) : rate.toPrecision(3)} | ${stan === undefined ? '–' : `${stan} (${(rate / stan).toFixed(2)}×)`} | ${r.divergences} |`;
}

/** Table header matching {@link rowOf}. */
export const HEADER = [
  '| target | chains × draws | warmup its | step size | n* = T/ε | batched calls | wall s | CPU s | time outside log density | min bulk-ESS (param) | min bulk-ESS per CPU-s | Stan (ratio) | divergences |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
];

/** Mean wall milliseconds of one batched call with `chains` chains at a small random point. */
function msPerCall(target: Target, chains: number, reps = 20): number {
  const rng = makeRng(7, 0);
  const q = Float64Array.from({ length: chains * target.dim }, () => 0.1 * rng.normal());
  target.logDensity(q, chains);
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) target.logDensity(q, chains);
  return (performance.now() - t0) / reps;
}

/** The faster backend for a case at `chains` chains (wasm where faster, cpu otherwise), with both timings. */
async function pickBackend(name: string, chains: number): Promise<{ backend: BackendName; ms: Record<string, number> }> {
  const ms: Record<string, number> = {};
  for (const b of ['wasm', 'cpu'] as const) {
    try {
      const { target } = await loadCase(name, b);
      ms[b] = msPerCall(target, chains);
      target.dispose?.();
    } catch {
      ms[b] = Infinity;
    }
  }
  return { backend: ms.wasm <= ms.cpu ? 'wasm' : 'cpu', ms };
}

/** Draws per chain for the GLMM runs (× 1024 chains; with 500 the ~100 warmup iterations are under a fifth of the calls). */
const GLMM_DRAWS = 500;

/**
 * One reference GLMM as fit() runs it: the Laplace fit (its CPU time counted), the centring it chooses,
 * superchains started from its mode, chains from chooseChains, the faster backend; min bulk-ESS over the
 * reference parameters, and the largest |z| of the means and sds against rstan (combined MCSE, as
 * validation/chees.ts) so the default path is checked as well as timed.
 */
export async function glmmRow(name: string, draws = GLMM_DRAWS): Promise<string> {
  const probe = await loadCase(name, 'cpu');
  probe.target.dispose?.();
  const cpu0 = process.cpuUsage();
  const laplace = runLaplace(probe.spec, {});
  const { spec, centered } = samplingSpec(probe.spec, laplace, { family: REFERENCE_CASES[name].family });
  const init = laplace.error ? undefined : laplaceStart(spec, laplace);
  const c = process.cpuUsage(cpu0);
  const setupCpu = (c.user + c.system) / 1e6;
  const chains = chooseChains({ rows: spec.design.nobs, dim: spec.dim, draws });
  const { backend, ms } = await pickBackend(name, chains);
  await useBackend(backend);
  const target = compileLogDensity(spec, { backend });
  const ref = referenceOf(name);
  const m = await measure(target, { seed: 1, chains, draws, init }, Object.keys(ref.posterior), (d) => constrainDraws(spec, d));
  target.dispose?.();
  const cd = constrainDraws(spec, m.r.draws);
  let maxZ = 0;
  for (const [p, pref] of Object.entries(ref.posterior)) for (const row of compare(p, parameterMatrix(cd, cd.names.indexOf(p)), cd.nDraws, pref)) maxZ = Math.max(maxZ, Math.abs(row.z));
  const here = stanHere(name);
  const rate = m.minEss / (m.cpuSec + setupCpu);
  const label = `${name} (${backend}; wall ms/call wasm ${ms.wasm.toFixed(2)}, cpu ${ms.cpu.toFixed(2)}; ${centered.length ? `centred ${centered.join(', ')}` : 'non-centred'}; ` +
    `Laplace ${setupCpu.toFixed(2)} CPU s included; max |z| vs rstan ${maxZ.toFixed(2)}${here ? `; rstan on this machine ${here} (${(rate / here).toFixed(2)}×)` : ''})`;
  return rowOf(label, { ...m, cpuSec: m.cpuSec + setupCpu }, ref.stan.min_bulk_ess_per_cpu_second);
}

/** rstan's rate for a case measured on this very machine (bench/stan/same-machine.json), if this is that machine. */
function stanHere(name: string): number | undefined {
  try {
    const j = JSON.parse(readFileSync(repoFile('bench/stan/same-machine.json'), 'utf8')) as { cpu: string; rate: Record<string, number> };
    return cpus()[0]?.model === j.cpu ? j.rate[name] : undefined;
  } catch {
    return undefined;
  }
}

async function glmmRows(): Promise<string[]> {
  const rows: string[] = [];
  for (const name of Object.keys(REFERENCE_CASES)) rows.push(await glmmRow(name));
  return rows;
}

export async function bench(): Promise<string> {
  await sampleChees(iidNormal(new Float64Array(10).fill(1)), { seed: 0, chains: 64, warmup: 100, draws: 50 }); // JIT warm-up
  const D = 100;
  const scales = Float64Array.from({ length: D }, (_, i) => Math.pow(10, -1 + (2 * i) / (D - 1)));
  const rows = [
    rowOf('iid normal D = 100, sds 0.1…10', await measure(iidNormal(scales), { seed: 1, chains: 256, draws: 200 })),
    rowOf('eight schools non-centred', await measure(eightSchools(), { seed: 1, chains: 256, draws: 200 })),
  ];
  const glmm = await glmmRows();
  return [
    '## chees (ChEES-HMC)',
    '',
    'Warmup stops by nested R-hat (max 1000 iterations); rates include warmup; CPU seconds from process.cpuUsage (the machine may be shared). Hand-written float64 JS densities:',
    '',
    ...HEADER,
    ...rows,
    '',
    `Reference GLMMs (tfjs log density, src/target/compile.ts) as fit() runs them (Laplace first, its centring choice and starts), chains from chooseChains, ${GLMM_DRAWS} draws per chain, min bulk-ESS over the reference parameters (constrained), Stan = rstan 4 × (1000 + 4000) at adapt_delta 0.95 (0.99 rcbd):`,
    '',
    ...HEADER,
    ...glmm,
    '',
  ].join('\n');
}
