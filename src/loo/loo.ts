/**
 * PSIS-LOO as R's loo (stan-dev/loo R/loo.R `loo.array`, `pointwise_loo_calcs`, `mcse_elpd`,
 * R/helpers.R `table_of_estimates`; Vehtari, Gelman & Gabry 2017, Statistics and Computing 27:1413),
 * from an S × N pointwise log-likelihood matrix (S draws, chain-major, as Draws). Version: loo ≥ 2.7
 * (threshold min(1 − 1/log10 S, 0.7), log-normal MCSE) with r_eff as loo ≥ 2.9 (posterior's ess_mean
 * of exp(log_lik), split chains). What R's loo 2.5.1 does differently is listed in README §Model comparison.
 */
import type { Draws } from '../../diagnostics/draws.js';
import { essBasic } from '../../diagnostics/ess.js';
import { GlmmInputError } from '../../base/errors.js';
import { logSumExp } from './gpd.js';
import { MIN_TAIL_LENGTH, paretoKThreshold, paretoTailLength, psisColumn, psisNEff } from './psis.js';

/** Estimate and SE of a sum of pointwise values: Σx and √(N·var(x)) (loo `table_of_estimates`). */
export function sumWithSe(x: ArrayLike<number>): { estimate: number; se: number } {
  const N = x.length;
  let s = 0;
  for (let i = 0; i < N; i++) s += x[i];
  const m = s / N;
  let v = 0;
  for (let i = 0; i < N; i++) v += (x[i] - m) * (x[i] - m);
  return { estimate: s, se: Math.sqrt(N * (v / (N - 1))) };
}

/** Column i of the S × N matrix as iterations × chains, column-major (the diagnostics' layout). */
export function logLikColumn(ll: Draws, i: number): Float64Array {
  const N = ll.names.length;
  const S = ll.nChains * ll.nDraws;
  return Float64Array.from({ length: S }, (_, s) => ll.data[s * N + i]);
}

/**
 * Relative efficiency of each observation: ESS(exp(log_lik_i)) / S with posterior's ess_mean (split
 * chains), loo ≥ 2.9 `relative_eff`; NaN (non-finite or constant) becomes 1 as loo's
 * `prepare_psis_r_eff`. exp is taken after subtracting the column's maximum (ESS is scale-free).
 */
export function relativeEff(ll: Draws): Float64Array {
  const N = ll.names.length;
  const S = ll.nChains * ll.nDraws;
  return Float64Array.from({ length: N }, (_, i) => {
    const col = logLikColumn(ll, i);
    let max = -Infinity;
    for (const v of col) if (v > max) max = v;
    for (let s = 0; s < S; s++) col[s] = Math.exp(col[s] - max);
    const r = essBasic(col, ll.nDraws) / S;
    return Number.isFinite(r) ? r : 1;
  });
}

/** Pointwise PSIS-LOO quantities (loo's `pointwise` and `diagnostics`), each of length N. */
export interface LooPointwise {
  readonly elpd_loo: Float64Array;
  readonly mcse_elpd_loo: Float64Array;
  readonly p_loo: Float64Array;
  readonly looic: Float64Array;
  readonly pareto_k: Float64Array;
  readonly n_eff: Float64Array;
  readonly r_eff: Float64Array;
}

/** The result of {@link psisLoo}, with loo's names. */
export interface LooResult {
  readonly elpd_loo: number;
  readonly se_elpd_loo: number;
  readonly p_loo: number;
  readonly se_p_loo: number;
  readonly looic: number;
  readonly se_looic: number;
  /** √Σ mcse_i², NaN when some k̂ > 0.7 (loo `mcse_loo`). */
  readonly mcse_elpd_loo: number;
  readonly pointwise: LooPointwise;
  /** S (draws) and N (observations). */
  readonly dims: readonly [number, number];
  /** min(1 − 1/log10 S, 0.7). */
  readonly k_threshold: number;
  /** 0-based observations (columns) whose k̂ exceeds k_threshold. */
  readonly bad_k: readonly number[];
  readonly warnings: readonly string[];
}

/** Options of {@link psisLoo}. */
export interface LooOptions {
  /** Relative efficiencies per observation; default {@link relativeEff} of the matrix (1 for one chain of independent draws: pass `1`). */
  readonly rEff?: ArrayLike<number> | number;
  /** What the columns are called in warnings (default 'observations'; 'levels of block' for leave-one-group-out). */
  readonly units?: string;
  /** Column labels for warnings (default 1-based numbers). */
  readonly labels?: readonly string[];
}

/** The log-normal MCSE of elpd_loo_i (loo ≥ 2.7 `mcse_elpd`; Vehtari et al. 2024 eq. 6). */
function mcseElpd(ll: Draws, i: number, lw: Float64Array, elpd: number, rEff: number): number {
  const N = ll.names.length;
  const Epd = Math.exp(elpd);
  let v = 0;
  for (let s = 0; s < lw.length; s++) {
    const d = Math.exp(ll.data[s * N + i]) - Epd;
    v += Math.exp(2 * lw[s]) * d * d;
  }
  v /= rEff;
  return Math.sqrt(Math.log1p(v / (Epd * Epd)));
}

