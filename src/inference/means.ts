/**
 * Data-scale means of a GLMM for each level of a factor (emmeans `type = "response"`; SAS GLIMMIX
 * LSMEANS / ILINK): on the link scale η_a = ℓ_aᵀβ over the reference grid (other factors averaged
 * with equal weights on the link scale, covariates at their means) with SE √(ℓ_aᵀVℓ_a); the
 * conditional mean λ_a = g⁻¹(η_a) is the mean of a unit whose random effects are 0, its interval
 * g⁻¹(η_a ± z·SE) (back-transformed, so asymmetric), its SE by the delta method |g⁻¹'(η_a)|·SE.
 * Optionally the population-averaged (marginal) mean E_b g⁻¹(η_a + b), b ~ N(0, τ²), τ² = Σ sd² of
 * the random intercepts: exp(η + τ²/2) for the log link, Gauss–Hermite quadrature otherwise; its
 * interval maps the link-scale limits through the same (monotone) function, holding τ at its estimate.
 * A version over posterior draws returns one value per draw for quantile summaries.
 */
import type { Link, LinkName } from '../../models/families/types.js';
import type { Design } from '../design/types.js';
import { getLink } from '../../models/links.js';
import { qnorm } from '../../base/normal.js';
import { GlmmInputError } from '../../base/errors.js';
import { designGrid, marginalRows, type GridSpec } from '../design/refgrid.js';
import { symEigen } from '../linalg/dense.js';
import type { Draws } from '../../diagnostics/draws.js';

/** A fit on the link scale: Laplace estimates (β, vcov) or one posterior draw (vcov unused). */
export interface LinkScaleFit {
  readonly beta: ArrayLike<number>;
  /** p × p row-major covariance of β (lme4's vcov). */
  readonly vcov: ArrayLike<number>;
  /** brms names of β (b_Intercept, b_trt1, ...), in the design's column order. */
  readonly names: readonly string[];
  readonly link: Link | LinkName;
  /** The design: its fixed-effect column names and X (for covariate means). */
  readonly design: Pick<Design, 'fixed' | 'nobs'>;
  /** Random-effect sds by brms name (sd_block__Intercept), for the marginal means. */
  readonly sds?: Readonly<Record<string, number>>;
}

/** Which mean: at random effects 0, or averaged over their distribution. */
export type MeanType = 'conditional' | 'marginal';

/** One data-scale mean. */
export interface DataScaleMean {
  readonly level: string;
  readonly type: MeanType;
  /** Link scale estimate and SE. */
  readonly eta: number;
  readonly seEta: number;
  /** Data-scale estimate, delta-method SE and back-transformed limits. */
  readonly estimate: number;
  readonly se: number;
  readonly lower: number;
  readonly upper: number;
}

/** Options of dataScaleMeans. */
export interface MeansOptions {
  readonly grid: GridSpec;
  /** Confidence level, default 0.95 (z = qnorm(0.975) = 1.959964 as emmeans). */
  readonly level?: number;
  /** 'conditional' (default, emmeans/GLIMMIX) or 'marginal' (population-averaged). */
  readonly type?: MeanType;
  /** Gauss–Hermite nodes for the marginal mean with a non-log link (default 100: with τ = 2 the logit integrand needs ~80 for 1e-10). */
  readonly nodes?: number;
}

/** The link object of a fit. */
export function linkOf(link: Link | LinkName): Link {
  return typeof link === 'string' ? getLink(link) : link;
}

const ghCache = new Map<number, { x: Float64Array; w: Float64Array }>();

/** Gauss–Hermite nodes and weights for ∫ f(z) φ(z) dz (probabilists' form), by Golub–Welsch. */
export function gaussHermite(n: number): { x: Float64Array; w: Float64Array } {
  const hit = ghCache.get(n);
  if (hit) return hit;
  const J = new Float64Array(n * n);
  for (let k = 1; k < n; k++) J[k * n + k - 1] = J[(k - 1) * n + k] = Math.sqrt(k); // He_k recurrence
  const { values, vectors } = symEigen(J, n);
  const x = Float64Array.from(values), w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = vectors[i] * vectors[i]; // first component squared (Σ w = 1)
  const out = { x, w };
  ghCache.set(n, out);
  return out;
}

/** τ² = Σ sd² over the random intercepts; random slopes make the marginal mean depend on covariates and are refused. */
export function interceptVariance(sds: Readonly<Record<string, number>> | undefined): number {
  if (!sds) throw new GlmmInputError('marginal means need the random-effect sds (sds: { sd_block__Intercept: ... })');
  let t2 = 0;
  for (const [name, sd] of Object.entries(sds)) {
    if (!name.endsWith('__Intercept')) throw new GlmmInputError(`random term '${name}' is not an intercept: marginal means are defined here only for random intercepts; use type 'conditional'`);
    t2 += sd * sd;
  }
  return t2;
}

/** E g⁻¹(η + b), b ~ N(0, τ²): exp(η + τ²/2) for the log link, Gauss–Hermite otherwise. */
export function marginalMean(link: Link, eta: number, tau2: number, nodes = 100): number {
  if (link.name === 'log') return Math.exp(eta + tau2 / 2);
  if (link.name === 'identity' || tau2 === 0) return link.linkinv(eta);
  const { x, w } = gaussHermite(nodes), tau = Math.sqrt(tau2);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += w[i] * link.linkinv(eta + tau * x[i]);
  return s;
}

