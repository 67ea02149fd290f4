/**
 * Priors in brms's syntax and classes (brms `set_prior`, `prior_string`): `b ~ normal(0, 5)`,
 * `Intercept ~ normal(0, 5)`, `sd ~ student_t(3, 0, 2.5)`, `cor ~ lkj(1)`, `shape ~ gamma(0.01, 0.01)`,
 * `sigma ~ student_t(3, 0, 2.5)`, and named targets `b_trt1 ~ …`, `sd_block ~ …`,
 * `sd_block__Intercept ~ …`, `cor_lot ~ …`. Parsed by a hand scanner (no regexes).
 * The one correlation of a structured term has class `ar` (ar1's ρ, brms's class of autoregressive
 * parameters: `ar ~ uniform(-1, 1)`, `ar_patient ~ normal(0, 0.5)`) or `cor` (cs's common correlation,
 * toep's lag correlations: `cor ~ uniform(0, 1)`; brms writes cs as class `cosy`); `cor ~ lkj(eta)`
 * applies to the unstructured terms only, a uniform/normal `cor` prior to the structured ones only.
 *
 * sd, sigma and shape priors are half-distributions: truncated at 0 and renormalised by
 * 1 − F(0), so every prior density is proper and normalised. The intercept prior is on the intercept
 * of the model as written (DESIGN.md), not on brms's centred-predictor intercept.
 */
import { GlmmInputError } from '../base/errors.js';
import { lbeta, lgamma } from '../base/gamma.js';
import { LOG_SQRT_2PI } from '../base/constants.js';
import { pnorm } from '../base/normal.js';
import { pt } from '../base/beta.js';
import { FAMILY_PARAM_NAMES, familyParamSupport, isFamilyParamName, type FamilyParamName } from './families/params.js';

/** A prior class (brms's `class`). */
export type PriorClass = 'b' | 'Intercept' | 'sd' | 'cor' | 'ar' | FamilyParamName;

/** A prior distribution with its arguments (brms/Stan parameterisations). */
export type PriorDist =
  | { readonly dist: 'normal'; readonly mu: number; readonly sigma: number }
  | { readonly dist: 'student_t'; readonly df: number; readonly mu: number; readonly sigma: number }
  | { readonly dist: 'cauchy'; readonly mu: number; readonly sigma: number }
  | { readonly dist: 'exponential'; readonly rate: number }
  | { readonly dist: 'gamma'; readonly shape: number; readonly rate: number }
  | { readonly dist: 'lkj'; readonly eta: number }
  | { readonly dist: 'uniform'; readonly lower: number; readonly upper: number }
  /** On (0, 1), for a family parameter there (zi, hu; brms's default beta(1, 1)). */
  | { readonly dist: 'beta'; readonly a: number; readonly b: number };

/** One prior statement: class, optional group (sd, cor) and coefficient (b, sd), distribution. */
export interface PriorSpec {
  readonly class: PriorClass;
  /** Grouping factor for sd/cor priors (`sd_block`), else null. */
  readonly group: string | null;
  /** Coefficient (`b_trt1` → "trt1"; `sd_block__Intercept` → "Intercept"), else null. */
  readonly coef: string | null;
  readonly prior: PriorDist;
  readonly source: 'default' | 'user';
}


const ARITY: Record<PriorDist['dist'], number> = { normal: 2, student_t: 3, cauchy: 2, exponential: 1, gamma: 2, lkj: 1, uniform: 2, beta: 2 };

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}
function isIdent(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_';
}

/**
 * Parses one prior statement such as `sd_block ~ exponential(1)`. Throws a GlmmInputError whose one-line message quotes the text and says what is wrong.
 */
