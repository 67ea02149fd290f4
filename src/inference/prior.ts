/**
 * Prior-only sampling by direct simulation (brms `sample_prior = "only"` answers the same question
 * with MCMC; here every prior is drawn exactly, iid): fixed effects, sds and sigma/shape from their
 * priors (half-distributions truncated at 0 for sd and sigma, as models/priors.ts defines them),
 * correlation matrices from LKJ(η) by the onion method (Lewandowski, Kurowicka & Joe 2009, §3.2;
 * Ghosh & Henderson 2003), random effects b = diag(sd)·L·z with z ~ N(0, I), then y from the family:
 * prior predictive draws (Gabry et al. 2019, §3).
 */
import { GlmmInputError } from '../../base/errors.js';
import type { Draws } from '../../diagnostics/draws.js';
import type { Design } from '../design/types.js';
import type { Family, Link } from '../../models/families/types.js';
import { resolvePrior, type PriorClass, type PriorDist, type PriorSpec } from '../../models/priors.js';
import { rgamma, rnormStd } from '../../models/families/random.js';
import { slotValueNames } from '../../models/families/layout.js';
import { formulaLayout } from '../../models/families/formula-layout.js';
import { posteriorPredictive, type PredictOptions } from './predict.js';
import { placedTerms, ranefParamName } from '../target/parameters.js';
import { cholesky } from '../linalg/cholesky.js';
import { lkjStatements, withStatedCorPrior } from '../design/covariance/prior.js';

/** A uniform(0,1) source in (0, 1) (zero is skipped so logs stay finite). */
function unif(rng: () => number): number {
  let u = rng();
  while (u <= 0) u = rng();
  return u;
}

/** Beta(a, b) from two gammas. */
export function rbeta(rng: () => number, a: number, b: number): number {
  const x = rgamma(rng, a, 1);
  const y = rgamma(rng, b, 1);
  return x / (x + y);
}

/** One draw from a scalar prior; `half` truncates to x > lower (0 unless the parameter's range starts above, as student's ν > 1) by rejection (brms's half priors). */
export function drawPrior(rng: () => number, d: PriorDist, half: boolean, lower = 0): number {
  for (let tries = 0; tries < 1e6; tries++) {
    let x: number;
    switch (d.dist) {
      case 'normal': x = d.mu + d.sigma * rnormStd(rng); break;
      // t_ν = z / √(χ²_ν / ν), χ²_ν = Gamma(ν/2, rate 1/2)
      case 'student_t': x = d.mu + (d.sigma * rnormStd(rng)) / Math.sqrt(rgamma(rng, d.df / 2, 0.5) / d.df); break;
      case 'cauchy': x = d.mu + d.sigma * Math.tan(Math.PI * (unif(rng) - 0.5)); break;
      case 'exponential': x = -Math.log(unif(rng)) / d.rate; break;
      case 'gamma': x = rgamma(rng, d.shape, d.rate); break;
      case 'lkj': throw new Error('drawPrior: lkj is a matrix prior; use drawLkjCorrelation');
      case 'uniform': x = d.lower + (d.upper - d.lower) * unif(rng); break;
      case 'beta': x = rbeta(rng, d.a, d.b); break;
    }
    if (!half || x > lower) return x;
  }
  throw new GlmmInputError(`a half prior puts almost no mass above 0 (${JSON.stringify(d)}); give it a location ≥ 0`);
}

/**
 * A K × K correlation matrix (row-major) from LKJ(η) by the onion method (LKJ 2009 §3.2, as in
 * R's clusterGeneration/rethinking rlkjcorr): each off-diagonal element has the marginal
 * Beta(η − 1 + K/2, η − 1 + K/2) on (−1, 1).
 */
export function drawLkjCorrelation(rng: () => number, K: number, eta: number): Float64Array {
  const R = new Float64Array(K * K);
  for (let i = 0; i < K; i++) R[i * K + i] = 1;
  if (K < 2) return R;
  let beta = eta + (K - 2) / 2;
  const r12 = 2 * rbeta(rng, beta, beta) - 1;
  R[1] = r12;
  R[K] = r12;
  for (let k = 2; k < K; k++) {
    beta -= 0.5;
    const y = rbeta(rng, k / 2, beta);
    // w = √y · u, u uniform on the unit sphere in R^k; z = chol(R_k) w
    const u = Float64Array.from({ length: k }, () => rnormStd(rng));
    const norm = Math.hypot(...u);
    const w = u.map((v) => (Math.sqrt(y) * v) / norm);
    const L = cholesky(R, k, { stride: K, floor: 0 }) as Float64Array;
    for (let i = 0; i < k; i++) {
      let z = 0;
      for (let j = 0; j <= i; j++) z += L[i * k + j] * w[j];
      R[i * K + k] = z;
      R[k * K + i] = z;
    }
  }
  return R;
}

function priorFor(priors: readonly PriorSpec[], cls: PriorClass, group: string | null, coef: string | null, name: string): PriorDist {
  const p = resolvePrior(priors, cls, group, coef);
  if (!p) throw new GlmmInputError(`no prior applies to ${name}; add one, e.g. '${cls} ~ normal(0, 5)', or start from defaultPriors()`);
  return p.prior;
}

