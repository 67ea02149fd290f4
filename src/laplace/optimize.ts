/**
 * A bounded minimizer that needs only function values: projected quasi-Newton (BFGS on the free
 * variables, as in L-BFGS-B's active-set idea: Byrd, Lu, Nocedal & Zhu 1995, SIAM J. Sci. Comput.
 * 16:1190) with central finite-difference gradients, a diagonal initial inverse Hessian from the same
 * differences, and a projected Armijo backtracking line search. It replaces lme4's BOBYQA (Powell
 * 2009): the Laplace deviance is smooth and cheap, PIRLS makes it accurate to rounding, so difference
 * gradients reach the optimum more tightly than BOBYQA's default rhoend (the tests check that the
 * maximised log-likelihood is never below lme4's).
 */

/** Result of {@link minimizeBounded}. */
export interface BoundedResult {
  readonly x: Float64Array;
  readonly f: number;
  readonly evals: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly message: string;
}

/** Options of {@link minimizeBounded}. */
export interface BoundedOptions {
  readonly maxIter?: number;
  /** Relative difference step (absolute step h·max(1, |x|)); default 1e-5. */
  readonly h?: number;
  /** Stop when the predicted decrease ½gᵀHg is below this; default 1e-10. */
  readonly ftol?: number;
  /** Whether f may be evaluated below/above the bounds for differences (true for θ: Λ's sign is free). */
  readonly evalOutside?: boolean;
  /** Largest first trial step in any coordinate, relative to max(1, |x|∞); default 0.5. */
  readonly maxStep?: number;
  /** Initial inverse Hessian (d × d, row-major), e.g. from a known Hessian; default the diagonal of difference curvatures. */
  readonly H0?: ArrayLike<number>;
}

/** Minimizes f over the box [lower, upper] from x0 (clamped into the box). */
export function minimizeBounded(
  f: (x: Float64Array) => number,
  x0: ArrayLike<number>,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
  opts: BoundedOptions = {},
): BoundedResult {
  const d = x0.length;
  const maxIter = opts.maxIter ?? 500;
  const hRel = opts.h ?? 1e-5;
  const ftol = opts.ftol ?? 1e-10;
  const outside = opts.evalOutside ?? false;
  const maxStep = opts.maxStep ?? 0.5;
  let evals = 0;
  const F = (x: Float64Array): number => {
    evals++;
    const v = f(x);
    return Number.isNaN(v) ? Infinity : v;
  };
  const clamp = (x: Float64Array): Float64Array => {
    for (let i = 0; i < d; i++) x[i] = Math.min(upper[i], Math.max(lower[i], x[i]));
    return x;
  };
  let x = clamp(Float64Array.from(x0));
  let fx = F(x);
  if (!Number.isFinite(fx)) return { x, f: fx, evals, iterations: 0, converged: false, message: 'objective is not finite at the start' };

  const gradCurv = (xx: Float64Array, fxx: number): { g: Float64Array; c: Float64Array } => {
    const g = new Float64Array(d);
    const c = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      const h = hRel * Math.max(1, Math.abs(xx[i]));
      const xi = xx[i];
      const canDown = outside || xi - h >= lower[i];
      const canUp = outside || xi + h <= upper[i];
      if (canDown && canUp) {
        xx[i] = xi + h;
        const fp = F(xx);
        xx[i] = xi - h;
        const fm = F(xx);
        g[i] = (fp - fm) / (2 * h);
        c[i] = (fp - 2 * fxx + fm) / (h * h);
      } else {
        const s = canUp ? 1 : -1;
        xx[i] = xi + s * h;
        const f1 = F(xx);
        xx[i] = xi + 2 * s * h;
        const f2 = F(xx);
        g[i] = s * (-3 * fxx + 4 * f1 - f2) / (2 * h);
        c[i] = (fxx - 2 * f1 + f2) / (h * h);
      }
      xx[i] = xi;
    }
    return { g, c };
  };
  const atBoundFixed = (xx: Float64Array, g: Float64Array, i: number): boolean =>
    (xx[i] <= lower[i] && g[i] > 0) || (xx[i] >= upper[i] && g[i] < 0);
  const diagH = (c: Float64Array): Float64Array => {
    const H = new Float64Array(d * d);
    for (let i = 0; i < d; i++) H[i * d + i] = c[i] > 1e-8 ? 1 / c[i] : 1;
    return H;
  };

  let { g, c } = gradCurv(x, fx);
  let free = Array.from({ length: d }, (_, i) => !atBoundFixed(x, g, i));
  let H = opts.H0 && free.every((v) => v) ? Float64Array.from(opts.H0) : diagH(c);
  let it = 0;
  let message = 'maximum iterations reached';
  let converged = false;
  for (; it < maxIter; it++) {
    const dir = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      if (!free[i]) continue;
      let v = 0;
      for (let j = 0; j < d; j++) if (free[j]) v -= H[i * d + j] * g[j];
      dir[i] = v;
    }
    let gd = 0;
    for (let i = 0; i < d; i++) gd += g[i] * dir[i];
    if (!(gd < 0)) {
      // not a descent direction: restart from the diagonal curvature
      H = diagH(c);
      for (let i = 0; i < d; i++) dir[i] = free[i] ? -H[i * d + i] * g[i] : 0;
      gd = 0;
      for (let i = 0; i < d; i++) gd += g[i] * dir[i];
    }
    if (-gd / 2 < ftol) {
      converged = true;
      message = 'converged: predicted decrease below tolerance';
      break;
    }
    // cap the first trial step (a trust-region radius of 0.5·max(1, |x|∞), as BOBYQA's rhobeg does)
    let dmax = 0;
    let xmax = 1;
    for (let i = 0; i < d; i++) {
      dmax = Math.max(dmax, Math.abs(dir[i]));
      xmax = Math.max(xmax, Math.abs(x[i]));
    }
    let alpha = Math.min(1, (maxStep * xmax) / dmax);
    let xn = x;
    let fn = fx;
    let ok = false;
    for (let ls = 0; ls < 50; ls++) {
      xn = clamp(Float64Array.from(x, (v, i) => v + alpha * dir[i]));
      fn = F(xn);
      let lin = 0;
      for (let i = 0; i < d; i++) lin += g[i] * (xn[i] - x[i]);
      if (fn <= fx + 1e-4 * lin) {
        ok = true;
        break;
      }
      alpha *= 0.5;
    }
    if (!ok) {
      converged = -gd / 2 < 1e-6;
      message = converged ? 'converged: no further decrease (difference-gradient noise level)' : 'line search failed';
      break;
    }
    const gc = gradCurv(xn, fn);
    const sv = Float64Array.from(xn, (v, i) => v - x[i]);
    const yv = Float64Array.from(gc.g, (v, i) => v - g[i]);
    const fPrev = fx;
    x = xn;
    fx = fn;
    g = gc.g;
    c = gc.c;
    const nfree = Array.from({ length: d }, (_, i) => !atBoundFixed(x, g, i));
    if (nfree.some((v, i) => v !== free[i])) {
      free = nfree;
      H = diagH(c);
    } else {
      bfgsUpdate(H, sv, yv, d);
    }
    if (Math.abs(fPrev - fx) < 1e-14 * Math.max(1, Math.abs(fx)) && it > 2) {
      converged = true;
      message = 'converged: no change in the objective';
      break;
    }
  }
  return { x, f: fx, evals, iterations: it, converged, message };
}