export function parsePrior(text: string): PriorSpec {
  const fail = (what: string): never => {
    throw new GlmmInputError(`prior '${text}': ${what}; write it as e.g. 'b ~ normal(0, 5)' or 'sd_block ~ exponential(1)'`);
  };
  let i = 0;
  const skip = () => {
    while (i < text.length && isSpace(text[i])) i++;
  };
  skip();
  const t0 = i;
  while (i < text.length && text[i] !== '~' && !isSpace(text[i])) i++;
  const target = text.slice(t0, i);
  skip();
  if (text[i] !== '~') fail("expected '~' after the parameter class");
  i++;
  skip();
  const d0 = i;
  while (i < text.length && isIdent(text[i])) i++;
  const dist = text.slice(d0, i);
  if (!(dist in ARITY)) fail(`unknown distribution '${dist}' (use normal, student_t, cauchy, exponential, gamma, lkj, uniform or beta)`);
  skip();
  if (text[i] !== '(') fail(`expected '(' after '${dist}'`);
  i++;
  const args: number[] = [];
  for (;;) {
    skip();
    const a0 = i;
    while (i < text.length && text[i] !== ',' && text[i] !== ')' && !isSpace(text[i])) i++;
    const tok = text.slice(a0, i);
    const v = tok === '' ? NaN : Number(tok);
    if (!Number.isFinite(v)) fail(`argument '${tok}' of ${dist}() is not a number`);
    args.push(v);
    skip();
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text[i] === ')') {
      i++;
      break;
    }
    fail(`expected ',' or ')' in the arguments of ${dist}()`);
  }
  skip();
  if (i < text.length) fail(`unexpected '${text.slice(i)}' after the distribution`);
  const name = dist as PriorDist['dist'];
  if (args.length !== ARITY[name]) fail(`${dist}() takes ${ARITY[name]} argument(s), got ${args.length}`);
  const prior = makeDist(name, args, fail);
  const { cls, group, coef } = parseTarget(target, fail);
  checkCompatible(cls, prior, fail);
  return { class: cls, group, coef, prior, source: 'user' };
}

function makeDist(name: PriorDist['dist'], a: number[], fail: (w: string) => never): PriorDist {
  const pos = (v: number, what: string) => {
    if (!(v > 0)) fail(`${what} of ${name}() must be positive`);
  };
  switch (name) {
    case 'normal':
      pos(a[1], 'the scale');
      return { dist: name, mu: a[0], sigma: a[1] };
    case 'cauchy':
      pos(a[1], 'the scale');
      return { dist: name, mu: a[0], sigma: a[1] };
    case 'student_t':
      pos(a[0], 'the degrees of freedom');
      pos(a[2], 'the scale');
      return { dist: name, df: a[0], mu: a[1], sigma: a[2] };
    case 'exponential':
      pos(a[0], 'the rate');
      return { dist: name, rate: a[0] };
    case 'gamma':
      pos(a[0], 'the shape');
      pos(a[1], 'the rate');
      return { dist: name, shape: a[0], rate: a[1] };
    case 'lkj':
      pos(a[0], 'eta');
      return { dist: name, eta: a[0] };
    case 'uniform':
      if (!(a[1] > a[0])) fail('the upper bound of uniform() must exceed the lower');
      return { dist: name, lower: a[0], upper: a[1] };
    case 'beta':
      pos(a[0], 'the first shape');
      pos(a[1], 'the second shape');
      return { dist: name, a: a[0], b: a[1] };
  }
}

function parseTarget(target: string, fail: (w: string) => never): { cls: PriorClass; group: string | null; coef: string | null } {
  if (target === '') fail('missing the parameter class before ~');
  if (target === 'Intercept' || target === 'b_Intercept') return { cls: 'Intercept', group: null, coef: null };
  if (target === 'b' || target === 'sd' || target === 'cor' || target === 'ar' || isFamilyParamName(target)) {
    return { cls: target, group: null, coef: null };
  }
  if (target.startsWith('b_') && target.length > 2) return { cls: 'b', group: null, coef: target.slice(2) };
  for (const cls of ['sd', 'cor', 'ar'] as const) {
    if (target.startsWith(cls + '_') && target.length > cls.length + 1) {
      const rest = target.slice(cls.length + 1);
      const sep = rest.indexOf('__');
      if (sep < 0) return { cls, group: rest, coef: null };
      if (cls !== 'sd') fail(`a ${cls} prior names a group only (${cls}_lot), not a coefficient`);
      if (sep === 0 || sep + 2 >= rest.length) fail(`cannot read group and coefficient from '${target}'`);
      return { cls, group: rest.slice(0, sep), coef: rest.slice(sep + 2) };
    }
  }
  return fail(`unknown parameter class '${target}' (use b, Intercept, sd, cor, ar, ${FAMILY_PARAM_NAMES.join(', ')}, b_<coef>, sd_<group>, sd_<group>__<coef>, cor_<group>, ar_<group>)`);
}

