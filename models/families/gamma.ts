/** Gamma family (R's `Gamma()`, `dgamma(y, shape, rate = shape/μ)`). */
import type { Family } from './types.js';
import { digamma, lgamma } from '../../base/gamma.js';
import { rgamma } from './random.js';

/**
 * Gamma with shape α = `shape` and mean μ: log p = α log(α/μ) − lgamma(α) + (α − 1) log y − α y/μ;
 * Var = μ²/α. Links log (default, as brms), inverse (R's canonical).
 */
export const gamma: Family = {
  name: 'gamma',
  links: ['log', 'inverse'],
  defaultLink: 'log',
  aux: 'shape',
  logLik: (y, mu, a) => a * Math.log(a / mu) - lgamma(a) + (a - 1) * Math.log(y) - (a * y) / mu,
  variance: (mu, a) => (mu * mu) / a,
  dLogLikDmu: (y, mu, a) => (a * (y - mu)) / (mu * mu),
  d2LogLikDmu2: (y, mu, a) => a / (mu * mu) - (2 * a * y) / (mu * mu * mu),
  dLogLikDaux: (y, mu, a) => Math.log(a / mu) + 1 - digamma(a) + Math.log(y) - y / mu,
  // R Gamma()$dev.resids: -2 * wt * (log(ifelse(y == 0, 1, y/mu)) - (y - mu)/mu)
  devResid: (y, mu) => -2 * (Math.log(y === 0 ? 1 : y / mu) - (y - mu) / mu),
  simulate: (rng, mu, a) => rgamma(rng, a, a / mu),
  validMu: (mu) => Number.isFinite(mu) && mu > 0,
};
