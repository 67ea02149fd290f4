/**
 * Predictions from a fitted GLMM, per posterior draw (brms's posterior_linpred, posterior_epred,
 * posterior_predict) or from point estimates (lme4's predict.merMod), for the fit's rows or for new
 * rows built by newdataRows (src/inference/newdata.ts):
 *
 *   η = X β + Σ_terms Z_t r_t[level] + offset,   μ = g⁻¹(η).
 *
 * `reForm: 'none'` leaves the random effects out (lme4 `re.form = NA`, brms `re_formula = NA`).
 * New grouping levels: with draws, by default each new level gets its own effect drawn per draw from
 * N(0, Σ) with Σ = diag(sd) R diag(sd) of that draw (brms `sample_new_levels = "gaussian"`), the same
 * effect for every row of that level within a draw; `newLevels: 'population'` sets them to 0 (lme4
 * `allow.new.levels = TRUE`, which predictPoint always does).
 */
import { GlmmInputError } from '../../base/errors.js';
import type { Draws } from '../../diagnostics/draws.js';
import type { Design, RandomTerm } from '../design/types.js';
import type { FamilyValues, Family, Link } from '../../models/families/types.js';
import { familyFor, getFamily } from '../../models/families/getFamily.js';
import { familyLayout, familyValueNames } from '../../models/families/layout.js';
import { formulaLayout, hasFormulas, rowValues, type FormulaExtra, type FormulaLayout } from '../../models/families/formula-layout.js';
import { ranefParamName } from '../target/parameters.js';
import { rnormStd } from '../../models/families/random.js';
import { fitRows, type NewRows } from './newdata.js';
import { cholesky } from '../linalg/cholesky.js';

/** Which random effects enter η: all of them, or none (population level). */
export type ReForm = 'all' | 'none';

/** Options shared by the prediction functions. */
export interface PredictOptions {
  /** Rows to predict for (newdataRows(...)); default the fit's rows. */
  readonly newdata?: NewRows;
  /** Default 'all'. */
  readonly reForm?: ReForm;
  /** Effects of new grouping levels: 'gaussian' (drawn, needs rng; default) or 'population' (0). */
  readonly newLevels?: 'gaussian' | 'population';
  /** Uniform(0,1) source (seedrandom) for drawing new-level effects. */
  readonly rng?: () => number;
}

/** Name of random effect (level, term) of group g, DESIGN.md: r_block[3,Intercept]. */
export function ranefName(group: string, level: string, term: string): string {
  return `r_${group}[${level},${term}]`;
}

function lookup(index: Map<string, number>, name: string): number {
  const j = index.get(name);
  if (j === undefined) throw new GlmmInputError(`the draws/estimates have no parameter '${name}'; pass the constrained draws of the fitted model`);
  return j;
}

/** Parameter positions of one random term: r (levels × k), and sd, cor when new levels are drawn. */
interface TermColumns {
  readonly r: Int32Array;
  readonly sd: Int32Array | null;
  /** Positions of the structure's correlation parameters (cov.correlationParams order). */
  readonly cor: Int32Array | null;
}

function termColumns(t: RandomTerm, index: Map<string, number>, needSigma: boolean): TermColumns {
  const k = t.k;
  const r = new Int32Array(t.levels.length * k);
  t.levels.forEach((l, li) => t.terms.forEach((term, c) => { r[li * k + c] = lookup(index, ranefName(t.group, l, term)); }));
  if (!needSigma) return { r, sd: null, cor: null };
  const sdTerms = t.cov.sdTerms(t.terms);
  const sd = Int32Array.from(t.terms, (_, a) => lookup(index, `sd_${t.group}__${sdTerms[t.cov.sdIndex(a)]}`));
  const cor = Int32Array.from(t.cov.correlationParams(t.group, t.terms), (c) => {
    // a us pair may be named either way round (cor_g__a__b or cor_g__b__a)
    const swapped = c.term2 === null ? c.name : `cor_${t.group}__${c.term2}__${c.term}`;
    return index.has(c.name) ? lookup(index, c.name) : lookup(index, swapped);
  });
  return { r, sd, cor };
}

