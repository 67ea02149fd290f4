/** Negative binomial NB2 family (R's `dnbinom(y, size = shape, mu = μ)`, glmmTMB `nbinom2`). */
import type { Family } from './types.js';
import { digamma, lgamma } from '../../base/gamma.js';
import { rgamma, rpois } from './random.js';

/**
 * NB2 with size φ = `shape`: log p = lgamma(y+φ) − lgamma(φ) − lgamma(y+1) + φ log(φ/(φ+μ))
 * + y log(μ/(φ+μ)); Var = μ + μ²/φ. Link log only.
 */
export const negbinomial: Family = {
  name: 'negbinomial',
  links: ['log'],
  defaultLink: 'log',
  aux: 'shape',
  logLik: (y, mu, phi) => {
    const lpm = Math.log(phi + mu);
    const ly = y === 0 ? 0 : y * (Math.log(mu) - lpm);
    return lgamma(y + phi) - lgamma(phi) - lgamma(y + 1) + phi * (Math.log(phi) - lpm) + ly;
  },
  variance: (mu, phi) => mu + (mu * mu) / phi,
  dLogLikDmu: (y, mu, phi) => y / mu - (y + phi) / (phi + mu),
  d2LogLikDmu2: (y, mu, phi) => -y / (mu * mu) + (y + phi) / ((phi + mu) * (phi + mu)),
  dLogLikDaux: (y, mu, phi) =>
    digamma(y + phi) - digamma(phi) + Math.log(phi / (phi + mu)) + 1 - (y + phi) / (phi + mu),
  // R MASS negative.binomial(theta)$dev.resids
  devResid: (y, mu, phi) =>
    2 * (y * Math.log(Math.max(1, y) / mu) - (y + phi) * Math.log((y + phi) / (mu + phi))),
  simulate: (rng, mu, phi) => rpois(rng, rgamma(rng, phi, phi / mu)),
  validMu: (mu) => Number.isFinite(mu) && mu > 0,
};