/** In-place BFGS update of the inverse Hessian approximation (Nocedal & Wright eq. 6.17). */
function bfgsUpdate(H: Float64Array, s: Float64Array, y: Float64Array, d: number): void {
  let sy = 0;
  let ss = 0;
  let yy = 0;
  for (let i = 0; i < d; i++) {
    sy += s[i] * y[i];
    ss += s[i] * s[i];
    yy += y[i] * y[i];
  }
  if (!(sy > 1e-12 * Math.sqrt(ss * yy))) return;
  const rho = 1 / sy;
  const Hy = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let v = 0;
    for (let j = 0; j < d; j++) v += H[i * d + j] * y[j];
    Hy[i] = v;
  }
  let yHy = 0;
  for (let i = 0; i < d; i++) yHy += y[i] * Hy[i];
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      H[i * d + j] += -rho * (Hy[i] * s[j] + s[i] * Hy[j]) + (rho * rho * yHy + rho) * s[i] * s[j];
    }
  }
}

/**
 * {@link minimizeBounded}, then probes each variable in `boundaryProbe` that ended at its lower bound
 * (an sd at 0, where the Laplace deviance is even in θ so the gradient vanishes and a projected
 * step can stall): if moving it to lower + 0.001, 0.05, 0.2 or 1 lowers f, restarts from there
 * (at most 5 restarts). BOBYQA escapes such points by its trust-region sampling; this does it explicitly.
 */
export function minimizeWithProbes(
  f: (x: Float64Array) => number,
  x0: ArrayLike<number>,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
  boundaryProbe: readonly number[],
  opts: BoundedOptions = {},
): BoundedResult {
  let r = minimizeBounded(f, x0, lower, upper, opts);
  let evals = r.evals;
  for (let restart = 0; restart < 5; restart++) {
    let best: Float64Array | null = null;
    let fb = r.f;
    for (const i of boundaryProbe) {
      if (r.x[i] - lower[i] > 1e-4) continue;
      for (const step of [0.001, 0.05, 0.2, 1]) {
        const x = Float64Array.from(r.x);
        x[i] = lower[i] + step;
        const v = f(x);
        evals++;
        if (v < fb - 1e-9) {
          fb = v;
          best = x;
        }
      }
    }
    if (!best) break;
    r = minimizeBounded(f, best, lower, upper, opts);
    evals += r.evals;
  }
  return { ...r, evals };
}