/**
 * η per draw × row, as Draws with names eta[1..nobs] (brms posterior_linpred): `out.data[s·nobs + i]`
 * with s = chain·nDraws + draw. Throws GlmmInputError when a needed parameter is not in the draws,
 * or when new levels are to be drawn without an rng.
 */
export function linearPredictorDraws(design: Design, draws: Draws, opts: PredictOptions = {}): Draws {
  const rows = opts.newdata ?? fitRows(design);
  const reForm = opts.reForm ?? 'all';
  const mode = opts.newLevels ?? 'gaussian';
  const P = draws.names.length;
  const index = new Map(draws.names.map((n, j) => [n, j]));
  const p = design.fixed.p;
  const bIdx = Int32Array.from(design.fixed.names, (n) => lookup(index, n));
  const n = rows.nobs;
  const S = draws.nChains * draws.nDraws;
  const terms = reForm === 'all' ? design.random : [];
  if (rows.random.length !== design.random.length) throw new Error('newdata rows were built for another design');
  const drawNew = terms.map((_, t) => mode === 'gaussian' && rows.random[t].newLevels.length > 0);
  if (drawNew.some((d) => d) && !opts.rng) {
    const t = drawNew.indexOf(true);
    throw new GlmmInputError(`newdata has levels of '${design.random[t].group}' the fit did not see (${rows.random[t].newLevels.slice(0, 3).join(', ')}); pass rng to draw their effects or newLevels: 'population'`);
  }
  const layouts = terms.map((t, ti) => termColumns(t, index, drawNew[ti]));
  // r values of each term for the current draw: fitted levels then new levels (k each).
  const rvals = terms.map((t, ti) => new Float64Array((t.levels.length + rows.random[ti].newLevels.length) * t.k));
  const beta = new Float64Array(p);
  const out = new Float64Array(S * n);
  for (let s = 0; s < S; s++) {
    const base = s * P;
    for (let j = 0; j < p; j++) beta[j] = draws.data[base + bIdx[j]];
    terms.forEach((t, ti) => {
      const lay = layouts[ti];
      const rv = rvals[ti];
      for (let q = 0; q < lay.r.length; q++) rv[q] = draws.data[base + lay.r[q]];
      if (!drawNew[ti]) return;
      const k = t.k;
      const sd = Float64Array.from(lay.sd as Int32Array, (j) => draws.data[base + j]);
      const R = t.cov.correlationMatrix(Array.from(lay.cor as Int32Array, (j) => draws.data[base + j]), 0);
      const L = cholesky(R, k, { floor: 0 }) as Float64Array;
      const z = new Float64Array(k);
      for (let l = 0; l < rows.random[ti].newLevels.length; l++) {
        for (let c = 0; c < k; c++) z[c] = rnormStd(opts.rng as () => number);
        const off = (t.levels.length + l) * k;
        for (let a = 0; a < k; a++) {
          let v = 0;
          for (let c = 0; c <= a; c++) v += L[a * k + c] * z[c];
          rv[off + a] = sd[a] * v; // b = diag(sd) L z
        }
      }
    });
    const o = s * n;
    for (let i = 0; i < n; i++) {
      let eta = rows.offset ? rows.offset[i] : 0;
      for (let j = 0; j < p; j++) eta += rows.X[i * p + j] * beta[j];
      for (let ti = 0; ti < terms.length; ti++) {
        const k = terms[ti].k;
        const rr = rows.random[ti];
        const lev = rr.index[i];
        if (lev >= terms[ti].levels.length && !drawNew[ti]) continue; // new level at the population value
        for (let c = 0; c < k; c++) eta += rr.Z[i * k + c] * rvals[ti][lev * k + c];
      }
      out[o + i] = eta;
    }
  }
  return { nChains: draws.nChains, nDraws: draws.nDraws, names: indexed('eta', n), data: out };
}

