/**
 * Posterior predictive check summaries (Gelman, Meng & Stern 1996; Gelman et al., BDA3 §6.3;
 * bayesplot's ppc_intervals / ppc_stat): per observation the 5/50/95% quantiles of y_rep, the
 * proportion of draws with y_rep = 0 and with y_rep ≥ y; and for the test statistics mean, sd, max and
 * the proportion of zeros, T(y), the distribution of T(y_rep) and the posterior predictive
 * (Bayesian) p-value Pr(T(y_rep) ≥ T(y)).
 *
 * `yrep` is the Draws of posteriorPredictive (src/inference/predict.ts): `yrep.data[s·nobs + i]`,
 * the layout src/report/plots/ppc.ts takes as `{ y, yrep: yrep.data, nDraws: nChains·nDraws }`.
 */
import type { Draws } from '../../diagnostics/draws.js';
import { quantileSorted } from '../../diagnostics/quantile.js';
import { sd as sampleSd } from '../../diagnostics/summary.js';

/** Per-observation summary of y_rep. */
export interface PpcObservation {
  readonly y: number;
  readonly q5: number;
  readonly q50: number;
  readonly q95: number;
  readonly mean: number;
  /** Proportion of draws with y_rep = 0. */
  readonly pZero: number;
  /** Proportion of draws with y_rep ≥ y (the observation's predictive p-value). */
  readonly pGreaterEqual: number;
}

/** One test statistic T: its value on y, a summary of T(y_rep), and Pr(T(y_rep) ≥ T(y)). */
export interface PpcStatistic {
  readonly name: 'mean' | 'sd' | 'max' | 'prop_zero';
  readonly observed: number;
  readonly repMean: number;
  readonly repQ5: number;
  readonly repQ95: number;
  readonly pValue: number;
}

/** The whole check. */
export interface PpcSummary {
  readonly nobs: number;
  readonly nDraws: number;
  readonly observations: readonly PpcObservation[];
  readonly statistics: readonly PpcStatistic[];
}

const STATS: readonly { name: PpcStatistic['name']; f: (x: ArrayLike<number>) => number }[] = [
  { name: 'mean', f: (x) => { let s = 0; for (let i = 0; i < x.length; i++) s += x[i]; return s / x.length; } },
  { name: 'sd', f: (x) => sampleSd(x) },
  { name: 'max', f: (x) => { let m = -Infinity; for (let i = 0; i < x.length; i++) m = Math.max(m, x[i]); return m; } },
  { name: 'prop_zero', f: (x) => { let z = 0; for (let i = 0; i < x.length; i++) if (x[i] === 0) z++; return z / x.length; } },
];

/**
 * Summaries of a posterior predictive check of observed `y` against `yrep` (Draws named
 * y_rep[1..nobs]). Quantiles are R type 7. Ties count as ≥ (so a discrete statistic equal to its
 * observed value in every draw has p = 1, as bayesplot/BDA define Pr(T(y_rep) ≥ T(y))).
 */
export function ppcSummary(y: ArrayLike<number>, yrep: Draws): PpcSummary {
  const n = y.length;
  if (yrep.names.length !== n) throw new Error(`ppcSummary: y has ${n} values but yrep has ${yrep.names.length} columns`);
  const S = yrep.nChains * yrep.nDraws;
  const col = new Float64Array(S);
  const observations: PpcObservation[] = [];
  for (let i = 0; i < n; i++) {
    let zeros = 0;
    let ge = 0;
    let sum = 0;
    for (let s = 0; s < S; s++) {
      const v = yrep.data[s * n + i];
      col[s] = v;
      sum += v;
      if (v === 0) zeros++;
      if (v >= y[i]) ge++;
    }
    col.sort();
    observations.push({ y: y[i], q5: quantileSorted(col, 0.05), q50: quantileSorted(col, 0.5), q95: quantileSorted(col, 0.95), mean: sum / S, pZero: zeros / S, pGreaterEqual: ge / S });
  }
  const statistics = STATS.map(({ name, f }): PpcStatistic => {
    const observed = f(y);
    const t = new Float64Array(S);
    let ge = 0;
    let sum = 0;
    for (let s = 0; s < S; s++) {
      t[s] = f(yrep.data.subarray(s * n, (s + 1) * n));
      sum += t[s];
      if (t[s] >= observed) ge++;
    }
    t.sort();
    return { name, observed, repMean: sum / S, repQ5: quantileSorted(t, 0.05), repQ95: quantileSorted(t, 0.95), pValue: ge / S };
  });
  return { nobs: n, nDraws: S, observations, statistics };
}
