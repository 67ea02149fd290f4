/**
 * Random-effect tables as lme4 prints them, from posterior draws (posterior mean, sd, 5% and 95%
 * quantiles, as brms's ranef()/coef()/VarCorr() summaries) or from point estimates (the Laplace
 * fit: conditional modes, lme4's ranef()/coef()/VarCorr()):
 *
 * - ranef: r_group[level, term] per group, level and term;
 * - coef: per group and level, every fixed effect plus the random effect of the same term where the
 *   group has one (lme4 coef.merMod: β_j + b_{group}[level, j]);
 * - VarCorr: per random term, the sds, variances and correlations (and sigma for gaussian).
 * The random terms of the zero part's formula (--zi '~ x + (1|site)') are their own tables, as glmmTMB's
 * ranef()$zi: group `site__zi` (brms's r_site__zi[level,term]), terms without the `zi_` prefix, coef()
 * over the zero part's coefficients b_zi_*; VarCorr lists them as brms does (site: zi_Intercept).
 */
import { GlmmInputError } from '../../base/errors.js';
import type { Draws } from '../../diagnostics/draws.js';
import type { Design } from '../design/types.js';
import { quantileSorted } from '../../diagnostics/quantile.js';
import { mean, variance } from '../../diagnostics/basic-stats.js';
import { estimatesAsDraws } from './predict.js';
import { placedTerms, ranefParamName } from '../target/parameters.js';
import { getFamily } from '../../models/families/getFamily.js';

/** One value: posterior mean (sd, q5, q95 from draws) or a point estimate (sd, q5, q95 NaN). */
export interface Cell {
  readonly estimate: number;
  readonly sd: number;
  readonly q5: number;
  readonly q95: number;
}

/** A table per group: `values[level][term]`. */
export interface GroupTable {
  readonly group: string;
  readonly terms: readonly string[];
  readonly levels: readonly string[];
  readonly values: readonly (readonly Cell[])[];
}

/** Variance components of one random term (lme4's VarCorr block). */
export interface VarCorrBlock {
  readonly group: string;
  readonly terms: readonly string[];
  readonly sd: readonly Cell[];
  readonly variance: readonly Cell[];
  /** k × k; the diagonal is 1 (sd 0 for draws). */
  readonly cor: readonly (readonly Cell[])[];
}

/** VarCorr: the blocks, and the residual sd for the gaussian family (null otherwise). */
export interface VarCorrResult {
  readonly blocks: readonly VarCorrBlock[];
  readonly sigma: Cell | null;
}

/** Draws, or point estimates by parameter name. */
export type ParameterSource = Draws | Readonly<Record<string, number>>;

function isDraws(x: ParameterSource): x is Draws {
  return (x as Draws).data instanceof Float64Array && Array.isArray((x as Draws).names);
}

/** Per-draw access to a source. */
interface Accessor {
  readonly S: number;
  readonly point: boolean;
  /** All draws of parameter `name` (throws GlmmInputError when absent). */
  column(name: string): Float64Array;
  has(name: string): boolean;
}

function accessor(src: ParameterSource): Accessor {
  const draws = isDraws(src) ? src : estimatesAsDraws(src);
  const index = new Map(draws.names.map((n, j) => [n, j]));
  const P = draws.names.length;
  const S = draws.nChains * draws.nDraws;
  return {
    S,
    point: !isDraws(src),
    has: (name) => index.has(name),
    column(name) {
      const j = index.get(name);
      if (j === undefined) throw new GlmmInputError(`the draws/estimates have no parameter '${name}'; pass the constrained draws or estimates of the fitted model`);
      return Float64Array.from({ length: S }, (_, s) => draws.data[s * P + j]);
    },
  };
}

/** Mean, sd (n − 1) and R type-7 5%/95% quantiles; a point estimate when `point`. */
export function cellOf(x: Float64Array, point: boolean): Cell {
  if (point) return { estimate: x[0], sd: NaN, q5: NaN, q95: NaN };
  const sorted = Float64Array.from(x).sort();
  return { estimate: mean(x), sd: Math.sqrt(variance(x)), q5: quantileSorted(sorted, 0.05), q95: quantileSorted(sorted, 0.95) };
}

/** A table's grouping factor: its label, terms (brms labels), levels, its effects' names and the fixed effects of its part. */
interface GroupOf {
  readonly group: string;
  readonly terms: string[];
  readonly levels: readonly string[];
  readonly name: (level: string, term: string) => string;
  /** The part's fixed effects: parameter names and their term labels (η's b_*, or the zero part's b_zi_*). */
  readonly fixed: { readonly names: readonly string[]; readonly terms: readonly string[] };
}

