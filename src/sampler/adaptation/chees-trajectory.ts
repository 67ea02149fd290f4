/**
 * ChEES trajectory-length adaptation: Adam ascent on log T, clipped, with a t^-½ moving average.
 *
 * One update, given G = ∂ChEES/∂log T combined over chains (chees-criterion.ts) and the step size ε_new
 * the next transition will use (BlackJAX `adaptation/chees_adaptation.py` L214-242, sign fixed as in
 * shared/reference/many-chain.md §1.1-1.2):
 *   Adam (β1 = 0, β2 = 0.95, ε_adam = 1e-8, bias-corrected, optax semantics): v ← β2 v + (1 − β2) G²,
 *       Δ = clip(lr · G / (sqrt(v / (1 − β2^n)) + 1e-8), −0.35, 0.35)      (n = Adam's own step count)
 *   log T_new = log T + Δ                     (skipped, optimizer state kept, if Δ is not finite)
 *   w = t^-decay, t = 1, 2, …;  logT_ma ← (1 − w) logT_ma + w log T_new       (logT_ma₀ = 0)
 *   T ← clip(exp(logT_ma), ε_new, maxLeapfrog · ε_new)
 * The averaged, clipped T is what the next transition uses and optimises from. After warmup the number of
 * steps is n* = exp(logT_ma − logε_ma) (BlackJAX L479-488).
 * Defaults: lr = 0.5, β2 = 0.95 from BlackJAX's test (tests/adaptation/test_adaptation.py L90); decay 0.5 and
 * maxLeapfrog 1000 from BlackJAX (L309-319). Written as an {init, update, final} triple (DESIGN.md style 3).
 */
export interface TrajectoryState {
  /** Current (averaged, clipped) trajectory length T. */
  readonly T: number;
  /** Moving average of log T (BlackJAX `log_trajectory_length_ma`). */
  readonly logTMa: number;
  /** Adaptation step counter t (next update uses this t, starting at 1). */
  readonly t: number;
  /** Adam second-moment estimate and its own step count. */
  readonly v: number;
  readonly adamCount: number;
}

/** Options of the trajectory-length adaptation (defaults as documented on the module). */
export interface TrajectoryOptions {
  readonly learningRate?: number;
  readonly beta2?: number;
  readonly decayRate?: number;
  readonly maxLeapfrog?: number;
  readonly clip?: number;
}

/** Builds the ChEES trajectory-length adaptation `{init, update, final}` (BlackJAX chees_adaptation.py). */
export function trajectoryAdaptation(opts: TrajectoryOptions = {}) {
  const lr = opts.learningRate ?? 0.5;
  const beta2 = opts.beta2 ?? 0.95;
  const decay = opts.decayRate ?? 0.5;
  const maxL = opts.maxLeapfrog ?? 1000;
  const clipAt = opts.clip ?? 0.35;
  return {
    /** T₀ = ε₀ (one leapfrog step), BlackJAX L254-264. */
    init(stepSize0: number): TrajectoryState {
      return { T: stepSize0, logTMa: 0, t: 1, v: 0, adamCount: 0 };
    },
    /** One update with gradient G (∂ChEES/∂log T) and the next step size ε_new. */
    update(s: TrajectoryState, G: number, stepSizeNew: number): TrajectoryState {
      let { v, adamCount } = s;
      let logTNew = Math.log(s.T);
      const vCand = beta2 * v + (1 - beta2) * G * G;
      const n = adamCount + 1;
      const vHat = vCand / (1 - Math.pow(beta2, n));
      const raw = (lr * G) / (Math.sqrt(vHat) + 1e-8);
      const delta = Math.max(-clipAt, Math.min(clipAt, raw));
      if (Number.isFinite(delta)) {
        logTNew += delta;
        v = vCand;
        adamCount = n;
      }
      const w = Math.pow(s.t, -decay);
      const logTMa = (1 - w) * s.logTMa + w * logTNew;
      const T = Math.min(maxL * stepSizeNew, Math.max(stepSizeNew, Math.exp(logTMa)));
      return { T, logTMa, t: s.t + 1, v, adamCount };
    },
    /** Steps per transition after warmup, before jitter: n* = exp(logT_ma − logε_ma), capped at maxLeapfrog. */
    final(s: TrajectoryState, logStepSizeMa: number): number {
      return Math.min(maxL, Math.max(1, Math.exp(s.logTMa - logStepSizeMa)));
    },
  };
}
