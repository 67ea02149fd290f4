/**
 * Contrasts between levels of a factor on the link scale and their back-transformed ratios
 * (emmeans `pairs(emmeans(fit, f, type = "response"), reverse = TRUE)`; GLIMMIX DIFF with EXP / ODDSRATIO):
 * the difference δ = η_b − η_a of two level means with SE √(dᵀVd), a z test (df = ∞, as emmeans
 * for glmer fits), and for the log link the rate ratio e^δ, for logit the odds ratio e^δ, with the
 * interval e^{δ ± z·SE}; other links report the difference on the link scale only.
 */
import { qnorm } from '../../base/normal.js';
import { GlmmInputError } from '../../base/errors.js';
import type { GridSpec } from '../design/refgrid.js';
import { levelRows, linearCombination, linkOf, type LinkScaleFit, type ParameterDraws, type DerivedDraws } from './means.js';
import { ptTwoSided } from '../../base/distributions.js';

/** What e^δ means for a link. */
export type RatioKind = 'rate ratio' | 'odds ratio' | 'difference' | 'link difference';

/** One level contrast. */
export interface LevelContrast {
  /** "1 / 0" for ratios, "1 - 0" for differences (level b against level a). */
  readonly label: string;
  readonly kind: RatioKind;
  /** Difference on the link scale, its SE, z and two-sided p. */
  readonly estimate: number;
  readonly se: number;
  readonly z: number;
  readonly p: number;
  readonly lower: number;
  readonly upper: number;
  /** e^δ with its delta-method SE and back-transformed limits (null unless log or logit). */
  readonly ratio: number | null;
  readonly ratioSe: number | null;
  readonly ratioLower: number | null;
  readonly ratioUpper: number | null;
}

/** Options: pairs 'reference' (each level against the reference, default the first) or 'pairwise' (every later level against every earlier one). */
export interface ContrastOptions {
  readonly grid: GridSpec;
  readonly pairs?: 'reference' | 'pairwise';
  readonly reference?: string;
  readonly level?: number;
}

/** The ratio kind of a link. */
export function ratioKind(linkName: string): RatioKind {
  return linkName === 'log' ? 'rate ratio' : linkName === 'logit' ? 'odds ratio' : linkName === 'identity' ? 'difference' : 'link difference';
}

/** The [b, a] level pairs compared (level b against level a), in the order of the contrast rows. */
export function pairIndices(levels: readonly string[], factor: string, opts: Pick<ContrastOptions, 'pairs' | 'reference'>): [number, number][] {
  if ((opts.pairs ?? 'reference') === 'pairwise') return levels.flatMap((_, b) => levels.slice(0, b).map((__, a): [number, number] => [b, a]));
  const ref = opts.reference === undefined ? 0 : levels.indexOf(opts.reference);
  if (ref < 0) throw new GlmmInputError(`reference level '${opts.reference}' is not a level of factor '${factor}' (${levels.join(', ')}); pick one of those`);
  return levels.flatMap((_, b): [number, number][] => (b === ref ? [] : [[b, ref]]));
}

/** Contrasts between levels of `factor`: link-scale differences, z tests, and ratios for log/logit links. */
export function levelContrasts(fit: LinkScaleFit, factor: string, opts: ContrastOptions): LevelContrast[] {
  const kind = ratioKind(linkOf(fit.link).name);
  const z = qnorm(1 - (1 - (opts.level ?? 0.95)) / 2);
  const { levels, L } = levelRows(fit, factor, opts.grid);
  return pairIndices(levels, factor, opts).map(([b, a]) => {
    const d = L[b].map((v, j) => v - L[a][j]);
    const { est, se } = linearCombination(fit, d);
    const isRatio = kind === 'rate ratio' || kind === 'odds ratio';
    const r = Math.exp(est);
    return {
      label: `${levels[b]} ${isRatio ? '/' : '-'} ${levels[a]}`, kind, estimate: est, se, z: est / se, p: ptTwoSided(est / se, Infinity),
      lower: est - z * se, upper: est + z * se,
      ratio: isRatio ? r : null, ratioSe: isRatio ? r * se : null,
      ratioLower: isRatio ? Math.exp(est - z * se) : null, ratioUpper: isRatio ? Math.exp(est + z * se) : null,
    };
  });
}

/** The contrast (ratio e^δ for log/logit links, else the link-scale difference δ) in every draw: `ratio_<f>[b/a]` or `diff_<f>[b-a]`. */
export function contrastDraws(model: Pick<LinkScaleFit, 'names' | 'link' | 'design'>, draws: ParameterDraws, factor: string,
  opts: Omit<ContrastOptions, 'level'>): DerivedDraws {
  const kind = ratioKind(linkOf(model.link).name), isRatio = kind === 'rate ratio' || kind === 'odds ratio';
  const p = model.names.length;
  const { levels, L } = levelRows(model, factor, opts.grid);
  const pairs = pairIndices(levels, factor, opts);
  const values = new Float64Array(draws.nDraws * pairs.length);
  for (let s = 0; s < draws.nDraws; s++) {
    pairs.forEach(([b, a], k) => {
      let d = 0;
      for (let j = 0; j < p; j++) d += (L[b][j] - L[a][j]) * draws.beta[s * p + j];
      values[s * pairs.length + k] = isRatio ? Math.exp(d) : d;
    });
  }
  return { names: pairs.map(([b, a]) => (isRatio ? `ratio_${factor}[${levels[b]}/${levels[a]}]` : `diff_${factor}[${levels[b]}-${levels[a]}]`)), nDraws: draws.nDraws, values };
}
