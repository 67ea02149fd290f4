/**
 * The likelihood answer in the form the summary and the samplers use, whichever fitter produced it
 * (the GLMM Laplace in laplace-glmm.ts, lme4's lmer in laplace.ts).
 */
import type { LaplaceInterval, SummaryJson } from '../report/schema.js';
import type { LmmFit } from '../lmm/lmm.js';
import type { LaplaceFit } from '../laplace/types.js';

/** A Laplace (or lmer) fit in the form the summary and the samplers use. */
export interface LaplaceRun {
  readonly method: string;
  /** Why the fit failed (one line), or null. A failed fit leaves the posterior standing alone. */
  readonly error: string | null;
  /** Estimates by DESIGN name: b_*, sd_*, cor_*, shape/sigma, r_*[level,term] (conditional modes). */
  readonly estimates: Readonly<Record<string, number>>;
  /** Estimate, SE and interval per parameter for summary.json. */
  readonly intervals: ReadonlyMap<string, LaplaceInterval>;
  /** Standard errors on the samplers' unconstrained scale by DESIGN name (b: SE; sd/shape/sigma: SE of the log; r: conditional sd). */
  readonly scaleSe: Readonly<Record<string, number>>;
  readonly stats: NonNullable<SummaryJson['laplace']> | null;
  readonly warnings: readonly string[];
  /** Starting values for the samplers by DESIGN name (zero sds clamped), when the fit provides them. */
  readonly start?: Readonly<Record<string, number>>;
  /**
   * The fit is of a reduced model and only starts the samplers (its `error` says why it is not the
   * answer): the model without the zero part's random terms, until the joint Laplace fit takes them.
   */
  readonly startOnly?: boolean;
  /** p × p row-major covariance of the fixed effects (lme4's vcov), or null. */
  readonly vcov: Float64Array | null;
  readonly lmm?: LmmFit;
  /** The underlying GLMM fit object (src/laplace), when the family is not gaussian. */
  readonly glmm?: LaplaceFit;
}
