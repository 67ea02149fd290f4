/**
 * A derivative-free trust-region minimizer on full quadratic models (Powell 2002, "UOBYQA: unconstrained
 * optimization by quadratic approximation", Math. Program. 92:555; lme4's BOBYQA, Powell 2009, is its
 * bounded successor): the model interpolates the (d+1)(d+2)/2 evaluated points nearest the best one,
 * its minimizer within the trust region (Moré & Sorensen 1983 on the model's eigen-decomposition) is
 * the next point, and the region grows or shrinks with the ratio of actual to predicted decrease (Powell's
 * BOBYQA rules: never below half after a good step). It stops when a model valid within 2δ predicts less
 * than ftol·(1 + |f|) inside the region, or the radius reaches xtol. Optional lower bounds (lme4's: θ
 * diagonals ≥ 0): the criterion is even in each column of T_θ, so without them a step may cross into the
 * mirror image and learn nothing; with them the step is truncated at the bound (the caller still folds
 * signs). A point is never evaluated twice. On InstEval it took 126 evaluations where lme4's BOBYQA takes 52; lmm.ts now
 * uses it only for models with vector-valued terms (scalar terms go to src/linalg/quasi-newton.ts on the analytic gradient: 32).
 */
import { solveSpd } from '../linalg/cholesky.js';
import { symEigen } from '../linalg/dense.js';

/** Options of {@link trustRegion}. */
export interface TrustRegionOptions {
  /** Initial radius (default 0.5·max(1, |x0|∞)). */
  readonly radius?: number;
  /** Stop when an accepted step is shorter than xtol·max(1, |x|∞) or the region shrinks below it (default 1e-9). */
  readonly xtol?: number;
  readonly maxEval?: number;
  /** Stop when a valid model (its points within 2δ) has its minimum inside the region and predicts less than ftol·(1 + |f|) decrease (default 1e-13). */
  readonly ftol?: number;
  /** Lower bounds (lme4's `lower`: 0 on the template diagonals, −∞ elsewhere); the criterion is even in each
   * bounded coordinate, so steps stop at the bound instead of crossing into its mirror image (default: none). */
  readonly lower?: ArrayLike<number>;
}

/** The minimizer's answer. */
export interface TrustRegionResult {
  readonly x: Float64Array;
  readonly value: number;
  readonly evaluations: number;
  readonly converged: boolean;
}

/** Quadratic model c + gᵀs + ½ sᵀHs in coordinates s = (x − centre)/scale. */
interface Model { readonly g: Float64Array; readonly H: Float64Array }

/** The basis of a full quadratic in d variables at s: 1, s_i, s_i s_j (i ≤ j; ½ s_i² on the diagonal). */
function basis(s: Float64Array, d: number, out: Float64Array): void {
  out[0] = 1;
  let m = 1;
  for (let i = 0; i < d; i++) out[m++] = s[i];
  for (let i = 0; i < d; i++) for (let j = i; j < d; j++) out[m++] = i === j ? 0.5 * s[i] * s[i] : s[i] * s[j];
}

/** Least-squares quadratic through the points (scaled about the centre); null when their geometry does not determine it. */
function fitModel(pts: readonly Float64Array[], vals: readonly number[], centre: Float64Array, scale: number, d: number): Model | null {
  const m = ((d + 1) * (d + 2)) / 2;
  const A = new Float64Array(m * m), b = new Float64Array(m), phi = new Float64Array(m), s = new Float64Array(d);
  pts.forEach((x, k) => {
    for (let i = 0; i < d; i++) s[i] = (x[i] - centre[i]) / scale;
    basis(s, d, phi);
    for (let a = 0; a < m; a++) { b[a] += phi[a] * vals[k]; for (let c = 0; c < m; c++) A[a * m + c] += phi[a] * phi[c]; }
  });
  let maxDiag = 0;
  for (let a = 0; a < m; a++) maxDiag = Math.max(maxDiag, A[a * m + a]);
  const coef = solveSpd(A, b, m, 1e-13 * maxDiag);
  if (!coef.every(Number.isFinite)) return null;
  // a determined fit reproduces the values; a degenerate one (floored pivots) does not
  const g = coef.slice(1, 1 + d), H = new Float64Array(d * d);
  let q = 1 + d;
  for (let i = 0; i < d; i++) for (let j = i; j < d; j++) { H[i * d + j] = coef[q]; H[j * d + i] = coef[q]; q++; }
  let minPivot = Infinity;
  for (let a = 0; a < m; a++) minPivot = Math.min(minPivot, A[a * m + a]);
  return minPivot > 1e-10 * maxDiag ? { g, H } : null;
}

