/** Binomial and Bernoulli families (R's `binomial()`, `dbinom`). */
import type { Family } from './types.js';
import { lchoose } from '../../base/gamma.js';
import { rbinom } from './random.js';

/** x·log(p) with 0·log(0) = 0. */
function xlogp(x: number, p: number): number {
  return x === 0 ? 0 : x * Math.log(p);
}

function binomialLogLik(y: number, mu: number, trials: number): number {
  return lchoose(trials, y) + xlogp(y, mu) + xlogp(trials - y, 1 - mu);
}

function xlogxy(x: number, y: number): number {
  return x === 0 ? 0 : x * Math.log(x / y);
}

/**
 * Binomial: y successes of `trials`, μ the success probability;
 * log p = log C(n, y) + y log μ + (n − y) log(1 − μ). `variance` is per trial, μ(1 − μ), as R's
 * binomial()$variance (the PIRLS weight multiplies by trials). Links logit (default), probit, cloglog.
 */
export const binomial: Family = {
  name: 'binomial',
  links: ['logit', 'probit', 'cloglog'],
  defaultLink: 'logit',
  aux: null,
  logLik: (y, mu, _aux, trials) => binomialLogLik(y, mu, trials),
  variance: (mu) => mu * (1 - mu),
  dLogLikDmu: (y, mu, _aux, n) => y / mu - (n - y) / (1 - mu),
  d2LogLikDmu2: (y, mu, _aux, n) => -y / (mu * mu) - (n - y) / ((1 - mu) * (1 - mu)),
  dLogLikDaux: () => NaN,
  // R binomial()$dev.resids with y as a proportion and wt = trials, written in counts
  devResid: (y, mu, _aux, n) => 2 * (xlogxy(y, n * mu) + xlogxy(n - y, n * (1 - mu))),
  simulate: (rng, mu, _aux, trials) => rbinom(rng, trials, mu),
  validMu: (mu) => Number.isFinite(mu) && mu > 0 && mu < 1,
};

/** Bernoulli: the binomial with one trial (y ∈ {0, 1}); `trials` is ignored. */
export const bernoulli: Family = {
  ...binomial,
  name: 'bernoulli',
  logLik: (y, mu) => binomialLogLik(y, mu, 1),
  dLogLikDmu: (y, mu) => y / mu - (1 - y) / (1 - mu),
  d2LogLikDmu2: (y, mu) => -y / (mu * mu) - (1 - y) / ((1 - mu) * (1 - mu)),
  devResid: (y, mu) => 2 * (xlogxy(y, mu) + xlogxy(1 - y, 1 - mu)),
  simulate: (rng, mu) => (rng() < mu ? 1 : 0),
};
