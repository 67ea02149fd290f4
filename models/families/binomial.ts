/** Binomial and Bernoulli families (R's `binomial()`, `dbinom`). */
import type { Family, LinkName, RowLikelihood } from './types.js';
import { lchoose } from '../../base/gamma.js';
import { logPnorm } from '../../base/normal.js';
import { rbinom } from './random.js';
import { BINARY, SUCCESSES } from './rules.js';

const HALF_LOG_2PI = 0.9189385332046727;

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

/** The row terms on η, y log μ + (n − y) log(1 − μ) in stable forms (lchoose left to the constant). */
function binomialRows(link: LinkName, y: Float64Array, nT: Float64Array): RowLikelihood {
  // one exp per row: e = exp(−|η|), softplus(η) = max(η, 0) + log1p(e), logistic(η) from the same e
  if (link === 'logit') return (i, eta, _a, out) => {
    const e = Math.exp(-Math.abs(eta));
    const sp = (eta > 0 ? eta : 0) + Math.log1p(e);
    out[0] = y[i] * eta - nT[i] * sp;
    out[1] = y[i] - (nT[i] * (eta > 0 ? 1 : e)) / (1 + e);
  };
  if (link === 'probit') return (i, eta, _a, out) => {
    const lp = logPnorm(eta);
    const lq = logPnorm(-eta);
    const lphi = -0.5 * eta * eta - HALF_LOG_2PI;
    const ny = nT[i] - y[i];
    out[0] = (y[i] === 0 ? 0 : y[i] * lp) + (ny === 0 ? 0 : ny * lq);
    out[1] = y[i] * Math.exp(lphi - lp) - ny * Math.exp(lphi - lq);
  };
  if (link === 'cloglog') return (i, eta, _a, out) => {
    const e = Math.exp(eta);
    const ny = nT[i] - y[i];
    out[0] = (y[i] === 0 ? 0 : y[i] * Math.log(-Math.expm1(-e))) - ny * e;
    out[1] = e * (y[i] / Math.expm1(e) - ny);
  };
  throw new Error(`no likelihood for binomial/${link}`);
}

/**
 * Binomial: y successes of `trials`, μ the success probability;
 * log p = log C(n, y) + y log μ + (n − y) log(1 − μ). `variance` is per trial, μ(1 − μ), as R's
 * binomial()$variance (the PIRLS weight multiplies by trials). Links logit (default), probit, cloglog.
 */
export const binomial: Family = {
  name: 'binomial',
  aliases: [],
  links: ['logit', 'probit', 'cloglog'],
  defaultLink: 'logit',
  canonicalLink: 'logit',
  params: [],
  response: SUCCESSES,
  linearMixed: false,
  nests: null,
  pirlsWeights: 'expected',
  satMu: 0.5,
  startMu: (y, n) => (y + 0.5) / (n + 1),
  logLik: (y, mu, _aux, trials) => binomialLogLik(y, mu, trials),
  variance: (mu) => mu * (1 - mu),
  mean: (mu, _aux, trials) => trials * mu,
  dLogLikDmu: (y, mu, _aux, n) => y / mu - (n - y) / (1 - mu),
  d2LogLikDmu2: (y, mu, _aux, n) => -y / (mu * mu) - (n - y) / ((1 - mu) * (1 - mu)),
  dLogLikDpar: () => NaN,
  // R binomial()$dev.resids with y as a proportion and wt = trials, written in counts
  devResid: (y, mu, _aux, n) => 2 * (xlogxy(y, n * mu) + xlogxy(n - y, n * (1 - mu))),
  simulate: (rng, mu, _aux, trials) => rbinom(rng, trials, mu),
  validMu: (mu) => Number.isFinite(mu) && mu > 0 && mu < 1,
  jsLikelihood: (link, y, trials) => ({ row: binomialRows(link, y, trials), paramOnly: null }),
};

/** Bernoulli: the binomial with one trial (y ∈ {0, 1}); `trials` is ignored. */
export const bernoulli: Family = {
  ...binomial,
  name: 'bernoulli',
  response: BINARY,
  logLik: (y, mu) => binomialLogLik(y, mu, 1),
  mean: (mu) => mu,
  dLogLikDmu: (y, mu) => y / mu - (1 - y) / (1 - mu),
  d2LogLikDmu2: (y, mu) => -y / (mu * mu) - (1 - y) / ((1 - mu) * (1 - mu)),
  devResid: (y, mu) => 2 * (xlogxy(y, mu) + xlogxy(1 - y, 1 - mu)),
  simulate: (rng, mu) => (rng() < mu ? 1 : 0),
};
