/** Lognormal family (brms's `lognormal()`, R's `dlnorm(y, meanlog = μ, sdlog = σ)`). */
import type { Family, JsLikelihood, LinkName } from './types.js';
import { LOG_TRANSFORM } from './constraints.js';
import { LOG_SQRT_2PI } from '../../base/constants.js';
import { rnormStd } from './random.js';
import { POSITIVE } from './rules.js';

/** Row terms −(log y − μ)²/(2σ²) on the identity link; σ-only −n log σ (−Σ log y − n log √2π left to the constant). */
function lognormalJs(link: LinkName, y: Float64Array): JsLikelihood {
  if (link !== 'identity') throw new Error(`no likelihood for lognormal/${link}`);
  const n = y.length;
  const ly = Float64Array.from(y, Math.log);
  return {
    row: (i, eta, u, out) => {
      const a = u[0];
      const prec = Math.exp(-2 * a);
      const r = ly[i] - eta;
      const r2p = r * r * prec;
      out[0] = -0.5 * r2p;
      out[1] = r * prec;
      out[2] = r2p;
    },
    paramOnly: (u, g) => {
      g[0] = -n;
      return -n * u[0];
    },
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
  params: [{ constraint: LOG_TRANSFORM, name: 'sigma', defaultPrior: 'data-scale', inVarianceFunction: false, start: (y) => [sdLog(y)] }],
  response: POSITIVE,
  muScale: Math.log,
  linearMixed: false,
  nests: null,
  pirlsWeights: 'observed',
  satMu: null,
  startMu: (y) => Math.log(y),
  logLik: (y, mu, aux) => {
    const r = (Math.log(y) - mu) / aux[0];
    return -Math.log(y) - LOG_SQRT_2PI - Math.log(aux[0]) - 0.5 * r * r;
  },
  variance: (mu, aux) => Math.expm1(aux[0] * aux[0]) * Math.exp(2 * mu + aux[0] * aux[0]),
  mean: (mu, aux) => Math.exp(mu + 0.5 * aux[0] * aux[0]),
  dLogLikDmu: (y, mu, aux) => (Math.log(y) - mu) / (aux[0] * aux[0]),
  d2LogLikDmu2: (_y, _mu, aux) => -1 / (aux[0] * aux[0]),
  dLogLikDpar: (y, mu, aux) => -1 / aux[0] + (Math.log(y) - mu) ** 2 / (aux[0] * aux[0] * aux[0]),
  // the gaussian's unit deviance on log y (dispersion 1)
  devResid: (y, mu) => (Math.log(y) - mu) ** 2,
  simulate: (rng, mu, aux) => Math.exp(mu + aux[0] * rnormStd(rng)),
  validMu: (mu) => Number.isFinite(mu),
  jsLikelihood: (link, y) => lognormalJs(link, y),
};
