/**
 * A bounded quasi-Newton minimizer for few variables with an analytic gradient: BFGS on the inverse
 * Hessian (Nocedal & Wright 2006, §6.1, the first step scaled by Shanno–Phua's yᵀs/yᵀy) with lower
 * bounds by projection (Bertsekas 1982: variables at their bound whose gradient points outwards are held,
 * the step is projected onto the box, the line search backtracks along the projected path with Armijo's
 * condition). lme4's `lower` is 0 on the θ diagonals; the profiled criterion is even in them, so its
 * gradient is 0 at the bound and a singular fit converges there like an interior one. The gradient is asked
 * for at accepted points only (a rejected trial costs one value). It stops when the projected gradient,
 * scaled by max(1, |x_i|), is below gtol·(1 + |f|), or when no step decreases f (rounding level).
 */

/** Options of {@link quasiNewton}. */
export interface QuasiNewtonOptions {
  readonly lower?: ArrayLike<number>;
  /** Stop when max_i |projected g_i|·max(1, |x_i|) ≤ gtol·(1 + |f|) (default 1e-10: the criterion's rounding is ~1e-16·|f|). */
  readonly gtol?: number;
  /** The longest first step (default 0.5·max(1, |x0|∞), the trust region's initial radius). */
  readonly maxStep?: number;
  readonly maxEval?: number;
}

/** The minimizer's answer; `evaluations` counts values (calls of fg), `gradients` the gradients asked for. */
export interface QuasiNewtonResult {
  readonly x: Float64Array;
  readonly value: number;
  readonly evaluations: number;
  readonly gradients: number;
  readonly converged: boolean;
}

/** The value at x (non-finite outside the domain) and its gradient, written into g on demand (only at accepted points). */
export type ValueGradient = (x: Float64Array) => { readonly value: number; readonly gradient: (g: Float64Array) => void };

/** Minimizes f from x0 (see the file comment). */
export function quasiNewton(fg: ValueGradient, x0: ArrayLike<number>, opts: QuasiNewtonOptions = {}): QuasiNewtonResult {
  const d = x0.length;
  const lower = opts.lower ?? new Float64Array(d).fill(-Infinity);
  const gtol = opts.gtol ?? 1e-10, maxEval = opts.maxEval ?? 500;
  const maxStep = opts.maxStep ?? 0.5 * Math.max(1, ...Array.from(x0, Math.abs));
  let x: Float64Array = Float64Array.from(x0, (v, i) => Math.max(v, lower[i]));
  let g: Float64Array = new Float64Array(d);
  const at0 = fg(x);
  let f = at0.value, evaluations = 1;
  if (!Number.isFinite(f)) return { x, value: f, evaluations, gradients: 0, converged: false };
  at0.gradient(g);
  let gradients = 1;
  let H = identity(d), first = true, converged = false;
  const probed = { count: 0 };
  while (evaluations < maxEval) {
    const held = Array.from({ length: d }, (_, i) => x[i] <= lower[i] && g[i] > 0);
    const tol = gtol * (1 + Math.abs(f));
    if (projectedNorm(x, g, held) <= tol) {
      // a variable at its bound with no gradient may sit on a maximum of the even criterion: probe inside once
      const probe = escapeBound(fg, x, f, lower, 0.1 * maxStep, probed);
      evaluations += probed.count; probed.count = 0;
      if (!probe) { converged = true; break; }
      x = probe.x; f = probe.f; g = probe.g; gradients++; H = identity(d); first = true;
      continue;
    }
    let p = direction(H, g, held);
    if (dot(p, g) >= 0) { H = identity(d); p = direction(H, g, held); }
    if (first) { const len = Math.hypot(...p); if (len > maxStep) p = p.map((v) => (v * maxStep) / len); }
    const ls = lineSearch(fg, x, f, g, p, lower);
    evaluations += ls.evaluations;
    if (ls.accepted) gradients++;
    if (!ls.accepted) { converged = projectedNorm(x, g, held) <= 1e3 * tol; break; } // no decrease left: rounding level
    const s = ls.x.map((v, i) => v - x[i]), y = ls.g.map((v, i) => v - g[i]);
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.hypot(...s) * Math.hypot(...y)) {
      if (first) H = identity(d).map((v) => (v * sy) / dot(y, y));
      H = bfgsUpdate(H, s, y, sy, d);
      first = false;
    }
    x = ls.x; g = ls.g; f = ls.f;
  }
  return { x, value: f, evaluations, gradients, converged };
}

