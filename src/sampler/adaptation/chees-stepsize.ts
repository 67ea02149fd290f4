/**
 * ChEES step-size adaptation: dual averaging on the HARMONIC mean acceptance across chains.
 *
 * ā = 1 / mean_{i not divergent}(1 / a_i) (0 if not finite or no chain is left) — BlackJAX
 * `adaptation/chees_adaptation.py` L160-176; TFP uses the same harmonic mean (reduce_log_harmonic_mean_exp).
 * The dual averaging itself is Stan's/BlackJAX's (dual-averaging.ts: t0 = 10, γ = 0.05, μ = log(10 ε₀)).
 * Sampling during warmup uses DA's current ε; the step size after warmup is exp(logε_ma), the t^-½
 * moving average of log ε (BlackJAX L173-176, L484), not DA's own κ-average.
 * Default target δ = 0.651 (BlackJAX CA L19, arXiv:1001.4460). Written as an {init, update, final} triple.
 */
import { SAMPLER_DEFAULTS } from '../defaults.js';
import { dualAveraging, type DualAveragingState } from './dual-averaging.js';

/** Step-size adaptation state: DA state, the ε to use next, the t^-½ average of log ε. */
export interface StepSizeState {
  readonly da: DualAveragingState;
  readonly stepSize: number;
  readonly logStepSizeMa: number;
  readonly t: number;
}

/** Harmonic mean of acceptance probabilities over non-divergent chains (0 when not finite). */
export function harmonicMeanAccept(accept: Float64Array, divergent: Uint8Array): number {
  let s = 0;
  let n = 0;
  for (let c = 0; c < accept.length; c++) {
    if (divergent[c] !== 0) continue;
    s += 1 / accept[c];
    n++;
  }
  const a = n / s;
  return Number.isFinite(a) ? a : 0;
}

/** Builds the ChEES step-size adaptation `{init, update, final}` (BlackJAX chees_adaptation.py L160-176). */
export function stepSizeAdaptation(opts: { targetAccept?: number; decayRate?: number } = {}) {
  const da = dualAveraging({ delta: opts.targetAccept ?? SAMPLER_DEFAULTS.chees.adaptDelta, gamma: 0.05, t0: 10 });
  const decay = opts.decayRate ?? 0.5;
  return {
    init(stepSize0: number): StepSizeState {
      return { da: da.init(Math.log(10 * stepSize0)), stepSize: stepSize0, logStepSizeMa: 0, t: 1 };
    },
    /** One update from the across-chain mean acceptance ā (harmonicMeanAccept). */
    update(s: StepSizeState, meanAccept: number): StepSizeState {
      const next = da.update(s.da, meanAccept);
      const eps = Math.exp(next.x);
      const ok = Number.isFinite(eps) && eps > 0;
      const stepSize = ok ? eps : s.stepSize;
      const w = Math.pow(s.t, -decay);
      const logStepSizeMa = (1 - w) * s.logStepSizeMa + w * Math.log(stepSize);
      return { da: ok ? next : s.da, stepSize, logStepSizeMa, t: s.t + 1 };
    },
    /** Step size after warmup: exp of the t^-½ moving average of log ε. */
    final(s: StepSizeState): number {
      return Math.exp(s.logStepSizeMa);
    },
  };
}