function indexed(prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}[${i + 1}]`);
}

/** The link: the given one, else the family's default. */
function linkOf(design: Design, link?: Link): Link {
  return link ?? familyFor(design.family, getFamily(design.family).defaultLink).link;
}

/**
 * Expected value of the response per draw × row (brms posterior_epred): μ = g⁻¹(η), times the
 * number of trials for binomial (Draws named mu[1..nobs]). Binomial newdata without response
 * columns uses 1 trial per row unless newdataRows was given `trials`.
 */
export function fittedDraws(design: Design, draws: Draws, link?: Link, opts: PredictOptions = {}): Draws {
  const eta = linearPredictorDraws(design, draws, opts);
  const g = linkOf(design, link);
  const rows = opts.newdata ?? fitRows(design);
  const n = rows.nobs;
  const trials = getFamily(design.family).response.trials === 'counts' ? rows.trials : null;
  const out = new Float64Array(eta.data.length);
  for (let q = 0; q < out.length; q++) out[q] = g.linkinv(eta.data[q]) * (trials ? trials[q % n] : 1);
  return { ...eta, names: indexed('mu', n), data: out };
}

/** Point estimates as a one-draw Draws, so point and posterior predictions share one code path. */
export function estimatesAsDraws(estimates: Readonly<Record<string, number>>): Draws {
  const names = Object.keys(estimates);
  return { nChains: 1, nDraws: 1, names, data: Float64Array.from(names, (k) => estimates[k]) };
}

/**
 * Predictions from point estimates (the Laplace fit: β, conditional modes r), as lme4's
 * `predict(fit, newdata, re.form, allow.new.levels = TRUE, type)`: type 'link' gives η, 'response'
 * gives μ = g⁻¹(η) (the success probability for binomial, as lme4, not trials·p). New levels get
 * random effect 0.
 */
export function predictPoint(design: Design, estimates: Readonly<Record<string, number>>, opts: { newdata?: NewRows; reForm?: ReForm; type?: 'link' | 'response'; link?: Link } = {}): Float64Array {
  const eta = linearPredictorDraws(design, estimatesAsDraws(estimates), { newdata: opts.newdata, reForm: opts.reForm, newLevels: 'population' }).data;
  if ((opts.type ?? 'link') === 'link') return eta;
  const g = linkOf(design, opts.link);
  return eta.map((e) => g.linkinv(e));
}

/**
 * The family parameters' natural values per draw, by row: `at[s](i)` is row i's FamilyValues in draw s
 * (the same for every row unless a parameter has a formula, models/families/formula-layout.ts; the
 * formula's rows are the fit's, so `newRows` with a formula is refused).
 */
export function familyDraws(design: Design, family: Family, draws: Draws, newRows = false): ((i: number) => FamilyValues)[] {
  const S = draws.nChains * draws.nDraws;
  const fl = formulaLayout(family, design.response.y, design.paramFormulas);
  if (newRows && hasFormulas(fl)) throw new GlmmInputError('new rows with a --zi formula are not supported yet (its model matrix is the fit\'s rows); predict on the fit\'s own rows');
  const names = familyValueNames(fl.block);
  const byName = new Map(draws.names.map((n, k) => [n, k]));
  const cols = names.map((n) => lookup(byName, n));
  const P = draws.names.length;
  const extra = formulaExtraDraws(design, fl, draws);
  return Array.from({ length: S }, (_, s) => {
    const block = Float64Array.from(cols, (j) => draws.data[s * P + j]);
    if (!extra) return rowValues(fl, block);
    let at: ((i: number) => FamilyValues) | null = null; // the random part computed on first use
    return (i: number) => (at ??= rowValues(fl, block, extra(s)))(i);
  });
}

/**
 * The random terms' part of each parameter formula's row coordinate in draw s, on the fit's rows
 * (FormulaExtra, formula-layout.ts): Σ_t Z_t[i,·] r_t[level(i)] from the draws' r_<group>__<param>[level,term]
 * (--zi '~ x + (1|site)': r_site__zi[R-1,Intercept]); undefined when no formula has random terms.
 */
export function formulaExtraDraws(design: Design, fl: FormulaLayout, draws: Draws): ((s: number) => FormulaExtra) | undefined {
  const byParam = new Map((design.paramFormulas ?? []).map((f) => [f.param as string, f.random ?? []]));
  const termsOf = fl.formulas.map((f) => byParam.get(f.slot.param.name) ?? []);
  if (termsOf.every((ts) => ts.length === 0)) return undefined;
  const index = new Map(draws.names.map((n, k) => [n, k]));
  const cols = fl.formulas.map((f, fi) => termsOf[fi].map((t) => {
    const r = new Int32Array(t.levels.length * t.k);
    t.levels.forEach((l, li) => t.terms.forEach((term, c) => { r[li * t.k + c] = lookup(index, ranefParamName(t.group, l, term, f.slot.param.name)); }));
    return r;
  }));
  const n = design.nobs;
  const P = draws.names.length;
  return (s) => termsOf.map((ts, fi) => {
    if (ts.length === 0) return null;
    const out = new Float64Array(n);
    ts.forEach((t, ti) => {
      const r = cols[fi][ti];
      for (let i = 0; i < n; i++) for (let a = 0; a < t.k; a++) out[i] += t.Z[i * t.k + a] * draws.data[s * P + r[t.index[i] * t.k + a]];
    });
    return out;
  });
}

/**
 * Replicated data y_rep per draw × row (brms posterior_predict): y ~ family(g⁻¹(η), aux, trials) with
 * family.simulate and the seeded `rng`; Draws named y_rep[1..nobs]. The same rng draws new-level
 * effects (brms sample_new_levels = "gaussian") unless opts.newLevels = 'population'.
 */
export function posteriorPredictive(design: Design, draws: Draws, family: Family, link: Link, rng: () => number, opts: PredictOptions = {}): Draws {
  const eta = linearPredictorDraws(design, draws, { ...opts, rng: opts.rng ?? rng });
  const rows = opts.newdata ?? fitRows(design);
  const n = rows.nobs;
  const aux = familyDraws(design, family, draws, opts.newdata !== undefined);
  const out = new Float64Array(eta.data.length);
  for (let q = 0; q < out.length; q++) {
    const trials = rows.trials ? rows.trials[q % n] : 1;
    out[q] = family.simulate(rng, link.linkinv(eta.data[q]), aux[Math.floor(q / n)](q % n), trials);
  }
  return { ...eta, names: indexed('y_rep', n), data: out };
}

/** Residual types of lme4's residuals.glmerMod. */
export type ResidualType = 'response' | 'pearson' | 'deviance';

/**
 * Residuals at point estimates, as lme4's `residuals(fit, type)` for a glmerMod (lme4 R/lmer.R
 * residuals.glmResp) on the fit's rows (or new rows holding the response): with y on R's scale
 * (the proportion y/trials for binomial) and μ = g⁻¹(η) including the random effects,
 * response = y − μ; pearson = (y − μ)·√w / √V(μ) with V R's variance function, which has no
 * dispersion (gaussian V = 1, Gamma V = μ²; the negative binomial's includes θ = shape) and w the
 * binomial trials; deviance = sign(y − μ)·√(dev.resids(y, μ, w)) from family.devResid.
 */
export function residuals(design: Design, estimates: Readonly<Record<string, number>>, type: ResidualType = 'deviance', opts: { family?: Family; link?: Link; newdata?: NewRows } = {}): Float64Array {
  const family = opts.family ?? getFamily(design.family);
  const rows = opts.newdata ?? fitRows(design);
  if (!rows.y) throw new GlmmInputError('residuals need the response; newdata has no response column');
  const y = rows.y;
  const mu = predictPoint(design, estimates, { newdata: rows, type: 'response', link: opts.link });
  // R's variance function has no dispersion: aux = 1 gives V = 1 (gaussian), μ² (Gamma); NB keeps θ
  // (the parameter's `inVarianceFunction`).
  const layout = familyLayout(family, design.response.y);
  const names = familyValueNames(layout);
  const aux = new Float64Array(layout.dim).fill(1);
  for (const sl of layout.slots) {
    if (!sl.param.inVarianceFunction) continue;
    for (let k = 0; k < sl.size; k++) {
      const name = names[sl.offset + k];
      if (!(name in estimates)) throw new GlmmInputError(`the estimates have no parameter '${name}'; pass the fitted ${family.name} ${name}`);
      aux[sl.offset + k] = estimates[name];
    }
  }
  const binom = family.response.trials !== null;
  return mu.map((m, i) => {
    const n = binom && rows.trials ? rows.trials[i] : 1;
    const yr = binom ? y[i] / n : y[i];
    if (type === 'response') return yr - m;
    if (type === 'pearson') return ((yr - m) * Math.sqrt(n)) / Math.sqrt(family.variance(m, aux, n));
    const d = Math.sqrt(Math.max(family.devResid(y[i], m, aux, n), 0));
    return yr > m ? d : -d;
  });
}
