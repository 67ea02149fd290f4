/** Poisson family (R's `poisson()`, `dpois`). */
import type { Family, LinkName, RowLikelihood } from './types.js';
import { lgamma } from '../../base/gamma.js';
import { rpois } from './random.js';
import { COUNTS } from './rules.js';

/** The row terms on η: y log μ − μ in stable forms (lgamma(y + 1) left to the constant). */
function poissonRows(link: LinkName, y: Float64Array): RowLikelihood {
  if (link === 'log') return (i, eta, _a, out) => {
    const e = Math.exp(eta);
    out[0] = y[i] * eta - e;
    out[1] = y[i] - e;
  };
  if (link === 'identity') return (i, eta, _a, out) => {
    out[0] = eta > 0 ? (y[i] === 0 ? 0 : y[i] * Math.log(eta)) - eta : -Infinity;
    out[1] = y[i] / eta - 1;
  };
  if (link === 'sqrt') return (i, eta, _a, out) => {
    out[0] = eta > 0 ? (y[i] === 0 ? 0 : 2 * y[i] * Math.log(eta)) - eta * eta : -Infinity;
    out[1] = (2 * y[i]) / eta - 2 * eta;
  };
  throw new Error(`no likelihood for poisson/${link}`);
}

/** Poisson: log p = y log μ − μ − log y!; Var = μ. Links log (default), identity, sqrt. */
export const poisson: Family = {
  name: 'poisson',
  aliases: [],
  links: ['log', 'identity', 'sqrt'],
  defaultLink: 'log',
  canonicalLink: 'log',
  params: [],
  response: COUNTS,
  linearMixed: false,
  nests: null,
  pirlsWeights: 'expected',
  satMu: 1,
  startMu: (y) => Math.max(y, 0.1),
  logLik: (y, mu) => (y === 0 ? -mu : y * Math.log(mu) - mu - lgamma(y + 1)),
  variance: (mu) => mu,
  mean: (mu) => mu,
  dLogLikDmu: (y, mu) => y / mu - 1,
  d2LogLikDmu2: (y, mu) => -y / (mu * mu),
  dLogLikDpar: () => NaN,
  // R poisson()$dev.resids: r <- mu*wt; p <- which(y > 0); r[p] <- (wt * (y*log(y/mu) - (y - mu)))[p]; 2*r
  devResid: (y, mu) => 2 * (y > 0 ? y * Math.log(y / mu) - (y - mu) : mu),
  simulate: (rng, mu) => rpois(rng, mu),
  validMu: (mu) => Number.isFinite(mu) && mu > 0,
  jsLikelihood: (link, y) => ({ row: poissonRows(link, y), paramOnly: null }),
};
