/**
 * The default priors of every fit (DESIGN.md §Priors): proper everywhere, reference priors for
 * non-identity links, brms's data-scaled rule for the identity link.
 */
import type { PriorClass, PriorDist, PriorSpec } from './priors.js';
import type { FamilyName } from './families/types.js';
import { getFamily } from './families/getFamily.js';

/** The part of a design defaultPriors reads (a Design satisfies it). */
export interface PriorData {
  readonly response: { readonly y: Float64Array };
  readonly random: readonly { readonly cov: { readonly usesLkj: boolean } }[];
  /** A family parameter's formula may have random terms too (--zi '~ x + (1|g)'): their sds take the same `sd` prior. */
  readonly paramFormulas?: readonly { readonly random?: readonly { readonly cov: { readonly usesLkj: boolean } }[] }[];
}

function median(v: Float64Array): number {
  const s = Float64Array.from(v).sort();
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

/** Rounds to 3 significant digits so the printed prior is exactly the prior used. */
function signif3(x: number): number {
  return Number(x.toPrecision(3));
}

/**
 * The default priors, proper everywhere (no flat priors: separation must not give an improper
 * posterior), printed with every fit.
 *
 * Non-identity links (the reference priors of glmm-references.json, so default fits are comparable
 * with the Stan reference answers): `b ~ normal(0, 5)`, `Intercept ~ normal(0, 5)`,
 * `sd ~ student_t(3, 0, 2.5)`, `cor ~ lkj(1)`, and each family parameter's own default (models/families/:
 * `shape ~ gamma(0.01, 0.01)`, `sigma ~ student_t(3, 0, 2.5)`, the ordinal thresholds' `Intercept ~
 * student_t(3, 0, 2.5)`, brms's default for cumulative(), ...).
 *
 * Identity link (data scale), brms's rule s = max(2.5, mad(y)) with R's mad (1.4826 × median absolute
 * deviation), rounded to 3 significant digits: `Intercept ~ student_t(3, median(y), s)`,
 * `sd ~ student_t(3, 0, s)`, `sigma ~ student_t(3, 0, s)`, and, where brms would put a flat prior,
 * `b ~ normal(0, 5·s)` (weakly informative for predictors on a unit scale; set your own otherwise).
 * median(y) is also rounded to 3 significant digits.
 */
export function defaultPriors(design: PriorData, family: string, link: string): PriorSpec[] {
  const mk = (cls: PriorClass, prior: PriorDist): PriorSpec => ({ class: cls, group: null, coef: null, prior, source: 'default' });
  const out: PriorSpec[] = [];
  let sdScale = 2.5;
  const fam = getFamily(family as FamilyName);
  if (link === 'identity') {
    const y = fam.muScale ? design.response.y.map(fam.muScale) : design.response.y;
    const med = median(y);
    const absdev = new Float64Array(y.length);
    for (let i = 0; i < y.length; i++) absdev[i] = Math.abs(y[i] - med);
    const s = signif3(Math.max(2.5, 1.4826 * median(absdev)));
    sdScale = s;
    out.push(mk('b', { dist: 'normal', mu: 0, sigma: signif3(5 * s) }));
    out.push(mk('Intercept', { dist: 'student_t', df: 3, mu: signif3(med), sigma: s }));
  } else {
    out.push(mk('b', { dist: 'normal', mu: 0, sigma: 5 }));
    // a family whose parameters carry the intercept (ordinal thresholds) states its own Intercept prior below
    if (!fam.interceptInParams) out.push(mk('Intercept', { dist: 'normal', mu: 0, sigma: 5 }));
  }
  const random = [...design.random, ...(design.paramFormulas ?? []).flatMap((f) => f.random ?? [])];
  if (random.length > 0) out.push(mk('sd', { dist: 'student_t', df: 3, mu: 0, sigma: sdScale }));
  if (random.some((t) => t.cov.usesLkj)) out.push(mk('cor', { dist: 'lkj', eta: 1 }));
  for (const fp of fam.params) {
    out.push(mk(fp.name, fp.defaultPrior === 'data-scale' ? { dist: 'student_t', df: 3, mu: 0, sigma: sdScale } : fp.defaultPrior));
  }
  return out;
}
