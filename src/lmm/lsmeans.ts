/**
 * Least-squares means of a linear mixed model (SAS LSMEANS, JMP "Least Squares Means", emmeans
 * with lmer.df = "kenward-roger" | "satterthwaite"): ℓ_aᵀβ for each level a of a factor over the
 * reference grid (other factors equal weights, covariates at their means), SE, df and t limits.
 * Kenward–Roger uses the adjusted covariance Φ_A for the SE (as emmeans/pbkrtest); Satterthwaite vcov(β).
 */
import type { LmmFit } from './lmm.js';
import { GlmmInputError } from '../../base/errors.js';
import { designGrid, marginalRows, type GridSpec } from '../design/refgrid.js';
import { defaultDdf, vcovAdj, krContrast, type KrAdjusted } from './kenward-roger.js';
import { satterthwaiteCore, satterthwaiteContrast, type SatterthwaiteCore } from './satterthwaite.js';
import { qtUpper, ptTwoSided } from '../../base/distributions.js';
import { qform } from '../linalg/dense.js';

/** Denominator-df method (JMP and SAS default to Kenward–Roger); 'asymptotic' uses vcov(β) with df = ∞ (z tests, no n × n work). */
export type DdfMethod = 'kenward-roger' | 'satterthwaite' | 'asymptotic';

/** One LS mean or linear combination with its t interval. */
export interface LmmEstimate {
  readonly label: string;
  readonly estimate: number;
  readonly se: number;
  readonly df: number;
  readonly lower: number;
  readonly upper: number;
  /** t statistic and two-sided p-value for estimate = 0. */
  readonly t: number;
  readonly p: number;
}

/** Options of lsmeans / lmmEstimate. */
export interface LsMeansOptions {
  /** Factor levels (and covariate values) for the reference grid; default the fit's grid. */
  readonly grid?: GridSpec;
  /** Default 'kenward-roger' for REML fits, 'satterthwaite' for ML fits. */
  readonly ddf?: DdfMethod;
  /** Confidence level, default 0.95. */
  readonly level?: number;
}

/** Prepared df machinery of one fit, so several estimates share the n × n work. */
export interface DdfEngine {
  readonly method: DdfMethod;
  readonly estimate: (label: string, ell: ArrayLike<number>, level?: number) => LmmEstimate;
}

/** Builds the df engine of a fit for the chosen method. */
export function ddfEngine(fit: LmmFit, method: DdfMethod = defaultDdf(fit)): DdfEngine {
  let kr: KrAdjusted | null = null, sc: SatterthwaiteCore | null = null;
  return {
    method,
    estimate: (label, ell, level = 0.95) => {
      const r = method === 'kenward-roger' ? krContrast(fit, ell, (kr ??= vcovAdj(fit)))
        : method === 'satterthwaite' ? satterthwaiteContrast(fit, ell, (sc ??= satterthwaiteCore(fit))) : asymptoticContrast(fit, ell);
      const h = qtUpper(1 - (1 - level) / 2, r.df) * r.se;
      const t = r.estimate / r.se;
      return { label, estimate: r.estimate, se: r.se, df: r.df, lower: r.estimate - h, upper: r.estimate + h, t, p: ptTwoSided(t, r.df) };
    },
  };
}

/** The grid of the options, else of the fit. */
export function gridOf(fit: LmmFit, grid: GridSpec | undefined): GridSpec {
  // the fit's grid, else the factor levels buildDesign kept on the design
  const g = grid ?? fit.grid ?? (fit.design.factorLevels ? { factors: fit.design.factorLevels } : undefined);
  if (!g) throw new GlmmInputError('no factor levels for the reference grid: pass grid (gridSpecFromFrame(design, frame)) to fitLmm or to this call');
  return g;
}

/** ℓᵀβ with SE √(ℓᵀ vcov ℓ) and df = ∞. */
function asymptoticContrast(fit: LmmFit, ell: ArrayLike<number>): { estimate: number; se: number; df: number } {
  const p = fit.beta.length;
  let est = 0;
  for (let j = 0; j < p; j++) est += ell[j] * fit.beta[j];
  return { estimate: est, se: Math.sqrt(qform(ell, fit.vcov, ell, p)), df: Infinity };
}

/** LS means of `factor` with SE, df and confidence limits (emmeans(fit, factor, lmer.df = ddf)). */
export function lsmeans(fit: LmmFit, factor: string, opts: LsMeansOptions = {}): LmmEstimate[] {
  const { levels, L } = marginalRows(designGrid(fit.design, gridOf(fit, opts.grid)), factor);
  const eng = ddfEngine(fit, opts.ddf);
  return levels.map((lv, a) => eng.estimate(lv, L[a], opts.level));
}

/** Differences between LS means: each level against `reference` (default the first), estimate level − reference. */
export function lsmeanDifferences(fit: LmmFit, factor: string, opts: LsMeansOptions & { reference?: string } = {}): LmmEstimate[] {
  const { levels, L } = marginalRows(designGrid(fit.design, gridOf(fit, opts.grid)), factor);
  const ref = opts.reference === undefined ? 0 : levels.indexOf(opts.reference);
  if (ref < 0) throw new GlmmInputError(`reference level '${opts.reference}' is not a level of factor '${factor}' (${levels.join(', ')}); pick one of those`);
  const eng = ddfEngine(fit, opts.ddf);
  return levels.flatMap((lv, a) => (a === ref ? [] : [eng.estimate(`${lv} - ${levels[ref]}`, L[a].map((v, j) => v - L[ref][j]), opts.level)]));
}
