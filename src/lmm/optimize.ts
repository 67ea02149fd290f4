/**
 * A small Nelder–Mead minimizer (Nelder & Mead 1965; Gao & Han 2012 adaptive coefficients) with
 * restarts, for the few covariance parameters of the linear mixed model's profiled criterion.
 * Bounds are not needed there: the criterion is invariant to the sign of each column of T_θ, so
 * the minimizer runs unconstrained and the caller folds the signs afterwards.
 */
export interface NelderMeadResult {
  readonly x: Float64Array;
  readonly value: number;
  readonly evaluations: number;
  readonly converged: boolean;
}

/** Minimizes f from x0; stops when the simplex is smaller than xtol and its values within ftol, then restarts until a restart gains nothing. */
export function nelderMead(f: (x: Float64Array) => number, x0: ArrayLike<number>,
  opts: { xtol?: number; ftol?: number; maxEval?: number; step?: number } = {}): NelderMeadResult {
  const d = x0.length, xtol = opts.xtol ?? 1e-10, ftol = opts.ftol ?? 1e-14, maxEval = opts.maxEval ?? 20000;
  let evals = 0;
  const F = (x: Float64Array): number => { evals++; const v = f(x); return Number.isFinite(v) ? v : Infinity; };
  const a = 1, b = 1 + 2 / d, g = 0.75 - 1 / (2 * d), s = 1 - 1 / d;
  let best = Float64Array.from(x0), bestF = F(best), converged = false;
  for (let restart = 0; restart < 20 && evals < maxEval; restart++) {
    const pts: Float64Array[] = [Float64Array.from(best)];
    for (let i = 0; i < d; i++) {
      const x = Float64Array.from(best);
      x[i] += restart === 0 ? (opts.step ?? 0.5) * Math.max(1, Math.abs(x[i])) : 0.05 * Math.max(0.1, Math.abs(x[i]));
      pts.push(x);
    }
    let vals = pts.map(F);
    converged = false;
    while (evals < maxEval) {
      const order = vals.map((v, i) => i).sort((i, j) => vals[i] - vals[j]);
      const P = order.map((i) => pts[i]), V = order.map((i) => vals[i]);
      pts.splice(0, pts.length, ...P); vals = V;
      let diam = 0;
      for (let i = 1; i <= d; i++) for (let j = 0; j < d; j++) diam = Math.max(diam, Math.abs(pts[i][j] - pts[0][j]));
      if (diam < xtol && vals[d] - vals[0] <= ftol * (1 + Math.abs(vals[0]))) { converged = true; break; }
      const c = new Float64Array(d);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) c[j] += pts[i][j] / d;
      const lin = (t: number): Float64Array => { const x = new Float64Array(d); for (let j = 0; j < d; j++) x[j] = c[j] + t * (pts[d][j] - c[j]); return x; };
      const xr = lin(-a), fr = F(xr);
      if (fr < vals[0]) {
        const xe = lin(-a * b), fe = F(xe);
        if (fe < fr) { pts[d] = xe; vals[d] = fe; } else { pts[d] = xr; vals[d] = fr; }
      } else if (fr < vals[d - 1]) {
        pts[d] = xr; vals[d] = fr;
      } else {
        const outside = fr < vals[d];
        const xc = lin(outside ? -a * g : g), fc = F(xc);
        if (fc < (outside ? fr : vals[d])) { pts[d] = xc; vals[d] = fc; } else {
          for (let i = 1; i <= d; i++) {
            for (let j = 0; j < d; j++) pts[i][j] = pts[0][j] + s * (pts[i][j] - pts[0][j]);
            vals[i] = F(pts[i]);
          }
        }
      }
    }
    let ib = 0;
    for (let i = 1; i <= d; i++) if (vals[i] < vals[ib]) ib = i;
    const gain = bestF - vals[ib];
    if (vals[ib] <= bestF) { best = Float64Array.from(pts[ib]); bestF = vals[ib]; }
    if (restart > 0 && gain <= ftol * (1 + Math.abs(bestF))) break;
  }
  return { x: best, value: bestF, evaluations: evals, converged };
}
