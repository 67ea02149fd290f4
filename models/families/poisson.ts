/** Poisson family (R's `poisson()`, `dpois`). */
import type { Family } from './types.js';
import { lgamma } from '../../base/gamma.js';
import { rpois } from './random.js';

/** Poisson: log p = y log μ − μ − log y!; Var = μ. Links log (default), identity, sqrt. */
export const poisson: Family = {
  name: 'poisson',
  links: ['log', 'identity', 'sqrt'],
  defaultLink: 'log',
  aux: null,
  logLik: (y, mu) => (y === 0 ? -mu : y * Math.log(mu) - mu - lgamma(y + 1)),
  variance: (mu) => mu,
  dLogLikDmu: (y, mu) => y / mu - 1,
  d2LogLikDmu2: (y, mu) => -y / (mu * mu),
  dLogLikDaux: () => NaN,
  // R poisson()$dev.resids: r <- mu*wt; p <- which(y > 0); r[p] <- (wt * (y*log(y/mu) - (y - mu)))[p]; 2*r
  devResid: (y, mu) => 2 * (y > 0 ? y * Math.log(y / mu) - (y - mu) : mu),
  simulate: (rng, mu) => rpois(rng, mu),
  validMu: (mu) => Number.isFinite(mu) && mu > 0,
};