/** The first point x + h·e_i (x_i at its bound) with a lower value, and its gradient; null when none. Each probe is one value. */
function escapeBound(fg: ValueGradient, x: Float64Array, f: number, lower: ArrayLike<number>, h: number, probed: { count: number }):
  { x: Float64Array; f: number; g: Float64Array } | null {
  for (let i = 0; i < x.length; i++) {
    if (x[i] > lower[i]) continue;
    const xi = Float64Array.from(x);
    xi[i] += h;
    const at = fg(xi);
    probed.count++;
    if (at.value < f) { const g = new Float64Array(x.length); at.gradient(g); return { x: xi, f: at.value, g }; }
  }
  return null;
}

function identity(d: number): Float64Array {
  const I = new Float64Array(d * d);
  for (let i = 0; i < d; i++) I[i * d + i] = 1;
  return I;
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * b[i]; return s; };

/** max_i |g_i|·max(1, |x_i|) over the free variables. */
function projectedNorm(x: Float64Array, g: Float64Array, held: readonly boolean[]): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) if (!held[i]) m = Math.max(m, Math.abs(g[i]) * Math.max(1, Math.abs(x[i])));
  return m;
}

/** −H g on the free variables (held ones do not move). */
function direction(H: Float64Array, g: Float64Array, held: readonly boolean[]): Float64Array {
  const d = g.length, p = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    if (held[i]) continue;
    let v = 0;
    for (let j = 0; j < d; j++) if (!held[j]) v -= H[i * d + j] * g[j];
    p[i] = v;
  }
  return p;
}

/** Backtracking along the projected path x(α) = max(lower, x + αp) until Armijo's condition holds. */
function lineSearch(fg: ValueGradient, x: Float64Array, f: number, g: Float64Array, p: Float64Array, lower: ArrayLike<number>):
  { accepted: boolean; x: Float64Array; f: number; g: Float64Array; evaluations: number } {
  let alpha = 1, evaluations = 0;
  for (let k = 0; k < 40; k++) {
    const xa = Float64Array.from(x, (v, i) => Math.max(lower[i], v + alpha * p[i]));
    if (xa.every((v, i) => v === x[i])) break;
    const at = fg(xa);
    const fa = at.value;
    evaluations++;
    let decrease = 0;
    for (let i = 0; i < x.length; i++) decrease += g[i] * (xa[i] - x[i]);
    if (Number.isFinite(fa) && fa <= f + 1e-4 * decrease && fa < f) {
      const ga = new Float64Array(x.length);
      at.gradient(ga);
      return { accepted: true, x: xa, f: fa, g: ga, evaluations };
    }
    // the minimizer of the quadratic through f, the slope and fa, kept within [0.1, 0.5] of the step
    const t = Number.isFinite(fa) && decrease < 0 ? -decrease / (2 * (fa - f - decrease)) : 0.5;
    alpha *= Math.min(0.5, Math.max(0.1, t));
  }
  return { accepted: false, x, f, g, evaluations };
}

/** The BFGS update of the inverse Hessian: (I − ρsyᵀ) H (I − ρysᵀ) + ρssᵀ, ρ = 1/yᵀs. */
function bfgsUpdate(H: Float64Array, s: Float64Array, y: Float64Array, sy: number, d: number): Float64Array {
  const rho = 1 / sy;
  const Hy = new Float64Array(d);
  for (let i = 0; i < d; i++) { let v = 0; for (let j = 0; j < d; j++) v += H[i * d + j] * y[j]; Hy[i] = v; }
  const yHy = dot(y, Hy);
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
    out[i * d + j] = H[i * d + j] - rho * (Hy[i] * s[j] + s[i] * Hy[j]) + (rho * rho * yHy + rho) * s[i] * s[j];
  }
  return out;
}
