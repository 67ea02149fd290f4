/** Negative binomial NB2 family (R's `dnbinom(y, size = shape, mu = μ)`, glmmTMB `nbinom2`). */
import type { Family, JsLikelihood, LinkName } from './types.js';
import { LOG_TRANSFORM } from './constraints.js';
import { scalarParamOnly } from './scalar.js';
import { digamma, lgamma } from '../../base/gamma.js';
import { rgamma, rpois } from './random.js';
import { COUNTS } from './rules.js';

/**
 * Row terms y η − (y + φ) log(φ + μ) on the log link; the φ-only terms n(φ log φ − lgamma φ) +
 * Σ_i lgamma(y_i + φ) over the distinct y values u with counts c_u (few for count data).
 */
function negbinomialJs(link: LinkName, y: Float64Array): JsLikelihood {
  if (link !== 'log') throw new Error(`no likelihood for negbinomial/${link}`);
  const n = y.length;
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) counts.set(y[i], (counts.get(y[i]) ?? 0) + 1);
  return {
    row: (i, eta, u, out) => {
      const a = u[0];
      const phi = Math.exp(a);
      const mu = Math.exp(eta);
      const s = phi + mu;
      const ratio = (y[i] + phi) / s;
      const logS = Math.log(s);
      out[0] = y[i] * eta - (y[i] + phi) * logS;
      out[1] = y[i] - ratio * mu;
      out[2] = -(logS + ratio) * phi;
    },
    paramOnly: scalarParamOnly((a): [number, number] => {
      const phi = Math.exp(a);
      let v = n * (phi * a - lgamma(phi));
      let d = n * (a + 1 - digamma(phi));
      for (const [u, c] of counts) {
        v += c * lgamma(u + phi);
        d += c * digamma(u + phi);
      }
      return [v, d * phi];
    }),
  };
}

/**
 * NB2 with size φ = `shape`: log p = lgamma(y+φ) − lgamma(φ) − lgamma(y+1) + φ log(φ/(φ+μ))
 * + y log(μ/(φ+μ)); Var = μ + μ²/φ. Link log only.
 */
export const negbinomial: Family = {
  name: 'negbinomial',
  aliases: ['negbin', 'nbinom2'],
  links: ['log'],
  defaultLink: 'log',
  canonicalLink: null,
  params: [{ constraint: LOG_TRANSFORM, name: 'shape', defaultPrior: { dist: 'gamma', shape: 0.01, rate: 0.01 }, inVarianceFunction: true, start: () => [1] }],
  response: COUNTS,
  linearMixed: false,
  nests: { family: 'poisson', note: 'overdispersion 1/shape tested at 0 (the Poisson)' },
  pirlsWeights: 'observed',
  satMu: null,
  startMu: (y) => Math.max(y, 0.1),
  logLik: (y, mu, aux) => {
    const lpm = Math.log(aux[0] + mu);
    const ly = y === 0 ? 0 : y * (Math.log(mu) - lpm);
    return lgamma(y + aux[0]) - lgamma(aux[0]) - lgamma(y + 1) + aux[0] * (Math.log(aux[0]) - lpm) + ly;
  },
  variance: (mu, aux) => mu + (mu * mu) / aux[0],
  mean: (mu) => mu,
  dLogLikDmu: (y, mu, aux) => y / mu - (y + aux[0]) / (aux[0] + mu),
  d2LogLikDmu2: (y, mu, aux) => -y / (mu * mu) + (y + aux[0]) / ((aux[0] + mu) * (aux[0] + mu)),
  dLogLikDpar: (y, mu, aux) =>
    digamma(y + aux[0]) - digamma(aux[0]) + Math.log(aux[0] / (aux[0] + mu)) + 1 - (y + aux[0]) / (aux[0] + mu),
  // R MASS negative.binomial(theta)$dev.resids
  devResid: (y, mu, aux) =>
    2 * (y * Math.log(Math.max(1, y) / mu) - (y + aux[0]) * Math.log((y + aux[0]) / (mu + aux[0]))),
  simulate: (rng, mu, aux) => rpois(rng, rgamma(rng, aux[0], aux[0] / mu)),
  validMu: (mu) => Number.isFinite(mu) && mu > 0,
  jsLikelihood: (link, y) => negbinomialJs(link, y),
};
