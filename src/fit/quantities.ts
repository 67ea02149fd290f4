/**
 * Quantities users derive from a fit, from both answers in one shape: any function of the parameters
 * (`derive`: posterior quantiles beside a delta-method interval), data-scale means of factor levels
 * (`means`, emmeans-style) and contrasts between levels (`contrasts`: rate or odds ratios for log and
 * logit links, differences otherwise).
 */
import { GlmmInputError } from '../../base/errors.js';
import { deltaMethod, deriveDraws, summarizeDerived, type DeltaResult, type DerivedSummary } from '../inference/derived.js';
import { dataScaleMeans, levelRows, meanDraws, parameterDrawsFrom, type DataScaleMean, type MeanType } from '../inference/means.js';
import { contrastDraws, levelContrasts, pairIndices, ratioKind, type RatioKind } from '../inference/contrasts.js';
import { gridSpecFromFrame } from '../design/refgrid.js';
import { getLink } from '../../models/links.js';
import type { FitLike } from './api.js';

/** The delta-method answer of {@link derive}, with the scale its interval was built on. */
export interface DerivedLaplace extends DeltaResult {
  /** 'log': the interval is exp(log f̂ ± z·SE(log f̂)) (a positive quantity); 'identity': f̂ ± z·SE. */
  readonly scale: 'log' | 'identity';
  /** One line saying how the interval was made. */
  readonly method: string;
}

/** A derived quantity from both answers: posterior quantiles and, where the Laplace fit exists, a delta-method interval. */
export interface Derived {
  readonly name: string;
  readonly posterior: DerivedSummary | null;
  /** Delta-method estimate and interval over the fixed effects' vcov; null when f uses other parameters or there is no Laplace fit. */
  readonly laplace: DerivedLaplace | null;
}

/** Options of {@link derive}. */
export interface DeriveOptions {
  /** Quantiles of the posterior summary (default 0.025, 0.975). */
  readonly probs?: readonly number[];
  /** Level of the delta-method interval (default 0.95). */
  readonly level?: number;
  /**
   * Scale of the delta-method interval: 'log' for a positive quantity (a ratio, a rate), back-transformed,
   * so that it cannot cross 0; 'identity'; 'auto' (default): 'log' when f is positive at the estimate and in
   * every posterior draw (a fit without draws: at the estimate and at ±4 SE of each fixed effect it uses).
   */
  readonly scale?: 'auto' | 'log' | 'identity';
}

/** True when f looks positive over the plausible parameter values (see DeriveOptions.scale). */
function looksPositive(f: FitLike, fn: (p: Record<string, number>) => number, est: Readonly<Record<string, number>>, values: Float64Array | null): boolean {
  if (!(fn({ ...est }) > 0)) return false;
  if (values) return values.every((v) => v > 0);
  const names = f.spec.design.fixed.names;
  const V = f.laplace!.vcov!;
  return names.every((n, j) => {
    const h = 4 * Math.sqrt(V[j * names.length + j]);
    return fn({ ...est, [n]: est[n] + h }) > 0 && fn({ ...est, [n]: est[n] - h }) > 0;
  });
}

/**
 * Any function of the parameters (by DESIGN name), summarized over the draws and, for the likelihood
 * answer, by the delta method when f depends on fixed effects only. A positive quantity's interval is
 * built on the log scale and back-transformed (as emmeans does for ratios), so `exp(b)` gets
 * exp(b̂ ± z·SE(b̂)) instead of an interval reaching below 0. The third argument may be the posterior
 * quantiles (as before) or the options.
 */