/**
 * PSIS-LOO of an S × N log-likelihood matrix (R: `loo(log_lik_array, r_eff = relative_eff(exp(log_lik_array)))`):
 * log ratios −log_lik_i smoothed by {@link psisColumn}; elpd_loo_i = log Σ w_s p(y_i|θ_s); p_loo_i =
 * lpd_i − elpd_loo_i with lpd_i = log mean p(y_i|θ_s); looic = −2 elpd_loo; SEs √(N var).
 */
export function psisLoo(ll: Draws, opts: LooOptions = {}): LooResult {
  const N = ll.names.length;
  const S = ll.nChains * ll.nDraws;
  checkFinite(ll);
  const rEff = opts.rEff === undefined ? relativeEff(ll) : typeof opts.rEff === 'number' ? new Float64Array(N).fill(opts.rEff) : Float64Array.from(opts.rEff);
  const pw = {
    elpd_loo: new Float64Array(N), mcse_elpd_loo: new Float64Array(N), p_loo: new Float64Array(N), looic: new Float64Array(N),
    pareto_k: new Float64Array(N), n_eff: new Float64Array(N), r_eff: rEff,
  };
  const col = new Float64Array(S);
  const tmp = new Float64Array(S);
  const tails: number[] = [];
  for (let i = 0; i < N; i++) {
    for (let s = 0; s < S; s++) col[s] = ll.data[s * N + i];
    const tailLen = paretoTailLength(S, rEff[i]);
    if (tailLen < MIN_TAIL_LENGTH) tails.push(i);
    const { logWeights, k } = psisColumn(col.map((v) => -v), tailLen);
    for (let s = 0; s < S; s++) tmp[s] = col[s] + logWeights[s];
    const elpd = logSumExp(tmp);
    const lpd = logSumExp(col) - Math.log(S);
    pw.elpd_loo[i] = elpd;
    pw.p_loo[i] = lpd - elpd;
    pw.looic[i] = -2 * elpd;
    pw.pareto_k[i] = k;
    pw.n_eff[i] = psisNEff(logWeights, rEff[i]);
    pw.mcse_elpd_loo[i] = mcseElpd(ll, i, logWeights, elpd, rEff[i]);
  }
  const e = sumWithSe(pw.elpd_loo), p = sumWithSe(pw.p_loo), ic = sumWithSe(pw.looic);
  const kThreshold = paretoKThreshold(S);
  const bad: number[] = [];
  pw.pareto_k.forEach((k, i) => { if (k > kThreshold) bad.push(i); });
  let mcse = 0;
  for (let i = 0; i < N; i++) mcse += pw.mcse_elpd_loo[i] ** 2;
  const anyOver07 = pw.pareto_k.some((k) => k > 0.7);
  return {
    elpd_loo: e.estimate, se_elpd_loo: e.se, p_loo: p.estimate, se_p_loo: p.se, looic: ic.estimate, se_looic: ic.se,
    mcse_elpd_loo: anyOver07 ? NaN : Math.sqrt(mcse), pointwise: pw, dims: [S, N], k_threshold: kThreshold, bad_k: bad,
    warnings: looWarnings(pw.pareto_k, bad, kThreshold, tails, S, opts.units ?? 'observations', opts.labels),
  };
}

/** loo's `validate_ll`: every value finite. */
function checkFinite(ll: Draws): void {
  const N = ll.names.length;
  for (let q = 0; q < ll.data.length; q++) {
    if (!Number.isFinite(ll.data[q])) {
      throw new GlmmInputError(`log-likelihood column ${ll.names[q % N]} (observation ${(q % N) + 1}) has a non-finite value at draw ${Math.floor(q / N) + 1}; every log_lik value must be finite`);
    }
  }
}

/** At most 10 of the columns (labels, or 1-based numbers), as loo prints them. */
export function rowList(rows: readonly number[], labels?: readonly string[]): string {
  const shown = rows.slice(0, 10).map((i) => (labels ? labels[i] : String(i + 1))).join(', ');
  return rows.length > 10 ? `${shown}, ... (${rows.length - 10} more)` : shown;
}

/** loo's warnings: k̂ above the threshold (how many, which, what to do) and tails too short to fit. */
function looWarnings(k: Float64Array, bad: readonly number[], threshold: number, tails: readonly number[], S: number, units: string, labels?: readonly string[]): string[] {
  const out: string[] = [];
  if (tails.length > 0) out.push(`Not enough tail draws to fit the generalized Pareto distribution for ${units} ${rowList(tails, labels)}: their weights are truncated but not smoothed; use more draws.`);
  if (bad.length > 0) {
    const veryBad = bad.filter((i) => k[i] > 1).length;
    const t = threshold.toFixed(2);
    const hint = threshold < 0.7 ? ` (with S = ${S} draws the threshold is ${t}; about 2200 draws raise it to 0.7)` : '';
    out.push(`${bad.length} of ${k.length} Pareto k estimates exceed ${t}${veryBad > 0 ? ` (${veryBad} above 1)` : ''}${hint}: PSIS-LOO is unreliable for ${units} ${rowList(bad, labels)}. ` +
      'Refit leaving those out (exact refits or moment matching, as loo\'s reloo/loo_moment_match), or use K-fold cross-validation (glmm fit --kfold K --kfold-group g).');
  }
  return out;
}
