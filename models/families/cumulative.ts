/**
 * The cumulative (ordinal) family: brms's `cumulative()`, R's `ordinal::clmm`. P(y ≤ k) = F(θ_k − η),
 * categories 1..K, thresholds θ_1 < … < θ_{K−1} (brms's `b_Intercept[k]`, prior class `Intercept`,
 * sampled through Stan's ordered transform: θ_1 free, log(θ_k − θ_{k−1}) free), F logistic (logit) or
 * normal (probit). η = Xβ + Zb has no intercept: the thresholds carry it (`interceptInParams`).
 *
 * The link names F, not a mean function: the family is specialised per link (`forLink`) and its
 * functions take μ = η (meanLink 'identity'), so nothing is lost to a logistic or Φ that saturates.
 * Mean and variance are those of the category number (E y = Σ k P_k), the deviance residual −2 log P(y)
 * (the saturated model puts P = 1 on each observed category).
 */
import type { Family, JsLikelihood, LinkName } from './types.js';
import { ORDERED_TRANSFORM } from './constraints.js';
import { categoryProbs, categoryTerms, fisherInfoEta, latentCdf, logPCategory, type LatentCdf } from './cumulative-math.js';
import { qnorm } from '../../base/normal.js';
import { ORDINAL } from './rules.js';

/** Number of categories K of a response coded 1..K. */
function nCategories(y: Float64Array): number {
  return y.reduce((m, v) => Math.max(m, v), 0);
}

/** θ from the unconstrained u (ordered transform) into theta. */
function thresholdsOf(u: ArrayLike<number>, theta: Float64Array): void {
  for (let k = 0; k < theta.length; k++) theta[k] = k === 0 ? u[0] : theta[k - 1] + Math.exp(u[k]);
}

/**
 * Row terms log P(y_i | η, θ(u)) with ∂/∂η and ∂/∂u_k = c_k Σ_{j ≥ k} ∂/∂θ_j (c_1 = 1, c_k = e^{u_k}):
 * only θ_{y−1} and θ_y move row i, so Σ_{j ≥ k} is a_h [k ≤ y] − a_l [k ≤ y − 1] (1-based).
 */
function cumulativeJs(c: LatentCdf, y: Float64Array): JsLikelihood {
  const m = nCategories(y) - 1;
  const theta = new Float64Array(m);
  const lastU = new Float64Array(m).fill(NaN);
  const t = new Float64Array(5);
  return {
    row: (i, eta, u, out) => {
      let same = true;
      for (let k = 0; k < m; k++) if (u[k] !== lastU[k]) same = false;
      if (!same) {
        for (let k = 0; k < m; k++) lastU[k] = u[k];
        thresholdsOf(u, theta);
      }
      const yi = y[i];
      categoryTerms(c, yi, eta, theta, t);
      out[0] = t[0];
      out[1] = t[1];
      const ah = t[3];
      const al = -t[2];
      for (let k = 1; k <= m; k++) {
        const s = (k <= yi ? ah : 0) - (k <= yi - 1 ? al : 0);
        out[1 + k] = k === 1 ? s : s * Math.exp(u[k - 1]);
      }
    },
    paramOnly: null,
  };
}

/** clm's start: θ_k = F⁻¹ of the share of rows with y ≤ k (ordinal's start_threshold), kept strictly increasing. */
function startThresholds(quantile: (p: number) => number, y: Float64Array, len: number): Float64Array {
  const count = new Float64Array(len + 1);
  for (const v of y) count[v - 1]++;
  const theta = new Float64Array(len);
  let cum = 0;
  for (let k = 0; k < len; k++) {
    cum += count[k];
    const p = Math.min(1 - 1e-6, Math.max(1e-6, cum / y.length));
    theta[k] = Math.max(quantile(p), k > 0 ? theta[k - 1] + 1e-3 : -Infinity);
  }
  return theta;
}

/** Draws a category: the first k with U ≤ P(y ≤ k). */
function drawCategory(c: LatentCdf, rng: () => number, eta: number, theta: ArrayLike<number>): number {
  const p = categoryProbs(c, eta, theta);
  const r = rng();
  let cum = 0;
  for (let k = 0; k < p.length - 1; k++) {
    cum += p[k];
    if (r <= cum) return k + 1;
  }
  return p.length;
}

/** E[y] and E[y²] of the category number. */
function moments(c: LatentCdf, eta: number, theta: ArrayLike<number>): [number, number] {
  const p = categoryProbs(c, eta, theta);
  let m1 = 0;
  let m2 = 0;
  p.forEach((pk, k) => {
    m1 += (k + 1) * pk;
    m2 += (k + 1) * (k + 1) * pk;
  });
  return [m1, m2];
}

const QUANTILE: Readonly<Record<'logit' | 'probit', (p: number) => number>> = {
  logit: (p) => Math.log(p / (1 - p)),
  probit: qnorm,
};

/** The cumulative family for latent link `link`. */
function cumulativeFor(link: 'logit' | 'probit'): Family {
  const c = latentCdf(link);
  const terms = new Float64Array(5);
  return {
    name: 'cumulative',
    aliases: ['ordinal', 'clmm'],
    links: ['logit', 'probit'],
    defaultLink: 'logit',
    canonicalLink: null,
    params: [{
      name: 'Intercept',
      valueName: 'b_Intercept',
      constraint: ORDERED_TRANSFORM,
      size: (y) => nCategories(y) - 1,
      // brms's default for the thresholds of cumulative() (on each θ_k; the package puts it on the uncentred θ)
      defaultPrior: { dist: 'student_t', df: 3, mu: 0, sigma: 2.5 },
      inVarianceFunction: false,
      start: (y, len) => startThresholds(QUANTILE[link], y, len),
    }],
    response: ORDINAL,
    interceptInParams: true,
    meanLink: 'identity',
    forLink: (l: LinkName) => CUMULATIVE[l === 'probit' ? 'probit' : 'logit'],
    linearMixed: false,
    nests: null,
    pirlsWeights: 'observed',
    satMu: null,
    startMu: () => 0,
    logLik: (y, eta, theta) => logPCategory(c, y, eta, theta),
    variance: (eta, theta) => {
      const [m1, m2] = moments(c, eta, theta);
      return m2 - m1 * m1;
    },
    mean: (eta, theta) => moments(c, eta, theta)[0],
    dLogLikDmu: (y, eta, theta) => (categoryTerms(c, y, eta, theta, terms), terms[1]),
    d2LogLikDmu2: (y, eta, theta) => (categoryTerms(c, y, eta, theta, terms), terms[4]),
    fisherInfo: (eta, theta) => fisherInfoEta(c, eta, theta),
    dLogLikDpar: (y, eta, theta, _n, k) => {
      categoryTerms(c, y, eta, theta, terms);
      return k === y - 2 ? terms[2] : k === y - 1 ? terms[3] : 0;
    },
    devResid: (y, eta, theta) => -2 * logPCategory(c, y, eta, theta),
    simulate: (rng, eta, theta) => drawCategory(c, rng, eta, theta),
    validMu: (eta) => Number.isFinite(eta),
    jsLikelihood: (l, y) => cumulativeJs(latentCdf(l), y),
  };
}

const CUMULATIVE: Readonly<Record<'logit' | 'probit', Family>> = { logit: cumulativeFor('logit'), probit: cumulativeFor('probit') };

/** The cumulative family (logit unless specialised by `forLink`). */
export const cumulative: Family = CUMULATIVE.logit;
