/**
 * WAIC (Watanabe 2010; Vehtari, Gelman & Gabry 2017 §2.2) as R's loo `waic.matrix`: per observation
 * lpd_i = log mean_s p(y_i|θ_s), p_waic_i = var_s log p(y_i|θ_s) (sample variance), elpd_waic_i =
 * lpd_i − p_waic_i, waic_i = −2 elpd_waic_i; sums with SEs √(N var); loo's warning when some
 * p_waic_i > 0.4 (`throw_pwaic_warnings`).
 */
import type { Draws } from '../../diagnostics/draws.js';
import { logSumExp } from './gpd.js';
import { rowList, sumWithSe } from './loo.js';

/** WAIC with loo's names. */
export interface WaicResult {
  readonly elpd_waic: number;
  readonly se_elpd_waic: number;
  readonly p_waic: number;
  readonly se_p_waic: number;
  readonly waic: number;
  readonly se_waic: number;
  readonly pointwise: { readonly elpd_waic: Float64Array; readonly p_waic: Float64Array; readonly waic: Float64Array };
  readonly warnings: readonly string[];
}

/** WAIC of an S × N log-likelihood matrix. */
export function waic(ll: Draws, opts: { units?: string; labels?: readonly string[] } = {}): WaicResult {
  const N = ll.names.length;
  const S = ll.nChains * ll.nDraws;
  const elpd = new Float64Array(N), p = new Float64Array(N), w = new Float64Array(N);
  const col = new Float64Array(S);
  for (let i = 0; i < N; i++) {
    let m = 0;
    for (let s = 0; s < S; s++) m += (col[s] = ll.data[s * N + i]);
    m /= S;
    let v = 0;
    for (let s = 0; s < S; s++) v += (col[s] - m) * (col[s] - m);
    p[i] = v / (S - 1);
    elpd[i] = logSumExp(col) - Math.log(S) - p[i];
    w[i] = -2 * elpd[i];
  }
  const e = sumWithSe(elpd), pe = sumWithSe(p), we = sumWithSe(w);
  const bad: number[] = [];
  p.forEach((v, i) => { if (v > 0.4) bad.push(i); });
  const warnings = bad.length === 0 ? [] : [
    `${bad.length} (${((100 * bad.length) / N).toFixed(1)}%) p_waic estimates greater than 0.4 (${opts.units ?? 'observations'} ${rowList(bad, opts.labels)}); WAIC is unreliable there, use PSIS-LOO instead.`,
  ];
  return { elpd_waic: e.estimate, se_elpd_waic: e.se, p_waic: pe.estimate, se_p_waic: pe.se, waic: we.estimate, se_waic: we.se, pointwise: { elpd_waic: elpd, p_waic: p, waic: w }, warnings };
}
