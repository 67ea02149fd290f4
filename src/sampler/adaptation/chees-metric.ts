/**
 * Diagonal metric from the cross-chain variance, as TFP's SNAPER-HMC estimates it during warmup.
 *
 * After each transition (TFP `experimental/mcmc/snaper_hmc.py` L430-477, L652-664):
 *   m = mean_i q_i,  s² = mean_i (q_i − m)²                          (across chains, biased)
 *   w = 1/(n+1);  mean ← mean + w (m − mean);  var ← var + w ((s² − var) + (1 − w)(m − mean_old)²)
 *   n ← min(n + 1, max(1, ⌊step / 8⌋))                              (state_ema_factor = 8; n₀ = 1, var₀ = 1, mean₀ = 0)
 *   inverse metric = var / max_j var_j                              (preconditioning_utils.py L80-88)
 * The EMA forgets early, far-from-stationary states: its window is about the last eighth of warmup.
 * Written as an {init, update, final} triple (DESIGN.md style 3).
 */
export interface CrossChainVarState {
  readonly mean: Float64Array;
  readonly variance: Float64Array;
  readonly n: number;
  /** Transitions seen so far (TFP's `step`). */
  readonly step: number;
}

/** Builds the SNAPER cross-chain variance estimator `{init, update, final}`. */
export function crossChainVariance(dim: number, emaFactor = 8) {
  return {
    init(): CrossChainVarState {
      return { mean: new Float64Array(dim), variance: new Float64Array(dim).fill(1), n: 1, step: 0 };
    },
    /** Folds in the chain-major states q (nChains × dim). */
    update(s: CrossChainVarState, q: Float64Array, nChains: number): CrossChainVarState {
      const m = new Float64Array(dim);
      const s2 = new Float64Array(dim);
      for (let c = 0; c < nChains; c++) for (let i = 0; i < dim; i++) m[i] += q[c * dim + i];
      for (let i = 0; i < dim; i++) m[i] /= nChains;
      for (let c = 0; c < nChains; c++) {
        for (let i = 0; i < dim; i++) {
          const d = q[c * dim + i] - m[i];
          s2[i] += d * d;
        }
      }
      const w = 1 / (s.n + 1);
      const mean = new Float64Array(dim);
      const variance = new Float64Array(dim);
      for (let i = 0; i < dim; i++) {
        const dm = m[i] - s.mean[i];
        mean[i] = s.mean[i] + w * dm;
        variance[i] = s.variance[i] + w * (s2[i] / nChains - s.variance[i] + (1 - w) * dm * dm);
      }
      const step = s.step + 1;
      return { mean, variance, n: Math.min(s.n + 1, Math.max(1, Math.floor(step / emaFactor))), step };
    },
    /** Inverse metric diagonal var / max var (a zero or non-finite variance falls back to 1 before scaling). */
    final(s: CrossChainVarState): Float64Array {
      const v = s.variance.map((x) => (Number.isFinite(x) && x > 0 ? x : 1));
      let mx = 0;
      for (const x of v) mx = Math.max(mx, x);
      return v.map((x) => x / mx);
    },
  };
}