export function derive(f: FitLike, name: string, fn: (p: Record<string, number>) => number, opts: readonly number[] | DeriveOptions = {}): Derived {
  const o: DeriveOptions = Array.isArray(opts) ? { probs: opts as readonly number[] } : (opts as DeriveOptions);
  const values = f.draws ? deriveDraws(f.draws, name, fn) : null;
  const posterior = values ? summarizeDerived(values, f.draws!, o.probs ?? [0.025, 0.975]) : null;
  const run = f.laplace && !f.laplace.error ? f.laplace : null;
  if (!run?.vcov) return { name, posterior, laplace: null };
  const est = run.estimates;
  const bNames = f.spec.design.fixed.names;
  const base = fn({ ...est });
  // everything but X's coefficients (ordinal thresholds b_Intercept[k] included: vcov is X's only)
  const others = Object.keys(est).filter((k) => !bNames.includes(k) && !k.startsWith('r_'));
  const usesOthers = others.some((k) => {
    const h = 1e-4 * Math.max(1, Math.abs(est[k]));
    return Math.abs(fn({ ...est, [k]: est[k] + h }) - base) > 1e-12 * Math.max(1, Math.abs(base));
  });
  if (usesOthers) return { name, posterior, laplace: null };
  const level = o.level ?? 0.95;
  const asked = o.scale ?? 'auto';
  const scale = asked === 'auto' ? (looksPositive(f, fn, est, values) ? 'log' : 'identity') : asked;
  if (scale === 'log' && !(base > 0)) throw new GlmmInputError(`derive '${name}': scale 'log' needs a positive value at the estimate (got ${base}); use scale 'identity'`);
  const at = (p: Record<string, number>) => fn({ ...est, ...p });
  const point = Object.fromEntries(bNames.map((n) => [n, est[n]]));
  if (scale === 'identity') {
    return { name, posterior, laplace: { ...deltaMethod(at, point, run.vcov, bNames, level), scale, method: `delta method, Wald interval ±${pctOf(level)}` } };
  }
  const logD = deltaMethod((p) => Math.log(at(p)), point, run.vcov, bNames, level);
  const laplace: DerivedLaplace = {
    estimate: base, se: base * logD.se, lower: Math.exp(logD.lower), upper: Math.exp(logD.upper),
    gradient: logD.gradient.map((g) => g * base), scale,
    method: `delta method on the log scale, back-transformed: exp(log f ± z·SE(log f)), ${pctOf(level)}`,
  };
  return { name, posterior, laplace };
}

function pctOf(level: number): string {
  return `${Number((100 * level).toPrecision(6))}%`;
}

/** Data-scale means of each level of a factor from both answers (conditional at random effects 0, or marginal), intervals at `ciLevel`. */
export function means(f: FitLike, factor: string, type: MeanType = 'conditional', ciLevel = 0.95): { laplace: DataScaleMean[] | null; posterior: { level: string; summary: DerivedSummary }[] | null } {
  const d = f.spec.design;
  const grid = gridSpecFromFrame(d, f.frame, f.factors);
  const run = f.laplace && !f.laplace.error ? f.laplace : null;
  const sdNames = f.spec.params.filter((p) => p.class === 'sd' && p.term === 'Intercept').map((p) => p.name);
  const laplace = run?.vcov
    ? dataScaleMeans({ beta: d.fixed.names.map((n) => run.estimates[n]), vcov: run.vcov, names: d.fixed.names, link: f.spec.link, design: d,
      sds: Object.fromEntries(sdNames.map((n) => [n, run.estimates[n] ?? 0])) }, factor, { grid, type, level: ciLevel })
    : null;
  let posterior: { level: string; summary: DerivedSummary }[] | null = null;
  if (f.draws) {
    const pd = parameterDrawsFrom(f.draws, d.fixed.names);
    const sds = type === 'marginal' ? Object.fromEntries(sdNames.map((n) => [n, deriveDraws(f.draws!, n, (p) => p[n])])) : undefined;
    const md = meanDraws({ names: d.fixed.names, link: f.spec.link, design: d }, { ...pd, sds }, factor, { grid, type });
    // md.names are draws names (mean_trt[0]); report the level itself, as the Laplace rows do
    const { levels } = levelRows({ design: d, names: d.fixed.names }, factor, grid);
    posterior = levels.map((level, j) => {
      const v = new Float64Array(md.nDraws);
      for (let s = 0; s < md.nDraws; s++) v[s] = md.values[s * md.names.length + j];
      return { level, summary: summarizeDerived(v, f.draws!, [(1 - ciLevel) / 2, (1 + ciLevel) / 2]) };
    });
  }
  return { laplace, posterior };
}

