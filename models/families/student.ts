/**
 * Student-t family (brms's `student()`, glmmTMB's `t_family()`): y = μ + σ·t_ν, R's
 * `dt((y − μ)/σ, ν, log = TRUE) − log σ`. Two parameters: the scale `sigma` and the degrees of
 * freedom `nu` (ν > 1 as brms, sampled as log(ν − 1); brms's default prior gamma(2, 0.1)).
 */
import type { Family, JsLikelihood, LinkName } from './types.js';
import { LOG_TRANSFORM, logAbove } from './constraints.js';
import { digamma, lgamma } from '../../base/gamma.js';
import { rgamma, rnormStd } from './random.js';
import { REAL } from './rules.js';

const HALF_LOG_PI = 0.5 * Math.log(Math.PI);

/** log p = lgamma((ν+1)/2) − lgamma(ν/2) − ½ log(νπ) − log σ − (ν+1)/2 · log(1 + r²/(νσ²)), r = y − μ. */
function studentLogLik(y: number, mu: number, sigma: number, nu: number): number {
  const r = y - mu;
  return lgamma((nu + 1) / 2) - lgamma(nu / 2) - 0.5 * Math.log(nu) - HALF_LOG_PI - Math.log(sigma) - ((nu + 1) / 2) * Math.log1p((r * r) / (nu * sigma * sigma));
}

/**
 * Row terms −(ν+1)/2 · log(1 + r²/(νσ²)) on identity or log links, u = (log σ, log(ν − 1)); the
 * parameter-only terms n·[lgamma((ν+1)/2) − lgamma(ν/2) − ½ log ν − log σ] (−n·½ log π left to the constant).
 */
function studentJs(link: LinkName, y: Float64Array): JsLikelihood {
  if (link !== 'identity' && link !== 'log') throw new Error(`no likelihood for student/${link}`);
  const n = y.length;
  return {
    row: (i, eta, u, out) => {
      const s2 = Math.exp(2 * u[0]);
      const nm1 = Math.exp(u[1]);
      const nu = 1 + nm1;
      const mu = link === 'log' ? Math.exp(eta) : eta;
      const r = y[i] - mu;
      const r2 = r * r;
      const d = nu * s2 + r2;
      const lw = Math.log1p(r2 / (nu * s2));
      const dmu = ((nu + 1) * r) / d;
      out[0] = -0.5 * (nu + 1) * lw;
      out[1] = link === 'log' ? dmu * mu : dmu;
      out[2] = ((nu + 1) * r2) / d;
      out[3] = nm1 * (-0.5 * lw + ((nu + 1) * r2) / (2 * nu * d));
    },
    paramOnly: (u, g) => {
      const nm1 = Math.exp(u[1]);
      const nu = 1 + nm1;
      g[0] = -n;
      g[1] = n * nm1 * (0.5 * (digamma((nu + 1) / 2) - digamma(nu / 2)) - 0.5 / nu);
      return n * (lgamma((nu + 1) / 2) - lgamma(nu / 2) - 0.5 * Math.log(nu) - u[0]);
    },
  };
}

/** R's sd of y (1 if 0 or undefined): the Laplace fit's starting σ. */
function sdOf(y: Float64Array): number {
  const m = y.reduce((a, b) => a + b, 0) / y.length;
  const v = y.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, y.length - 1);
  return Math.sqrt(v) || 1;
}

/**
 * Student-t with location μ, scale σ = `sigma`, ν = `nu` degrees of freedom: Var = σ²ν/(ν − 2) for
 * ν > 2 (∞ otherwise). Links identity (default) and log (μ = e^η, σ on the response scale, as brms).
 * The Laplace fit uses the observed information, as glmmTMB (TMB's exact Laplace).
 */
export const student: Family = {
  name: 'student',
  aliases: ['t_family', 'student_t'],
  links: ['identity', 'log'],
  defaultLink: 'identity',
  canonicalLink: null,
  params: [
    { name: 'sigma', constraint: LOG_TRANSFORM, defaultPrior: 'data-scale', inVarianceFunction: false, start: (y) => [sdOf(y)] },
    { name: 'nu', constraint: logAbove(1), defaultPrior: { dist: 'gamma', shape: 2, rate: 0.1 }, inVarianceFunction: false, start: () => [5] },
  ],
  response: REAL,
  linearMixed: false,
  nests: null,
  pirlsWeights: 'observed',
  satMu: null,
  startMu: (y) => y,
  logLik: (y, mu, aux) => studentLogLik(y, mu, aux[0], aux[1]),
  variance: (_mu, aux) => (aux[1] > 2 ? (aux[0] * aux[0] * aux[1]) / (aux[1] - 2) : Infinity),
  mean: (mu) => mu,
  dLogLikDmu: (y, mu, aux) => ((aux[1] + 1) * (y - mu)) / (aux[1] * aux[0] * aux[0] + (y - mu) ** 2),
  d2LogLikDmu2: (y, mu, aux) => {
    const r2 = (y - mu) ** 2;
    const a = aux[1] * aux[0] * aux[0];
    return ((aux[1] + 1) * (r2 - a)) / ((a + r2) * (a + r2));
  },
  dLogLikDpar: (y, mu, aux, _n, k) => {
    const [sigma, nu] = [aux[0], aux[1]];
    const r2 = (y - mu) ** 2;
    const d = nu * sigma * sigma + r2;
    if (k === 0) return -1 / sigma + ((nu + 1) * r2) / (sigma * d);
    return 0.5 * (digamma((nu + 1) / 2) - digamma(nu / 2)) - 0.5 / nu - 0.5 * Math.log1p(r2 / (nu * sigma * sigma)) + ((nu + 1) * r2) / (2 * nu * d);
  },
  // 2·(log p at μ = y − log p at μ) at the given σ, ν (glmmTMB's t_family has no dev.resids)
  devResid: (y, mu, aux) => (aux[1] + 1) * Math.log1p((y - mu) ** 2 / (aux[1] * aux[0] * aux[0])),
  // t_ν = z / √(χ²_ν / ν), χ²_ν = Gamma(ν/2, rate 1/2)
  simulate: (rng, mu, aux) => mu + aux[0] * rnormStd(rng) / Math.sqrt(rgamma(rng, aux[1] / 2, 0.5) / aux[1]),
  validMu: (mu) => Number.isFinite(mu),
  jsLikelihood: (link, y) => studentJs(link, y),
};