/**
 * The random terms merged by grouping factor (lme4's ranef() lists `(1|g) + (0+x|g)` as one table), η's
 * then each parameter formula's (group `<group>__<param>`, terms without the `<param>_` prefix).
 */
function groupsOf(design: Design): GroupOf[] {
  const out = new Map<string, GroupOf>();
  const etaFixed = { names: design.fixed.names, terms: design.fixed.names.map((n) => n.slice(2)) };
  for (const { t, param } of placedTerms(design)) {
    const key = param ? `${t.group}__${param}` : t.group;
    const pf = param ? design.paramFormulas?.find((f) => f.param === param) : undefined;
    const fixed = pf ? { names: pf.names, terms: pf.names.map((n) => n.slice(`b_${param}_`.length)) } : etaFixed;
    const name = param ? (l: string, term: string) => ranefParamName(t.group, l, `${param}_${term}`, param) : (l: string, term: string) => ranefParamName(t.group, l, term);
    const g = out.get(key) ?? { group: key, terms: [], levels: t.levels, name, fixed };
    for (const term of t.terms) {
      const label = param ? term.slice(param.length + 1) : term;
      if (!g.terms.includes(label)) g.terms.push(label);
    }
    out.set(key, g);
  }
  return [...out.values()];
}

/**
 * lme4 `ranef(fit)` / brms `ranef(fit)`: per grouping factor, level and term, r_group[level,term]
 * (posterior summary from draws, the conditional mode from estimates).
 */
export function ranef(design: Design, source: ParameterSource): GroupTable[] {
  const a = accessor(source);
  return groupsOf(design).map(({ group, terms, levels, name }) => ({
    group, terms, levels,
    values: levels.map((l) => terms.map((t) => cellOf(a.column(name(l, t)), a.point))),
  }));
}

/**
 * lme4 `coef(fit)` / brms `coef(fit)`: per grouping factor and level, every fixed effect (brms term
 * labels: Intercept, trt1), adding r_group[level, term] for terms the group has, per draw.
 */
export function coef(design: Design, source: ParameterSource): GroupTable[] {
  const a = accessor(source);
  return groupsOf(design).map(({ group, terms, levels, name, fixed }) => {
    const beta = fixed.names.map((n) => a.column(n));
    return {
      group,
      terms: [...fixed.terms],
      levels,
      values: levels.map((l) => fixed.terms.map((t, j) => {
        if (!terms.includes(t)) return cellOf(beta[j], a.point);
        const r = a.column(name(l, t));
        return cellOf(r.map((v, s) => v + beta[j][s]), a.point);
      })),
    };
  });
}

/**
 * lme4 `VarCorr(fit)` / brms `VarCorr(fit)`: per random term, sd_group__term, its square and the
 * correlations cor_group__a__b (computed per draw, then summarized); sigma for the gaussian family.
 */
export function VarCorr(design: Design, source: ParameterSource): VarCorrResult {
  const a = accessor(source);
  const ones = new Float64Array(a.S).fill(1);
  const blocks = placedTerms(design).map(({ t }): VarCorrBlock => {
    const sdTerms = t.cov.sdTerms(t.terms);
    const sds = t.terms.map((_, i) => a.column(`sd_${t.group}__${sdTerms[t.cov.sdIndex(i)]}`));
    // the structure's correlation parameters per draw → its k × k correlation matrix per draw
    const params = t.cov.correlationParams(t.group, t.terms).map((c) => {
      const swapped = c.term2 === null ? c.name : `cor_${t.group}__${c.term2}__${c.term}`;
      return a.column(a.has(c.name) ? c.name : swapped);
    });
    const k = t.k;
    const Rs = Array.from({ length: a.S }, (_, s) => t.cov.correlationMatrix(params.map((x) => x[s]), 0));
    const cor = t.terms.map((_, i) => t.terms.map((__, j) => (i === j ? cellOf(ones, a.point) : cellOf(Float64Array.from(Rs, (R) => R[i * k + j]), a.point))));
    return {
      group: t.group,
      terms: t.terms,
      sd: sds.map((x) => cellOf(x, a.point)),
      variance: sds.map((x) => cellOf(x.map((v) => v * v), a.point)),
      cor,
    };
  });
  const sigma = getFamily(design.family).linearMixed && a.has('sigma') ? cellOf(a.column('sigma'), a.point) : null;
  return { blocks, sigma };
}
