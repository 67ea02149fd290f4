/**
 * One NUTS transition exactly as Stan's base_nuts.hpp (stan-dev/stan@9048555 L78-204 `transition`,
 * L247-352 `build_tree`, L222-226 `compute_criterion`); see reference/algorithms.md §1.2.
 * - Multinomial sampling with weights exp(H0 − h): biased progressive at the top level, uniform
 *   progressive when merging the two halves of a subtree (Betancourt 2017, arXiv:1701.02434 §A.3).
 * - Generalised U-turn criterion p♯₋·ρ > 0 and p♯₊·ρ > 0 on the whole (sub)tree plus the two extra
 *   checks across the halves (stan commit f2e6464, v2.21).
 * - Divergence when H − H0 > 1000 (NaN read as +∞); accept_stat = Σ min(1, exp(H0 − h)) / n_leapfrog
 *   over every leapfrog state, including a rejected last subtree.
 * Written as a generator: it yields each position to evaluate and receives its {logp, grad}, so a
 * driver (chains.ts) can serve many chains with one batched log-density call.
 */
import { leapfrog, type Evaluation, type PhasePoint } from './integrator.js';
import type { Metric } from './metric.js';
import type { Rng } from './rng.js';

/** Stan's max_deltaH (base_nuts.hpp L27): the energy error that counts as a divergence. */
export const MAX_DELTA_H = 1000;

/** Outcome of one transition: the new point (with its sampled momentum) and Stan's sampler columns. */
export interface TransitionInfo {
  readonly z: PhasePoint;
  readonly acceptStat: number;
  readonly treedepth: number;
  readonly nLeapfrog: number;
  readonly divergent: boolean;
  /** H at the selected point with its own momentum (CmdStan's energy__). */
  readonly energy: number;
}

interface Counters {
  nLeapfrog: number;
  sumMetro: number;
  divergent: boolean;
}