function checkCompatible(cls: PriorClass, p: PriorDist, fail: (w: string) => never): void {
  if (cls === 'cor' || cls === 'ar') {
    if (p.dist !== 'uniform' && p.dist !== 'normal' && (cls === 'ar' || p.dist !== 'lkj')) {
      fail(cls === 'cor' ? 'cor priors are lkj(eta) (unstructured terms) or uniform(lower, upper) / normal(mu, sigma) (cs, toep terms)' : 'ar priors are uniform(lower, upper) or normal(mu, sigma), on (-1, 1)');
    }
    return;
  }
  const unit = isFamilyParamName(cls) && familyParamSupport(cls).upper === 1;
  if (unit !== (p.dist === 'beta')) fail(unit ? `${cls} lies in (0, 1): its prior is beta(a, b)` : `beta() is only for a family parameter in (0, 1) (zi, hu), not ${cls}`);
  if (p.dist === 'lkj') fail(`lkj() is only for cor, not ${cls}`);
  if (p.dist === 'uniform') fail(`uniform() is only for the correlations of structured terms (ar, cor), not ${cls}`);
  if ((cls === 'b' || cls === 'Intercept') && (p.dist === 'exponential' || p.dist === 'gamma')) {
    fail(`${p.dist}() has positive support; ${cls} is unbounded: use normal, student_t or cauchy`);
  }
}

/** `formatPrior(p)`: the statement in brms syntax, e.g. `sd_block__Intercept ~ student_t(3, 0, 2.5)`. */
export function formatPrior(p: PriorSpec): string {
  let target: string = p.class;
  if (p.class === 'b' && p.coef) target = `b_${p.coef}`;
  if ((p.class === 'sd' || p.class === 'cor' || p.class === 'ar') && p.group) target = `${p.class}_${p.group}${p.coef ? `__${p.coef}` : ''}`;
  return `${target} ~ ${formatDist(p.prior)}`;
}

/** The distribution in brms syntax: `student_t(3, 0, 2.5)`. */
export function formatDist(d: PriorDist): string {
  switch (d.dist) {
    case 'normal':
    case 'cauchy':
      return `${d.dist}(${d.mu}, ${d.sigma})`;
    case 'student_t':
      return `student_t(${d.df}, ${d.mu}, ${d.sigma})`;
    case 'exponential':
      return `exponential(${d.rate})`;
    case 'gamma':
      return `gamma(${d.shape}, ${d.rate})`;
    case 'lkj':
      return `lkj(${d.eta})`;
    case 'uniform':
      return `uniform(${d.lower}, ${d.upper})`;
    case 'beta':
      return `beta(${d.a}, ${d.b})`;
  }
}

/**
 * log density of a scalar prior at x, with every constant (Stan's *_lpdf). With `half`, the
 * distribution is truncated to x > 0 and renormalised by 1 − F(0) (brms's half priors on sd/sigma);
 * exponential and gamma already live on x > 0. Returns -Infinity outside the support.
 */
export function logPrior(d: PriorDist, x: number, half: boolean): number {
  if (half && !(x > 0)) return -Infinity;
  switch (d.dist) {
    case 'normal': {
      const r = (x - d.mu) / d.sigma;
      return -LOG_SQRT_2PI - Math.log(d.sigma) - 0.5 * r * r - (half ? Math.log(1 - pnorm(-d.mu / d.sigma)) : 0);
    }
    case 'student_t': {
      const r = (x - d.mu) / d.sigma;
      const nu = d.df;
      const c = lgamma((nu + 1) / 2) - lgamma(nu / 2) - 0.5 * Math.log(nu * Math.PI) - Math.log(d.sigma);
      return c - ((nu + 1) / 2) * Math.log1p((r * r) / nu) - (half ? Math.log(1 - pt(-d.mu / d.sigma, nu)) : 0);
    }
    case 'cauchy': {
      const r = (x - d.mu) / d.sigma;
      const c = -Math.log(Math.PI * d.sigma);
      return c - Math.log1p(r * r) - (half ? Math.log(0.5 + Math.atan(d.mu / d.sigma) / Math.PI) : 0);
    }
    case 'exponential':
      return x < 0 ? -Infinity : Math.log(d.rate) - d.rate * x;
    case 'gamma':
      return x <= 0 ? -Infinity : d.shape * Math.log(d.rate) - lgamma(d.shape) + (d.shape - 1) * Math.log(x) - d.rate * x;
    case 'lkj':
      return NaN;
    case 'uniform':
      return x >= d.lower && x <= d.upper ? -Math.log(d.upper - d.lower) : -Infinity;
    case 'beta':
      return x > 0 && x < 1 ? (d.a - 1) * Math.log(x) + (d.b - 1) * Math.log1p(-x) - lbeta(d.a, d.b) : -Infinity;
  }
}

