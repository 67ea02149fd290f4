/**
 * Nesterov dual averaging of log ε (Hoffman & Gelman 2014, JMLR 15, Algorithm 5 / eq. 6), exactly as
 * Stan's stepsize_adaptation.hpp L13-73 `learn_stepsize` and `complete_adaptation`:
 *   t += 1; a = min(1, accept_stat); η = 1/(t + t0); s̄ = (1−η)s̄ + η(δ − a);
 *   x = μ − s̄·√t/γ; w = t^(−κ); x̄ = (1−w)x̄ + w·x; ε = exp(x);   at the end ε = exp(x̄).
 * An {init, update, final} triple: `init(μ)` is Stan's `set_mu` + `restart`.
 */

/** Tuning constants; Stan's defaults δ = 0.8, γ = 0.05, t0 = 10, κ = 0.75 (services/sample/defaults.hpp). */
export interface DualAveragingOptions {
  readonly delta?: number;
  readonly gamma?: number;
  readonly t0?: number;
  readonly kappa?: number;
}

/** State after t updates: the step size to use next is exp(x). */
export interface DualAveragingState {
  readonly mu: number;
  readonly t: number;
  readonly sBar: number;
  readonly x: number;
  readonly xBar: number;
}

/** The estimator triple returned by {@link dualAveraging}. */
export interface DualAveraging {
  /** Restart at target log step size μ (Stan: μ = log(10·ε)). x is set to μ until the first update. */
  init(mu: number): DualAveragingState;
  /** One update with the transition's accept_stat; the new step size is exp(state.x). */
  update(state: DualAveragingState, acceptStat: number): DualAveragingState;
  /** The adapted step size at the end of warmup, exp(x̄). */
  final(state: DualAveragingState): number;
}

/** Builds Stan's dual-averaging step-size adaptation. */
export function dualAveraging(opts: DualAveragingOptions = {}): DualAveraging {
  const delta = opts.delta ?? 0.8;
  const gamma = opts.gamma ?? 0.05;
  const t0 = opts.t0 ?? 10;
  const kappa = opts.kappa ?? 0.75;
  return {
    init: (mu) => ({ mu, t: 0, sBar: 0, x: mu, xBar: 0 }),
    update(state, acceptStat) {
      const t = state.t + 1;
      const a = acceptStat > 1 ? 1 : acceptStat;
      const eta = 1 / (t + t0);
      const sBar = (1 - eta) * state.sBar + eta * (delta - a);
      const x = state.mu - (sBar * Math.sqrt(t)) / gamma;
      const w = Math.pow(t, -kappa);
      const xBar = (1 - w) * state.xBar + w * x;
      return { mu: state.mu, t, sBar, x, xBar };
    },
    final: (state) => Math.exp(state.xBar),
  };
}
