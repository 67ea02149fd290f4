/**
 * Comparison of models by expected log predictive density, as R's loo ≥ 2.10 `loo_compare`
 * (stan-dev/loo R/loo_compare.R): models ordered by elpd (best first); for each, elpd_diff = Σ_i
 * (elpd_i − elpd_best,i) and se_diff = √N·sd(elpd_i − elpd_best,i); p_worse = Φ(0; elpd_diff, se_diff)
 * (Sivula et al. 2025); diag_diff flags N < 100 or |elpd_diff| < 4; diag_elpd counts k̂ above the
 * threshold. Works for PSIS-LOO, K-fold or WAIC pointwise elpd alike (one kind per comparison).
 */
import { GlmmInputError } from '../../base/errors.js';
import { pnorm } from '../../base/normal.js';

/** One model's pointwise elpd (and its Pareto k̂ when it came from PSIS). */
export interface ElpdInput {
  readonly label: string;
  readonly elpd: number;
  readonly se: number;
  readonly pointwise: ArrayLike<number>;
  readonly paretoK?: ArrayLike<number>;
  readonly kThreshold?: number;
}

/** One row of the comparison table (best model first, elpd_diff 0). */
export interface ElpdCompareRow {
  readonly model: string;
  readonly elpd_diff: number;
  readonly se_diff: number;
  /** P(this model's elpd is below the best's), normal approximation; NaN for the best. */
  readonly p_worse: number;
  readonly diag_diff: string;
  readonly diag_elpd: string;
  readonly elpd: number;
  readonly se_elpd: number;
}

function sd(x: Float64Array): number {
  const n = x.length;
  let m = 0;
  for (const v of x) m += v;
  m /= n;
  let s = 0;
  for (const v of x) s += (v - m) * (v - m);
  return Math.sqrt(s / (n - 1));
}

function diagDiff(N: number, diff: number): string {
  if (diff === 0) return '';
  if (N < 100) return 'N < 100';
  return diff > -4 ? '|elpd_diff| < 4' : '';
}

function diagElpd(m: ElpdInput): string {
  if (!m.paretoK || m.kThreshold === undefined) return '';
  let K = 0;
  for (let i = 0; i < m.paretoK.length; i++) if (m.paretoK[i] > m.kThreshold) K++;
  return K === 0 ? '' : `${K} k_psis > ${m.kThreshold.toFixed(2)}`;
}

/** loo_compare of two or more models fitted to the same N observations. */
export function elpdCompare(models: readonly ElpdInput[]): ElpdCompareRow[] {
  if (models.length < 2) throw new GlmmInputError('a comparison needs at least two models');
  const N = models[0].pointwise.length;
  for (const m of models) {
    if (m.pointwise.length !== N) throw new GlmmInputError(`model '${m.label}' has ${m.pointwise.length} observations, '${models[0].label}' ${N}: compare fits to the same rows only`);
  }
  const ord = models.map((_, j) => j).sort((a, b) => models[b].elpd - models[a].elpd || a - b);
  const best = models[ord[0]];
  return ord.map((j) => {
    const m = models[j];
    const d = Float64Array.from({ length: N }, (_, i) => m.pointwise[i] - best.pointwise[i]);
    let diff = 0;
    for (const v of d) diff += v;
    const seDiff = Math.sqrt(N) * sd(d);
    const pWorse = diff === 0 ? NaN : pnorm(-diff / seDiff);
    return { model: m.label, elpd_diff: diff, se_diff: seDiff, p_worse: pWorse, diag_diff: diagDiff(N, diff), diag_elpd: diagElpd(m), elpd: m.elpd, se_elpd: m.se };
  });
}
