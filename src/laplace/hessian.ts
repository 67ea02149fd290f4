/**
 * Finite-difference gradient and Hessian at the optimum and lme4's convergence checks
 * (lme4 R/deriv.R deriv12 with delta = 1e-4; R/checkConv.R checkConv: scaled gradient
 * max |min(H⁻¹ᐟ²-scaled g, g)| < 0.002, Hessian positive definite, eigenvalue ratio).
 */
import { CholeskyDecomposition, EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { invertSym } from '../linalg/dense.js';

/** Central-difference gradient and Hessian (lme4's deriv12): H[i,i] from 3 points, H[i,j] from 4. */
export function deriv12(
  f: (x: Float64Array) => number,
  x: ArrayLike<number>,
  delta = 1e-4,
  fx?: number,
): { gradient: Float64Array; hessian: Float64Array } {
  const d = x.length;
  const x0 = Float64Array.from(x);
  const f0 = fx ?? f(x0);
  const g = new Float64Array(d);
  const H = new Float64Array(d * d);
  const at = (i: number, si: number, j = -1, sj = 0): number => {
    const xx = Float64Array.from(x0);
    xx[i] += si * delta;
    if (j >= 0) xx[j] += sj * delta;
    return f(xx);
  };
  for (let i = 0; i < d; i++) {
    const fp = at(i, 1);
    const fm = at(i, -1);
    g[i] = (fp - fm) / (2 * delta);
    H[i * d + i] = (fp - 2 * f0 + fm) / (delta * delta);
    for (let j = 0; j < i; j++) {
      const v = (at(i, 1, j, 1) - at(i, 1, j, -1) - at(i, -1, j, 1) + at(i, -1, j, -1)) / (4 * delta * delta);
      H[i * d + j] = v;
      H[j * d + i] = v;
    }
  }
  return { gradient: g, hessian: H };
}

/** Result of {@link checkConvergence}. */
export interface ConvergenceCheck {
  readonly maxScaledGradient: number;
  readonly positiveDefinite: boolean;
  readonly warnings: string[];
}

/**
 * lme4's checkConv on (gradient, Hessian) of the deviance over the free parameters (parameters at a
 * bound of a singular fit are left out, as lme4 does for boundary fits).
 */
export function checkConvergence(g: Float64Array, H: Float64Array, d: number, tol = 0.002): ConvergenceCheck {
  const warnings: string[] = [];
  if (d === 0) return { maxScaledGradient: 0, positiveDefinite: true, warnings };
  if (!H.subarray(0, d * d).every(Number.isFinite) || !g.subarray(0, d).every(Number.isFinite)) {
    // the deviance is not finite a step of 1e-4 from the optimum (a parameter at the edge of its range)
    warnings.push('the Hessian of the deviance could not be computed at the optimum (the deviance is not finite beside it): standard errors are not available; the model may be overparameterized');
    return { maxScaledGradient: NaN, positiveDefinite: false, warnings };
  }
  const M = new Matrix(Array.from({ length: d }, (_, i) => Array.from(H.subarray(i * d, i * d + d))));
  const ch = new CholeskyDecomposition(M);
  let maxScaled = 0;
  let pd = ch.isPositiveDefinite();
  if (pd) {
    // solve(chol(H), g) in R is Rᵀ-upper: scaled gradient = R⁻ᵀ... lme4 uses solve(chol(H), g) = R⁻¹g
    const L = ch.lowerTriangularMatrix;
    // R = Lᵀ; R⁻¹ g: back substitution with upper R
    const sc = new Float64Array(d);
    for (let i = d - 1; i >= 0; i--) {
      let v = g[i];
      for (let k = i + 1; k < d; k++) v -= L.get(k, i) * sc[k];
      sc[i] = v / L.get(i, i);
    }
    for (let i = 0; i < d; i++) maxScaled = Math.max(maxScaled, Math.min(Math.abs(sc[i]), Math.abs(g[i])));
    if (maxScaled > tol) {
      warnings.push(`the optimizer may not have converged: largest scaled gradient ${maxScaled.toPrecision(3)} exceeds ${tol} (lme4's check); try other starting values or a simpler model`);
    }
    const ev = new EigenvalueDecomposition(M).realEigenvalues;
    const mx = Math.max(...ev);
    const mn = Math.min(...ev);
    if (mn / mx < 1e-6) {
      warnings.push(`the model is nearly unidentifiable: the Hessian's eigenvalue ratio is ${(mn / mx).toPrecision(3)}; rescale predictors or simplify the model`);
    }
  } else {
    for (let i = 0; i < d; i++) maxScaled = Math.max(maxScaled, Math.abs(g[i]));
    pd = false;
    warnings.push('the Hessian of the deviance is not positive definite at the optimum: standard errors are unreliable; the model may be overparameterized');
  }
  return { maxScaledGradient: maxScaled, positiveDefinite: pd, warnings };
}
