/** Gaussian family (R's `gaussian()`, `dnorm`). */
import type { Family } from './types.js';
import { LOG_SQRT_2PI } from '../../base/constants.js';
import { rnormStd } from './random.js';

/** Gaussian with residual sd σ = `sigma`: log p = −log √(2π) − log σ − (y − μ)²/(2σ²). Links identity, log. */
export const gaussian: Family = {
  name: 'gaussian',
  links: ['identity', 'log'],
  defaultLink: 'identity',
  aux: 'sigma',
  logLik: (y, mu, sigma) => {
    const r = (y - mu) / sigma;
    return -LOG_SQRT_2PI - Math.log(sigma) - 0.5 * r * r;
  },
  variance: (_mu, sigma) => sigma * sigma,
  dLogLikDmu: (y, mu, sigma) => (y - mu) / (sigma * sigma),
  d2LogLikDmu2: (_y, _mu, sigma) => -1 / (sigma * sigma),
  dLogLikDaux: (y, mu, sigma) => -1 / sigma + ((y - mu) * (y - mu)) / (sigma * sigma * sigma),
  devResid: (y, mu) => (y - mu) * (y - mu),
  simulate: (rng, mu, sigma) => mu + sigma * rnormStd(rng),
  validMu: (mu) => Number.isFinite(mu),
};