/**
 * One contrast, the same fields from either answer. `estimate`, `lower`, `upper` are on the reported
 * scale: the ratio e^δ for log and logit links (rate or odds ratio), else the difference δ.
 */
export interface ContrastRow {
  /** "1 / 0" for ratios, "1 - 0" for differences (level b against level a). */
  readonly name: string;
  readonly kind: RatioKind;
  /** Laplace: e^δ̂ (or δ̂); posterior: the median of the draws (of e^δ or δ). */
  readonly estimate: number;
  /** Laplace: delta-method SE on the reported scale; posterior: sd of the draws. */
  readonly se: number;
  /** Interval at `level`: Laplace e^{δ̂ ± z·SE(δ̂)} (or δ̂ ± z·SE); posterior central quantiles. */
  readonly lower: number;
  readonly upper: number;
  readonly level: number;
  /** Laplace: two-sided z-test p of δ = 0 (emmeans for glmer fits); posterior: null. */
  readonly p: number | null;
  /** Posterior: P(ratio > 1), or P(difference > 0); Laplace: null. */
  readonly probPositive: number | null;
  /** Laplace: δ on the link scale with its SE and interval; posterior: null. */
  readonly link: { readonly estimate: number; readonly se: number; readonly lower: number; readonly upper: number } | null;
}

/** Contrasts between levels of a factor from both answers, in one shape ({@link ContrastRow}). */
export function contrasts(f: FitLike, factor: string, pairs: 'reference' | 'pairwise' = 'reference', level = 0.95): { laplace: ContrastRow[] | null; posterior: ContrastRow[] | null } {
  const d = f.spec.design;
  const grid = gridSpecFromFrame(d, f.frame, f.factors);
  const kind = ratioKind(getLink(f.spec.link).name);
  const run = f.laplace && !f.laplace.error ? f.laplace : null;
  const laplace = run?.vcov
    ? levelContrasts({ beta: d.fixed.names.map((n) => run.estimates[n]), vcov: run.vcov, names: d.fixed.names, link: f.spec.link, design: d }, factor, { grid, pairs, level })
      .map((c): ContrastRow => ({
        name: c.label, kind, estimate: c.ratio ?? c.estimate, se: c.ratioSe ?? c.se, lower: c.ratioLower ?? c.lower, upper: c.ratioUpper ?? c.upper,
        level, p: c.p, probPositive: null, link: { estimate: c.estimate, se: c.se, lower: c.lower, upper: c.upper },
      }))
    : null;
  let posterior: ContrastRow[] | null = null;
  if (f.draws) {
    const cd = contrastDraws({ names: d.fixed.names, link: f.spec.link, design: d }, parameterDrawsFrom(f.draws, d.fixed.names), factor, { grid, pairs });
    const { levels } = levelRows({ design: d, names: d.fixed.names }, factor, grid);
    const pairList = pairIndices(levels, factor, { pairs });
    posterior = cd.names.map((drawName, j) => {
      const v = new Float64Array(cd.nDraws);
      for (let s = 0; s < cd.nDraws; s++) v[s] = cd.values[s * cd.names.length + j];
      const isRatio = drawName.startsWith('ratio_');
      let pos = 0;
      for (const x of v) if (isRatio ? x > 1 : x > 0) pos++;
      const s = summarizeDerived(v, f.draws!, [(1 - level) / 2, (1 + level) / 2]);
      // "1 / 0" or "1 - 0", as the Laplace rows name it
      const [b, a] = pairList[j];
      const name = `${levels[b]} ${isRatio ? '/' : '-'} ${levels[a]}`;
      return { name, kind, estimate: s.median, se: s.sd, lower: s.quantiles[0].value, upper: s.quantiles[1].value, level, p: null, probPositive: pos / v.length, link: null };
    });
  }
  return { laplace, posterior };
}
