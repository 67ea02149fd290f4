/**
 * Side-by-side comparison of fitted models: the loo_compare table (elpd_diff, se_diff against the
 * best, by PSIS-LOO, K-fold or WAIC) beside the likelihood's AIC/BIC (src/laplace/compare.ts) and,
 * for every nested pair, the likelihood-ratio test with the boundary mixture ½χ²_{df−1} + ½χ²_df when
 * the larger model only adds variance components (Self & Liang 1987; Stram & Lee 1994) or the negative
 * binomial's shape to a Poisson (1/shape = 0 on the boundary). Works from summary.json, so fits in
 * memory and `--out` directories compare alike.
 */
import { GlmmInputError } from '../../base/errors.js';
import { nestsFamily } from '../../models/families/getFamily.js';
import { isFamilyParamName } from '../../models/families/params.js';
import { informationCriteria, likelihoodRatioTest, type FitSummary, type IcRow, type LrtResult } from '../laplace/compare.js';
import type { SummaryJson } from '../report/schema.js';
import { elpdCompare, type ElpdCompareRow, type ElpdInput } from './compare.js';

/** One model to compare: its summary and the pointwise elpd of the chosen criterion. */
export interface ComparedModel {
  readonly label: string;
  readonly summary: SummaryJson;
  readonly elpd: ElpdInput | null;
}

/** Which pointwise elpd the table uses. */
export type Criterion = 'loo' | 'kfold' | 'waic' | 'loo-group';

/** The comparison: elpd table, information criteria, LRTs of nested pairs, notes. */
export interface ModelComparison {
  readonly criterion: Criterion;
  readonly elpd: ElpdCompareRow[] | null;
  readonly ic: IcRow[] | null;
  readonly lrt: LrtResult[];
  readonly notes: string[];
}

/** Parameters that make a model: family, link, fixed effects, sds, cors, family parameters. */
function parts(s: SummaryJson) {
  const cls = (c: string) => new Set(s.parameters.filter((p) => p.class === c).map((p) => p.name));
  return { family: s.model.family, link: s.model.link, b: cls('b'), sd: cls('sd'), cor: cls('cor'), fam: new Set(s.parameters.filter((p) => isFamilyParamName(p.class)).map((p) => p.name)) };
}

const subset = (a: Set<string>, b: Set<string>) => [...a].every((x) => b.has(x));

/**
 * Whether `a` is nested in `b` (b = a plus parameters), and whether b's extra parameters sit on the
 * boundary under a: only variance components (sd, with their cors) or a family into one that nests it
 * on the boundary of its parameter (`Family.nests`: Poisson → negative binomial).
 */
export function nesting(a: SummaryJson, b: SummaryJson): { nested: boolean; boundary: boolean } {
  const A = parts(a), B = parts(b);
  const sameFamily = A.family === B.family && A.link === B.link;
  const poisToNb = nestsFamily(A.family, B.family) && A.link === B.link;
  if (!(sameFamily || poisToNb)) return { nested: false, boundary: false };
  const nested = subset(A.b, B.b) && subset(A.sd, B.sd) && subset(A.cor, B.cor) && subset(A.fam, B.fam);
  const sameFixed = A.b.size === B.b.size;
  // one kind of boundary parameter only (added sds with their cors, or NB's 1/shape): the ½/½ mixture
  const addsSd = B.sd.size > A.sd.size;
  const addsVariance = addsSd !== poisToNb;
  return { nested, boundary: nested && sameFixed && addsVariance };
}

function fitSummary(label: string, s: SummaryJson): FitSummary | null {
  const l = s.laplace;
  if (!l || !Number.isFinite(l.logLik)) return null;
  return { label, logLik: l.logLik, df: Math.round((l.aic + 2 * l.logLik) / 2), nobs: s.model.nobs, reml: l.method.startsWith('REML') };
}

/** Compares two or more models (same data rows). */
export function compareModels(models: readonly ComparedModel[], criterion: Criterion): ModelComparison {
  if (models.length < 2) throw new GlmmInputError('a comparison needs at least two models');
  const notes: string[] = [];
  const n = models[0].summary.model.nobs;
  for (const m of models) {
    if (m.summary.model.nobs !== n) throw new GlmmInputError(`model '${m.label}' was fitted to ${m.summary.model.nobs} rows, '${models[0].label}' to ${n}: compare fits to the same rows`);
  }
  const withElpd = models.filter((m) => m.elpd !== null);
  const elpd = withElpd.length === models.length ? elpdCompare(withElpd.map((m) => ({ ...(m.elpd as ElpdInput), label: m.label }))) : null;
  if (!elpd) notes.push(`No ${criterion} for ${models.filter((m) => !m.elpd).map((m) => m.label).join(', ')}: write the pointwise log-likelihood (glmm fit --log-lik --out DIR) to compare by expected log predictive density.`);
  const fs = models.map((m) => fitSummary(m.label, m.summary));
  let ic: IcRow[] | null = null;
  const lrt: LrtResult[] = [];
  if (fs.every((f) => f !== null)) {
    const ok = fs as FitSummary[];
    if (ok.some((f) => f.reml)) notes.push('Some fits are REML: AIC, BIC and LRTs compare REML fits with identical fixed effects only; refit by ML (glmm laplace --ml) otherwise.');
    ic = informationCriteria(ok);
    for (let i = 0; i < models.length; i++) {
      for (let j = 0; j < models.length; j++) {
        if (i === j || ok[i].df >= ok[j].df) continue;
        const { nested, boundary } = nesting(models[i].summary, models[j].summary);
        if (!nested || ok[i].reml !== ok[j].reml) continue;
        const t = likelihoodRatioTest(ok[i], ok[j], { boundary });
        const nest = nestsFamily(models[i].summary.model.family, models[j].summary.model.family);
        lrt.push(nest && boundary ? { ...t, note: `${nest.note}: p from the mixture ½χ²(${t.df - 1}) + ½χ²(${t.df}); the plain χ²(${t.df}) p is conservative` } : t);
      }
    }
  } else notes.push(`No Laplace fit for ${models.filter((_, i) => !fs[i]).map((m) => m.label).join(', ')}: AIC, BIC and LRT need the likelihood answer.`);
  return { criterion, elpd, ic, lrt, notes };
}