interface Subtree {
  readonly zEnd: PhasePoint;
  readonly zPropose: PhasePoint;
  readonly pBeg: Float64Array;
  readonly pEnd: Float64Array;
  readonly psBeg: Float64Array;
  readonly psEnd: Float64Array;
  readonly rho: Float64Array;
  readonly logW: number;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** compute_criterion(ps₋, ps₊, ρ + v): ps₊·(ρ+v) > 0 && ps₋·(ρ+v) > 0, without allocating ρ + v. */
function criterion(psMinus: Float64Array, psPlus: Float64Array, rho: Float64Array, v?: Float64Array): boolean {
  const a = dot(psPlus, rho) + (v ? dot(psPlus, v) : 0);
  const b = dot(psMinus, rho) + (v ? dot(psMinus, v) : 0);
  return a > 0 && b > 0;
}

function logSumExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

function addInto(out: Float64Array, a: Float64Array, b: Float64Array): Float64Array {
  for (let i = 0; i < out.length; i++) out[i] = a[i] + b[i];
  return out;
}

/** build_tree: a subtree of 2^depth leapfrog steps from `z` in direction `sign`; null if invalid. */
function* buildTree(
  depth: number,
  z: PhasePoint,
  sign: number,
  eps: number,
  H0: number,
  metric: Metric,
  rng: Rng,
  k: Counters,
): Generator<Float64Array, Subtree | null, Evaluation> {
  if (depth === 0) {
    const z1 = yield* leapfrog(z, sign * eps, metric);
    k.nLeapfrog += 1;
    const ps = new Float64Array(metric.dim);
    metric.sharp(z1.p, ps);
    let h = -z1.logp + 0.5 * dot(z1.p, ps);
    if (Number.isNaN(h)) h = Infinity;
    if (h - H0 > MAX_DELTA_H) k.divergent = true;
    k.sumMetro += H0 - h > 0 ? 1 : Math.exp(H0 - h);
    if (k.divergent) return null;
    return { zEnd: z1, zPropose: z1, pBeg: z1.p, pEnd: z1.p, psBeg: ps, psEnd: ps, rho: Float64Array.from(z1.p), logW: H0 - h };
  }
  const init = yield* buildTree(depth - 1, z, sign, eps, H0, metric, rng, k);
  if (init === null) return null;
  const fin = yield* buildTree(depth - 1, init.zEnd, sign, eps, H0, metric, rng, k);
  if (fin === null) return null;
  const logW = logSumExp(init.logW, fin.logW);
  let zPropose = init.zPropose;
  if (fin.logW > logW) zPropose = fin.zPropose;
  else if (rng.uniform() < Math.exp(fin.logW - logW)) zPropose = fin.zPropose;
  const ok =
    criterion(init.psBeg, fin.psEnd, addInto(new Float64Array(metric.dim), init.rho, fin.rho)) &&
    criterion(init.psBeg, fin.psBeg, init.rho, fin.pBeg) &&
    criterion(init.psEnd, fin.psEnd, fin.rho, init.pEnd);
  if (!ok) return null;
  const rho = addInto(init.rho, init.rho, fin.rho); // init.rho is no longer needed: reuse it for ρ_subtree
  return { zEnd: fin.zEnd, zPropose, pBeg: init.pBeg, pEnd: fin.pEnd, psBeg: init.psBeg, psEnd: fin.psEnd, rho, logW };
}

/**
 * One NUTS transition from `z0` (its q, logp, grad; the momentum is redrawn) with step size `eps`,
 * inverse metric `metric` and tree depth at most `maxDepth`.
 */
export function* nutsTransition(
  z0: PhasePoint,
  eps: number,
  metric: Metric,
  rng: Rng,
  maxDepth: number,
): Generator<Float64Array, TransitionInfo, Evaluation> {
  const D = metric.dim;
  const p = new Float64Array(D);
  metric.sampleMomentum(rng, p);
  const z: PhasePoint = { q: z0.q, p, logp: z0.logp, grad: z0.grad };
  const ps = new Float64Array(D);
  metric.sharp(p, ps);
  let H0 = -z.logp + 0.5 * dot(p, ps);
  if (Number.isNaN(H0)) H0 = Infinity;
  let zFwd = z;
  let zBck = z;
  let zSample = z;
  let pFF: Float64Array = p, pFB: Float64Array = p, pBF: Float64Array = p, pBB: Float64Array = p;
  let psFF: Float64Array = ps, psFB: Float64Array = ps, psBF: Float64Array = ps, psBB: Float64Array = ps;
  let rho: Float64Array = Float64Array.from(p);
  let logW = 0;
  let depth = 0;
  const k: Counters = { nLeapfrog: 0, sumMetro: 0, divergent: false };
  while (depth < maxDepth) {
    let rhoF: Float64Array;
    let rhoB: Float64Array;
    let sub: Subtree | null;
    if (rng.uniform() > 0.5) {
      // Extend forward: the old trajectory becomes the backward part.
      rhoB = rho;
      pBF = pFF;
      psBF = psFF;
      sub = yield* buildTree(depth, zFwd, 1, eps, H0, metric, rng, k);
      if (sub === null) break;
      zFwd = sub.zEnd;
      rhoF = sub.rho;
      pFB = sub.pBeg; psFB = sub.psBeg; pFF = sub.pEnd; psFF = sub.psEnd;
    } else {
      rhoF = rho;
      pFB = pBB;
      psFB = psBB;
      sub = yield* buildTree(depth, zBck, -1, eps, H0, metric, rng, k);
      if (sub === null) break;
      zBck = sub.zEnd;
      rhoB = sub.rho;
      pBF = sub.pBeg; psBF = sub.psBeg; pBB = sub.pEnd; psBB = sub.psEnd;
    }
    depth += 1;
    if (sub.logW > logW) zSample = sub.zPropose;
    else if (rng.uniform() < Math.exp(sub.logW - logW)) zSample = sub.zPropose;
    logW = logSumExp(logW, sub.logW);
    rho = addInto(new Float64Array(D), rhoB, rhoF);
    const ok = criterion(psBB, psFF, rho) && criterion(psBB, psFB, rhoB, pFB) && criterion(psBF, psFF, rhoF, pBF);
    if (!ok) break;
  }
  let energy = -zSample.logp + metric.kinetic(zSample.p);
  if (Number.isNaN(energy)) energy = Infinity;
  return {
    z: zSample,
    acceptStat: k.nLeapfrog > 0 ? k.sumMetro / k.nLeapfrog : 0,
    treedepth: depth,
    nLeapfrog: k.nLeapfrog,
    divergent: k.divergent,
    energy,
  };
}