/** argmin gᵀs + ½ sᵀHs over |s| ≤ 1 (the trust-region subproblem by the eigen-decomposition of H). */
function trustStep(mod: Model, d: number): Float64Array {
  const { values, vectors } = symEigen(mod.H, d);
  const gt = new Float64Array(d);
  for (let j = 0; j < d; j++) { let v = 0; for (let i = 0; i < d; i++) v += vectors[i * d + j] * mod.g[i]; gt[j] = v; }
  const norm = (lam: number): number => { let s = 0; for (let j = 0; j < d; j++) s += (gt[j] / (values[j] + lam)) ** 2; return Math.sqrt(s); };
  const lmin = values[d - 1];
  let lam = 0;
  if (!(lmin > 0 && norm(0) <= 1)) {
    let lo = Math.max(0, -lmin) + 1e-12, hi = lo + 1;
    while (norm(hi) > 1) hi *= 2;
    for (let it = 0; it < 100; it++) { const mid = 0.5 * (lo + hi); if (norm(mid) > 1) lo = mid; else hi = mid; }
    lam = hi;
  }
  const s = new Float64Array(d);
  for (let j = 0; j < d; j++) { const c = -gt[j] / (values[j] + lam); for (let i = 0; i < d; i++) s[i] += vectors[i * d + j] * c; }
  return s;
}

/**
 * The trust step with bounds: the unbounded step, and where it leaves the box the offending coordinates
 * fixed at their bounds and the rest re-solved in what remains of the unit ball (an active set; BOBYQA's
 * truncated step, Powell 2009 §3, simplified).
 */
function boundedStep(mod: Model, d: number, best: Float64Array, delta: number, lower: ArrayLike<number> | undefined): Float64Array {
  const s = new Float64Array(d);
  const fixed = new Array<boolean>(d).fill(false);
  for (let round = 0; round <= d; round++) {
    const free = Array.from({ length: d }, (_, i) => i).filter((i) => !fixed[i]);
    let used = 0;
    for (let i = 0; i < d; i++) if (fixed[i]) used += s[i] * s[i];
    const rad = Math.sqrt(Math.max(0, 1 - used));
    const nf = free.length;
    if (nf === 0 || rad === 0) { for (const i of free) s[i] = 0; return s; }
    const g = new Float64Array(nf), H = new Float64Array(nf * nf);
    free.forEach((i, a) => {
      let v = mod.g[i];
      for (let j = 0; j < d; j++) if (fixed[j]) v += mod.H[i * d + j] * s[j];
      g[a] = rad * v;
      free.forEach((j, b) => (H[a * nf + b] = rad * rad * mod.H[i * d + j]));
    });
    const t = trustStep({ g, H }, nf);
    free.forEach((i, a) => (s[i] = rad * t[a]));
    let clipped = false;
    for (const i of free) {
      if (lower && best[i] + delta * s[i] < lower[i]) { s[i] = (lower[i] - best[i]) / delta; fixed[i] = true; clipped = true; }
    }
    if (!clipped) return s;
  }
  return s;
}