/** Names of the parameters samplePrior draws, in its column order (b, sd, cor, r, the family parameters). */
export function priorParameterNames(design: Design, family: Family): string[] {
  const names = [...design.fixed.names];
  // η's random terms, then the zero part's (--zi '~ x + (1|g)': sd_g__zi_Intercept, r_g__zi[level,Intercept])
  const placed = placedTerms(design);
  for (const { t } of placed) names.push(...t.cov.sdTerms(t.terms).map((term) => `sd_${t.group}__${term}`));
  for (const { t } of placed) names.push(...t.cov.correlationParams(t.group, t.terms).map((c) => c.name));
  for (const { t, param } of placed) for (const l of t.levels) for (const term of t.terms) names.push(ranefParamName(t.group, l, term, param));
  for (const sl of formulaLayout(family, design.response.y, design.paramFormulas).block.slots) names.push(...slotValueNames(sl));
  return names;
}

/**
 * `nDraws` iid draws (one chain) of every constrained parameter from the priors (DESIGN.md names:
 * b_*, sd_*, cor_*, r_group[level,term], shape/sigma). Throws GlmmInputError when no prior
 * applies to a parameter (pass defaultPriors(...) plus the user's statements).
 */
export function samplePrior(design: Design, family: Family, priors: readonly PriorSpec[], nDraws: number, rng: () => number): Draws {
  const names = priorParameterNames(design, family);
  const P = names.length;
  const bDist = design.fixed.names.map((n) => (n === 'b_Intercept' ? priorFor(priors, 'Intercept', null, null, n) : priorFor(priors, 'b', null, n.slice(2), n)));
  const terms = placedTerms(design).map(({ t: d }) => ({ ...d, cov: withStatedCorPrior(d.cov, d.group, priors) })).map((t) => ({
    t,
    sd: t.cov.sdTerms(t.terms).map((term) => priorFor(priors, 'sd', t.group, term, `sd_${t.group}__${term}`)),
    eta: t.cov.usesLkj ? (priorFor(lkjStatements(priors), 'cor', t.group, null, `cor_${t.group}`) as { eta: number }).eta : NaN,
  }));
  // a parameter with a formula (--zi '~ x'): its coefficients b_zi_* take the b prior, as in the model
  const famSlots = formulaLayout(family, design.response.y, design.paramFormulas).block.slots.map((sl) => ({ sl, dist: sl.names ? priorFor(priors, 'b', null, null, sl.names[0]) : priorFor(priors, sl.param.name, null, null, sl.param.name) }));
  const data = new Float64Array(nDraws * P);
  for (let s = 0; s < nDraws; s++) {
    const row = data.subarray(s * P, (s + 1) * P);
    let j = 0;
    for (const d of bDist) row[j++] = drawPrior(rng, d, false);
    const sds = terms.map(({ sd }) => sd.map((d) => drawPrior(rng, d, true)));
    for (const v of sds) for (const x of v) row[j++] = x;
    const chol = terms.map(({ t, eta }) => {
      if (!t.cov.correlated) return null;
      // LKJ(η) for us; the structure's own correlation prior (cs, ar1, toep) otherwise
      const rho = t.cov.usesLkj ? [] : t.cov.drawCorrelations(rng);
      const R = t.cov.usesLkj ? drawLkjCorrelation(rng, t.k, eta) : t.cov.correlationMatrix(rho, 0);
      if (t.cov.usesLkj) for (let a = 0; a < t.k; a++) for (let b = a + 1; b < t.k; b++) row[j++] = R[a * t.k + b];
      else for (const r of rho) row[j++] = r;
      return cholesky(R, t.k, { floor: 0 }) as Float64Array;
    });
    terms.forEach(({ t }, ti) => {
      const k = t.k;
      const z = new Float64Array(k);
      for (let l = 0; l < t.levels.length; l++) {
        for (let c = 0; c < k; c++) z[c] = rnormStd(rng);
        const L = chol[ti];
        for (let a = 0; a < k; a++) {
          let v = 0;
          if (L) for (let c = 0; c <= a; c++) v += L[a * k + c] * z[c];
          else v = z[a];
          row[j++] = sds[ti][t.cov.sdIndex(a)] * v;
        }
      }
    });
    // each coordinate from its parameter's prior; an ordered vector's iid draws sorted (the prior restricted to the ordered set)
    for (const { sl, dist } of famSlots) {
      const v = Array.from({ length: sl.size }, () => drawPrior(rng, dist, sl.param.constraint.halfPrior, Math.max(0, sl.param.constraint.lower)));
      if (sl.param.constraint.kind === 'ordered') v.sort((a, b) => a - b);
      for (const x of v) row[j++] = x;
    }
  }
  return { nChains: 1, nDraws, names, data };
}

/**
 * Prior predictive draws: samplePrior, then y_rep from the family (posteriorPredictive on the
 * prior draws). Returns both the parameter draws and y_rep (names y_rep[1..nobs]).
 */
export function priorPredictive(design: Design, family: Family, link: Link, priors: readonly PriorSpec[], nDraws: number, rng: () => number, opts: PredictOptions = {}): { draws: Draws; yrep: Draws } {
  const draws = samplePrior(design, family, priors, nDraws, rng);
  return { draws, yrep: posteriorPredictive(design, draws, family, link, rng, opts) };
}