/** Link-scale rows ℓ_a of the levels of `factor` for a fit's design. */
export function levelRows(fit: Pick<LinkScaleFit, 'design' | 'names'>, factor: string, grid: GridSpec): { levels: readonly string[]; L: Float64Array[] } {
  if (fit.names.length !== fit.design.fixed.p) throw new GlmmInputError(`the fit has ${fit.names.length} coefficients but the design ${fit.design.fixed.p} columns; pass the design the fit was made from`);
  return marginalRows(designGrid(fit.design, grid), factor);
}

/** ℓᵀβ and √(ℓᵀVℓ). */
export function linearCombination(fit: Pick<LinkScaleFit, 'beta' | 'vcov'>, ell: ArrayLike<number>): { est: number; se: number } {
  const p = ell.length;
  let est = 0, v = 0;
  for (let i = 0; i < p; i++) {
    est += ell[i] * fit.beta[i];
    for (let j = 0; j < p; j++) v += ell[i] * fit.vcov[i * p + j] * ell[j];
  }
  return { est, se: Math.sqrt(v) };
}

/** Data-scale means of each level of `factor` with back-transformed intervals (emmeans(fit, factor, type = "response")). */
export function dataScaleMeans(fit: LinkScaleFit, factor: string, opts: MeansOptions): DataScaleMean[] {
  const link = linkOf(fit.link), type = opts.type ?? 'conditional';
  const z = qnorm(1 - (1 - (opts.level ?? 0.95)) / 2);
  const tau2 = type === 'marginal' ? interceptVariance(fit.sds) : 0;
  const h = (eta: number): number => (type === 'marginal' ? marginalMean(link, eta, tau2, opts.nodes) : link.linkinv(eta));
  const { levels, L } = levelRows(fit, factor, opts.grid);
  return levels.map((level, a) => {
    const { est, se } = linearCombination(fit, L[a]);
    const lo = h(est - z * se), hi = h(est + z * se);
    // delta method: dh/dη (marginal: numerical central difference of the smooth h)
    const d = type === 'marginal' ? (h(est + 1e-5) - h(est - 1e-5)) / 2e-5 : link.muEta(est);
    return { level, type, eta: est, seEta: se, estimate: h(est), se: Math.abs(d) * se, lower: Math.min(lo, hi), upper: Math.max(lo, hi) };
  });
}

/** Posterior draws of β (nDraws × p row-major) and of the sds (name → nDraws values). */
export interface ParameterDraws {
  readonly nDraws: number;
  readonly beta: Float64Array;
  readonly sds?: Readonly<Record<string, Float64Array>>;
}

/** Draws of derived quantities: names and an nDraws × names.length row-major matrix. */
export interface DerivedDraws {
  readonly names: readonly string[];
  readonly nDraws: number;
  readonly values: Float64Array;
}

/**
 * The data-scale mean of each level of `factor` in every draw (`mean_<factor>[<level>]`), conditional
 * (random effects 0) or marginal (averaged over N(0, Σ sd²) with that draw's sds).
 */
export function meanDraws(model: Pick<LinkScaleFit, 'names' | 'link' | 'design'>, draws: ParameterDraws, factor: string,
  opts: { grid: GridSpec; type?: MeanType; nodes?: number }): DerivedDraws {
  const link = linkOf(model.link), p = model.names.length, type = opts.type ?? 'conditional';
  const { levels, L } = levelRows(model, factor, opts.grid);
  const values = new Float64Array(draws.nDraws * levels.length);
  const sdNames = type === 'marginal' ? Object.keys(draws.sds ?? {}) : [];
  if (type === 'marginal') interceptVariance(Object.fromEntries(sdNames.map((n) => [n, 0])));
  for (let s = 0; s < draws.nDraws; s++) {
    let tau2 = 0;
    for (const n of sdNames) tau2 += draws.sds![n][s] ** 2;
    levels.forEach((_, a) => {
      let eta = 0;
      for (let j = 0; j < p; j++) eta += L[a][j] * draws.beta[s * p + j];
      values[s * levels.length + a] = type === 'marginal' ? marginalMean(link, eta, tau2, opts.nodes) : link.linkinv(eta);
    });
  }
  return { names: levels.map((l) => `mean_${factor}[${l}]`), nDraws: draws.nDraws, values };
}

/**
 * ParameterDraws from the project's chain-major Draws: β by the model's brms names (b_Intercept, ...)
 * and every sd_…__Intercept column (for marginal means); draws of all chains in chain order.
 */
export function parameterDrawsFrom(draws: Draws, betaNames: readonly string[]): ParameterDraws {
  const P = draws.names.length, S = draws.nChains * draws.nDraws, p = betaNames.length;
  const idx = betaNames.map((n) => {
    const i = draws.names.indexOf(n);
    if (i < 0) throw new GlmmInputError(`draws have no column '${n}'; pass draws of the same model`);
    return i;
  });
  const beta = new Float64Array(S * p);
  for (let s = 0; s < S; s++) for (let j = 0; j < p; j++) beta[s * p + j] = draws.data[s * P + idx[j]];
  const sds: Record<string, Float64Array> = {};
  draws.names.forEach((n, i) => {
    if (!n.startsWith('sd_') || !n.endsWith('__Intercept')) return;
    sds[n] = Float64Array.from({ length: S }, (_, s) => draws.data[s * P + i]);
  });
  return { nDraws: S, beta, sds };
}

/** Derived draws back in the project's Draws layout (nChains × the per-chain draws), for summarizeDraws. */
export function derivedToDraws(d: DerivedDraws, nChains: number): Draws {
  if (d.nDraws % nChains !== 0) throw new GlmmInputError(`${d.nDraws} draws do not split into ${nChains} chains`);
  return { nChains, nDraws: d.nDraws / nChains, names: d.names, data: d.values };
}