/**
 * Coefficients that write logPrior(d, x, half) for the non-lkj distributions as
 * const + A·log1p(B·(x − m)²) + Q·(x − m)² + D·x + E·log x, so a batched backend can evaluate a
 * vector of mixed priors with a few fused ops. `logPriorForm(d, half).const` carries every constant.
 */
export function logPriorForm(d: PriorDist, half: boolean): { c: number; m: number; A: number; B: number; Q: number; D: number; E: number } {
  const z = { c: 0, m: 0, A: 0, B: 0, Q: 0, D: 0, E: 0 };
  switch (d.dist) {
    case 'normal':
      return { ...z, c: logPrior(d, d.mu, false) - (half ? Math.log(1 - pnorm(-d.mu / d.sigma)) : 0), m: d.mu, Q: -0.5 / (d.sigma * d.sigma) };
    case 'student_t':
      return { ...z, c: logPrior(d, d.mu, false) - (half ? Math.log(1 - pt(-d.mu / d.sigma, d.df)) : 0), m: d.mu, A: -(d.df + 1) / 2, B: 1 / (d.df * d.sigma * d.sigma) };
    case 'cauchy':
      return { ...z, c: logPrior(d, d.mu, false) - (half ? Math.log(0.5 + Math.atan(d.mu / d.sigma) / Math.PI) : 0), m: d.mu, A: -1, B: 1 / (d.sigma * d.sigma) };
    case 'exponential':
      return { ...z, c: Math.log(d.rate), D: -d.rate };
    case 'gamma':
      return { ...z, c: d.shape * Math.log(d.rate) - lgamma(d.shape), D: -d.rate, E: d.shape - 1 };
    case 'lkj':
    case 'uniform':
    case 'beta':
      throw new Error(`${d.dist} has no scalar form`);
  }
}

/**
 * LKJ(η) log density of a correlation matrix given through its Cholesky factor L (K × K, row-major),
 * with its normalising constant: Stan's lkj_corr_cholesky_lpdf
 * log p(L | η) = c_K(η) + Σ_{i=2..K} (K − i + 2η − 2) log L_ii (reference/algorithms.md §4).
 */
export function lkjCholeskyLogDensity(L: ArrayLike<number>, K: number, eta: number): number {
  let s = lkjConstant(K, eta);
  for (let i = 2; i <= K; i++) s += (K - i + 2 * eta - 2) * Math.log(L[(i - 1) * K + (i - 1)]);
  return s;
}

/**
 * log normalising constant of LKJ(η) in dimension K (Stan `do_lkj_constant`, lkj_corr_lpdf.hpp;
 * Lewandowski, Kurowicka & Joe 2009 eq. 16), the general-η branch (it also holds at η = 1).
 */
export function lkjConstant(K: number, eta: number): number {
  if (K < 2) return 0;
  let s = (K - 1) * lgamma(eta + (K - 1) / 2);
  for (let k = 1; k <= K - 1; k++) s -= (k / 2) * Math.log(Math.PI) + lgamma(eta + (K - 1 - k) / 2);
  return s;
}

/**
 * The prior that applies to one parameter: the most specific statement wins (class+group+coef >
 * class+group > class+coef > class); among equally specific ones the last wins, and user statements
 * come after defaults. Returns null when none applies.
 */
export function resolvePrior(priors: readonly PriorSpec[], cls: PriorClass, group: string | null, coef: string | null): PriorSpec | null {
  let best: PriorSpec | null = null;
  let bestRank = -1;
  for (const p of priors) {
    if (p.class !== cls) continue;
    if (p.group !== null && p.group !== group) continue;
    if (p.coef !== null && p.coef !== coef) continue;
    const rank = (p.group !== null ? 2 : 0) + (p.coef !== null ? 1 : 0) + (p.group !== null && p.coef !== null ? 1 : 0);
    if (rank >= bestRank) {
      best = p;
      bestRank = rank;
    }
  }
  return best;
}

