/**
 * Speed of ChEES-HMC (src/sampler/chees.ts), warmup included in every rate:
 * minimum bulk-ESS (diagnostics/ess.ts, rank-normalized, over all chains) per CPU-second
 * (process.cpuUsage, user + system) against Stan's figure where the reference has one
 * (test/fixtures/chees-references.json `stan.min_bulk_ess_per_cpu_second`), the share of wall time spent
 * outside the log density (the sampler's own cost), leapfrog steps per transition and batched calls.
 * Targets: hand-written float64 densities (iid normal, eight schools) and the reference GLMMs on the tfjs
 * log density (bench/chees-glmm.ts).
 */
import { parameterMatrix } from '../diagnostics/draws.js';
import { essBulk } from '../diagnostics/ess.js';
import type { Target } from '../src/logdensity/contract.js';
import { sampleChees, type CheesOptions, type CheesResult } from '../src/sampler/chees.js';
import { eightSchools, iidNormal } from '../test/sampler/chees-targets.js';

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

/** One measured run: CPU and wall seconds, the result, min bulk ESS over `params` (default all). */
export async function measure(target: Target, opts: CheesOptions, params?: readonly number[]) {
  const t = timed(target);
  const cpu0 = process.cpuUsage();
  const w0 = process.hrtime.bigint();
  const r: CheesResult = await sampleChees(t, opts);
  const wall = Number(process.hrtime.bigint() - w0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuSec = (cpu.user + cpu.system) / 1e6;
  const ps = params ?? Array.from({ length: target.dim }, (_, i) => i);
  let minEss = Infinity;
  let worst = '';
  for (const p of ps) {
    const e = essBulk(parameterMatrix(r.draws, p), r.draws.nDraws);
    if (e < minEss) {
      minEss = e;
      worst = r.draws.names[p];
    }
  }
  return { r, wall, cpuSec, minEss, worst, outside: 1 - t.seconds() / wall };
}

/** A markdown table row for one measured run. */
export function rowOf(name: string, m: Awaited<ReturnType<typeof measure>>, stan?: number): string {
  const { r } = m;
  const rate = m.minEss / m.cpuSec;
  return `| ${name} | ${r.draws.nChains} × ${r.draws.nDraws} | ${r.warmupIterations} | ${r.stepSize.toPrecision(3)} | ${r.nLeapfrogMean.toFixed(1)} | ${r.batchedCalls} | ${m.wall.toFixed(2)} | ${m.cpuSec.toFixed(2)} | ${(100 * m.outside).toFixed(0)}% | ${Math.round(m.minEss)} (${m.worst}) | ${Math.round(rate)} | ${stan === undefined ? '–' : `${stan} (${(rate / stan).toFixed(2)}×)`} | ${r.divergences} |`;
}

/** Table header matching {@link rowOf}. */
export const HEADER = [
  '| target | chains × draws | warmup its | step size | n* = T/ε | batched calls | wall s | CPU s | time outside log density | min bulk-ESS (param) | min bulk-ESS per CPU-s | Stan (ratio) | divergences |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
];

export async function bench(): Promise<string> {
  await sampleChees(iidNormal(new Float64Array(10).fill(1)), { seed: 0, chains: 64, warmup: 100, draws: 50 }); // JIT warm-up
  const D = 100;
  const scales = Float64Array.from({ length: D }, (_, i) => Math.pow(10, -1 + (2 * i) / (D - 1)));
  const rows = [
    rowOf('iid normal D = 100, sds 0.1…10', await measure(iidNormal(scales), { seed: 1, chains: 256, draws: 200 })),
    rowOf('eight schools non-centred', await measure(eightSchools(), { seed: 1, chains: 256, draws: 200 })),
  ];
  return [
    '## chees (ChEES-HMC)',
    '',
    'Warmup stops by nested R-hat (max 1000 iterations); rates include warmup; CPU seconds from process.cpuUsage (the machine may be shared). Hand-written float64 JS densities:',
    '',
    ...HEADER,
    ...rows,
    '',
  ].join('\n');
}
