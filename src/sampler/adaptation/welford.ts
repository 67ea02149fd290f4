/**
 * Welford's running mean and (co)variance of the warmup draws with Stan's regularisation
 * (stan/math welford_var_estimator.hpp, welford_covar_estimator.hpp; stan var_adaptation.hpp L24-28,
 * covar_adaptation.hpp L24-29): with n draws and sample variance var = M2/(n−1),
 *   A = (n/(n+5))·var + 1e-3·(5/(n+5))        (diag, elementwise; dense: the identity times 1e-3·5/(n+5))
 * is the new inverse metric.
 * An {init, update, final} triple. For speed, `update` adds to the state's arrays in place and returns
 * the same arrays in a new state object: treat a state as consumed once it has been updated.
 */
import type { MetricKind } from '../metric.js';

/** Count, running mean and sum of squared deviations (length D for diag, D×D row-major for dense). */
export interface WelfordState {
  readonly n: number;
  readonly mean: Float64Array;
  readonly m2: Float64Array;
}

/** The estimator triple returned by {@link welfordInvMetric}. */
export interface WelfordEstimator {
  init(): WelfordState;
  update(state: WelfordState, q: Float64Array): WelfordState;
  /** The regularised inverse metric of the draws so far; throws if there are fewer than 2 or it is not finite. */
  final(state: WelfordState): Float64Array;
}

/** Builds the windowed variance (diag) or covariance (dense) estimator of Stan's metric adaptation. */
export function welfordInvMetric(kind: MetricKind, dim: number): WelfordEstimator {
  const dense = kind === 'dense';
  const delta = new Float64Array(dim);
  return {
    init: () => ({ n: 0, mean: new Float64Array(dim), m2: new Float64Array(dense ? dim * dim : dim) }),
    update(state, q) {
      const n = state.n + 1;
      const { mean, m2 } = state;
      for (let i = 0; i < dim; i++) {
        delta[i] = q[i] - mean[i];
        mean[i] += delta[i] / n;
      }
      if (dense) {
        // m2 += (q − mean_new)(q − mean_old)ᵀ
        for (let i = 0; i < dim; i++) {
          const di = q[i] - mean[i];
          const row = i * dim;
          for (let j = 0; j < dim; j++) m2[row + j] += di * delta[j];
        }
      } else {
        for (let i = 0; i < dim; i++) m2[i] += (q[i] - mean[i]) * delta[i];
      }
      return { n, mean, m2 };
    },
    final(state) {
      const n = state.n;
      if (n < 2) throw new Error(`metric adaptation window has ${n} draws; it needs at least 2`);
      const scale = n / ((n + 5) * (n - 1));
      const reg = 1e-3 * (5 / (n + 5));
      const a = new Float64Array(state.m2.length);
      for (let i = 0; i < a.length; i++) a[i] = scale * state.m2[i];
      if (dense) {
        // Symmetrise (the outer-product update is symmetric only up to rounding).
        for (let i = 0; i < dim; i++) {
          for (let j = 0; j < i; j++) {
            const s = 0.5 * (a[i * dim + j] + a[j * dim + i]);
            a[i * dim + j] = s;
            a[j * dim + i] = s;
          }
          a[i * dim + i] += reg;
        }
      } else {
        for (let i = 0; i < dim; i++) a[i] += reg;
      }
      for (let i = 0; i < a.length; i++) {
        if (!Number.isFinite(a[i])) throw new Error('metric adaptation produced a non-finite inverse metric; the warmup draws diverged');
      }
      return a;
    },
  };
}