/** Minimizes f from x0 (see the file comment); `evaluations` counts calls of f. */
export function trustRegion(f: (x: Float64Array) => number, x0: ArrayLike<number>, opts: TrustRegionOptions = {}): TrustRegionResult {
  const d = x0.length, m = ((d + 1) * (d + 2)) / 2;
  const maxEval = opts.maxEval ?? 2000, xtol = opts.xtol ?? 1e-9, ftol = opts.ftol ?? 1e-13, lower = opts.lower;
  /** x with coordinate i moved by h, or by 2|h| upwards where that would cross its bound (BOBYQA's initial points). */
  const offset = (x: Float64Array, i: number, h: number): void => { x[i] += lower && x[i] + h < lower[i] ? 2 * Math.abs(h) : h; };
  const pts: Float64Array[] = [], vals: number[] = [];
  /** f at x, never twice at the same point. */
  const F = (x: Float64Array): number => {
    const k = pts.findIndex((p) => p.every((v, i) => v === x[i]));
    if (k >= 0) return vals[k];
    const v = f(x);
    const fv = Number.isFinite(v) ? v : Infinity;
    pts.push(x); vals.push(fv);
    return fv;
  };
  let best: Float64Array = Float64Array.from(x0);
  let fb = F(best);
  let delta = opts.radius ?? 0.5 * Math.max(1, ...Array.from(x0, Math.abs));
  /** The interpolation stencil around the best point at the current radius. */
  const stencil = (): void => {
    const c = Float64Array.from(best);
    for (let i = 0; i < d; i++) for (const sg of [1, -1]) { const x = Float64Array.from(c); offset(x, i, sg * delta); F(x); }
    for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) { const x = Float64Array.from(c); x[i] += delta; x[j] += delta; F(x); }
    for (let k = 0; k < vals.length; k++) if (vals[k] < fb) { fb = vals[k]; best = pts[k]; }
  };
  /** One point of the stencil (cycling through its offsets) at the current radius: replaces the farthest of the model's points. */
  let cycle = 0;
  const geometryPoint = (): void => {
    const offs = 2 * d + (d * (d - 1)) / 2;
    let o = cycle++ % offs;
    const x = Float64Array.from(best);
    if (o < 2 * d) offset(x, o >> 1, (o & 1 ? -1 : 1) * delta);
    else {
      o -= 2 * d;
      for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) if (o-- === 0) { x[i] += delta; x[j] += delta; }
    }
    if (F(x) < fb) { fb = vals[vals.length - 1]; best = x; }
  };
  stencil();
  let converged = false;
  let count = -1;
  while (pts.length < maxEval) {
    // an iteration that added no point (its points were all known) looks closer, so the loop always ends
    if (pts.length === count) {
      delta *= 0.5;
      if (delta < xtol * Math.max(1, ...Array.from(best, Math.abs))) { converged = true; break; }
    }
    count = pts.length;
    const near = pts.map((x, k) => ({ k, r: Math.hypot(...x.map((v, i) => v - best[i])) })).filter((e) => Number.isFinite(vals[e.k]))
      .sort((a, b) => a.r - b.r).filter((e, j) => j === 0 || e.r > 1e-3 * delta).slice(0, m); // copies of the best point would make the fit singular
    if (near.length === m && near[m - 1].r > 4 * delta) { geometryPoint(); continue; }
    const mod = near.length === m ? fitModel(near.map((e) => pts[e.k]), near.map((e) => vals[e.k]), best, delta, d) : null;
    if (!mod) { stencil(); continue; }
    const s = boundedStep(mod, d, best, delta, lower);
    let pred = 0;
    for (let i = 0; i < d; i++) { pred -= mod.g[i] * s[i]; for (let j = 0; j < d; j++) pred -= 0.5 * s[i] * mod.H[i * d + j] * s[j]; }
    const sn = Math.hypot(...s);
    const valid = near[m - 1].r <= 2 * delta;
    // a valid model whose minimum lies inside the region and gains less than ftol: converged (cf. BOBYQA's ftol in lme4's nloptwrap)
    if (valid && sn < 1 && pred <= ftol * (1 + Math.abs(fb))) { converged = true; break; }
    const x = Float64Array.from(best, (v, i) => v + delta * s[i]);
    const nBefore = pts.length;
    const fx = F(x);
    if (pts.length === nBefore) continue; // the step landed on a known point: the radius is too large for the model (halved above)
    const rho = pred > 0 ? (fb - fx) / pred : -1;
    if (fx < fb) { fb = fx; best = x; }
    const scale = Math.max(1, ...Array.from(best, Math.abs));
    if (rho >= 0.25 && pred <= 1e-15 * (1 + Math.abs(fb))) { converged = true; break; } // the model sees nothing left at rounding level
    // Powell's radius update (BOBYQA): never below half the radius after a good step
    if (rho > 0.7) delta = Math.max(0.5 * delta, 2 * sn * delta);
    else if (rho > 0.1) delta = Math.max(0.5 * delta, sn * delta);
    else if (!valid) geometryPoint(); // a poor step: first make the model valid (all its points within 2δ), only then shrink (UOBYQA)
    else delta = Math.min(0.5 * delta, sn * delta);
    if (delta < xtol * scale) { converged = true; break; } // no decrease found at the final radius (BOBYQA reaching rhoend)
  }
  return { x: best, value: fb, evaluations: pts.length, converged };
}
