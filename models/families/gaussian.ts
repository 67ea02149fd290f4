/** Gaussian family (R's `gaussian()`, `dnorm`). */
import type { Family, JsLikelihood, LinkName } from './types.js';
import { LOG_TRANSFORM } from './constraints.js';
import { LOG_SQRT_2PI } from '../../base/constants.js';
import { rnormStd } from './random.js';
import { REAL } from './rules.js';

/** Row terms −(y − μ)²/(2σ²) on identity or log links; σ-only −n log σ (−n log √2π left to the constant). */
function gaussianJs(link: LinkName, y: Float64Array): JsLikelihood {
  if (link !== 'identity' && link !== 'log') throw new Error(`no likelihood for gaussian/${link}`);
  const n = y.length;
  return {
    row: (i, eta, u, out) => {
      const a = u[0];
      const mu = link === 'log' ? Math.exp(eta) : eta;
      const prec = Math.exp(-2 * a);
      const r = y[i] - mu;
      const r2p = r * r * prec;
      out[0] = -0.5 * r2p;
      out[1] = link === 'log' ? r * prec * mu : r * prec;
      out[2] = r2p;
    },
    paramOnly: (u, g) => {
      g[0] = -n;
      return -n * u[0];
    },
  };
}

/** The sd of y (R's sd), 1 if it is 0 or undefined: the Laplace fit's starting σ. */
function sdOf(y: Float64Array): number {
  const m = y.reduce((a, b) => a + b, 0) / y.length;
  const v = y.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, y.length - 1);
  return Math.sqrt(v) || 1;
}

/** Gaussian with residual sd σ = `sigma`: log p = −log √(2π) − log σ − (y − μ)²/(2σ²). Links identity, log. */
export const gaussian: Family = {
  name: 'gaussian',
  aliases: ['normal'],
  links: ['identity', 'log'],
  defaultLink: 'identity',
  canonicalLink: 'identity',
  params: [{ constraint: LOG_TRANSFORM, name: 'sigma', defaultPrior: 'data-scale', inVarianceFunction: false, start: (y) => [sdOf(y)] }],
  response: REAL,
  linearMixed: true,
  nests: null,
  pirlsWeights: 'observed',
  satMu: null,
  startMu: (y) => y,
  logLik: (y, mu, aux) => {
    const r = (y - mu) / aux[0];
    return -LOG_SQRT_2PI - Math.log(aux[0]) - 0.5 * r * r;
  },
  variance: (_mu, aux) => aux[0] * aux[0],
  mean: (mu) => mu,
  dLogLikDmu: (y, mu, aux) => (y - mu) / (aux[0] * aux[0]),
  d2LogLikDmu2: (_y, _mu, aux) => -1 / (aux[0] * aux[0]),
  dLogLikDpar: (y, mu, aux) => -1 / aux[0] + ((y - mu) * (y - mu)) / (aux[0] * aux[0] * aux[0]),
  devResid: (y, mu) => (y - mu) * (y - mu),
  simulate: (rng, mu, aux) => mu + aux[0] * rnormStd(rng),
  validMu: (mu) => Number.isFinite(mu),
  jsLikelihood: (link, y) => gaussianJs(link, y),
};
