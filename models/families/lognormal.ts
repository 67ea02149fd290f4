/** Lognormal family (brms's `lognormal()`, R's `dlnorm(y, meanlog = μ, sdlog = σ)`). */
import type { Family, JsLikelihood, LinkName } from './types.js';
import { LOG_SQRT_2PI } from '../../base/constants.js';
import { rnormStd } from './random.js';
import { POSITIVE } from './rules.js';

/** Row terms −(log y − μ)²/(2σ²) on the identity link; σ-only −n log σ (−Σ log y − n log √2π left to the constant). */
function lognormalJs(link: LinkName, y: Float64Array): JsLikelihood {
  if (link !== 'identity') throw new Error(`no likelihood for lognormal/${link}`);
  const n = y.length;
  const ly = Float64Array.from(y, Math.log);
  return {
    row: (i, eta, a, out) => {
      const prec = Math.exp(-2 * a);
      const r = ly[i] - eta;
      const r2p = r * r * prec;
      out[0] = -0.5 * r2p;
      out[1] = r * prec;
      out[2] = r2p;
    },
    auxOnly: (a) => [-n * a, -n],
  };
}

/** R's sd of log y (1 if 0 or undefined): the Laplace fit's starting σ. */
function sdLog(y: Float64Array): number {
  const l = Float64Array.from(y, Math.log);
  const m = l.reduce((a, b) => a + b, 0) / l.length;
  const v = l.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, l.length - 1);
  return Math.sqrt(v) || 1;
}

/**
 * Lognormal as brms: log y ~ N(μ, σ²), μ the mean of log y on the identity link, σ = `sigma`:
 * log p = −log y − log √(2π) − log σ − (log y − μ)²/(2σ²); E y = exp(μ + σ²/2),
 * Var y = (exp(σ²) − 1)·exp(2μ + σ²). The Laplace fit is exact (a gaussian LMM of log y, plus −Σ log y).
 */
export const lognormal: Family = {
  name: 'lognormal',
  aliases: [],
  links: ['identity'],
  defaultLink: 'identity',
  canonicalLink: 'identity',
  params: [{ name: 'sigma', defaultPrior: 'data-scale', inVarianceFunction: false, start: sdLog }],
  response: POSITIVE,
  muScale: Math.log,
  linearMixed: false,
  nests: null,
  pirlsWeights: 'observed',
  satMu: null,
  startMu: (y) => Math.log(y),
  logLik: (y, mu, sigma) => {
    const r = (Math.log(y) - mu) / sigma;
    return -Math.log(y) - LOG_SQRT_2PI - Math.log(sigma) - 0.5 * r * r;
  },
  variance: (mu, sigma) => Math.expm1(sigma * sigma) * Math.exp(2 * mu + sigma * sigma),
  mean: (mu, sigma) => Math.exp(mu + 0.5 * sigma * sigma),
  dLogLikDmu: (y, mu, sigma) => (Math.log(y) - mu) / (sigma * sigma),
  d2LogLikDmu2: (_y, _mu, sigma) => -1 / (sigma * sigma),
  dLogLikDaux: (y, mu, sigma) => -1 / sigma + (Math.log(y) - mu) ** 2 / (sigma * sigma * sigma),
  // the gaussian's unit deviance on log y (dispersion 1)
  devResid: (y, mu) => (Math.log(y) - mu) ** 2,
  simulate: (rng, mu, sigma) => Math.exp(mu + sigma * rnormStd(rng)),
  validMu: (mu) => Number.isFinite(mu),
  jsLikelihood: (link, y) => lognormalJs(link, y),
};
