/** Gamma family (R's `Gamma()`, `dgamma(y, shape, rate = shape/μ)`). */
import type { Family, JsLikelihood, LinkName } from './types.js';
import { LOG_TRANSFORM } from './constraints.js';
import { scalarParamOnly } from './scalar.js';
import { digamma, lgamma } from '../../base/gamma.js';
import { rgamma } from './random.js';
import { POSITIVE } from './rules.js';

/** Row terms α·(−log μ − y/μ) on log or inverse links; α-only n(α log α − lgamma α) + α Σ log y. */
function gammaJs(link: LinkName, y: Float64Array): JsLikelihood {
  if (link !== 'log' && link !== 'inverse') throw new Error(`no likelihood for gamma/${link}`);
  const n = y.length;
  let sumLogY = 0;
  for (let i = 0; i < n; i++) sumLogY += Math.log(y[i]);
  return {
    row: (i, eta, u, out) => {
      const a = u[0];
      const alpha = Math.exp(a);
      let h: number, dh: number;
      if (link === 'log') {
        const yInvMu = y[i] * Math.exp(-eta);
        h = -(eta + yInvMu);
        dh = yInvMu - 1;
      } else {
        h = eta > 0 ? Math.log(eta) - y[i] * eta : -Infinity;
        dh = 1 / eta - y[i];
      }
      out[0] = alpha * h;
      out[1] = alpha * dh;
      out[2] = alpha * h;
    },
    paramOnly: scalarParamOnly((a): [number, number] => {
      const alpha = Math.exp(a);
      return [n * (alpha * a - lgamma(alpha)) + alpha * sumLogY, alpha * (n * (a + 1 - digamma(alpha)) + sumLogY)];
    }),
  };
}

/**
 * Gamma with shape α = `shape` and mean μ: log p = α log(α/μ) − lgamma(α) + (α − 1) log y − α y/μ;
 * Var = μ²/α. Links log (default, as brms), inverse (R's canonical).
 */
export const gamma: Family = {
  name: 'gamma',
  aliases: [],
  links: ['log', 'inverse'],
  defaultLink: 'log',
  // R's inverse link 1/μ is the canonical −1/μ up to sign, but PIRLS keeps its observed-weight path for it
  canonicalLink: null,
  params: [{ constraint: LOG_TRANSFORM, name: 'shape', defaultPrior: { dist: 'gamma', shape: 0.01, rate: 0.01 }, inVarianceFunction: false, start: () => [1] }],
  response: POSITIVE,
  linearMixed: false,
  nests: null,
  pirlsWeights: 'observed',
  satMu: null,
  startMu: (y) => Math.max(y, 0.1),
  logLik: (y, mu, aux) => aux[0] * Math.log(aux[0] / mu) - lgamma(aux[0]) + (aux[0] - 1) * Math.log(y) - (aux[0] * y) / mu,
  variance: (mu, aux) => (mu * mu) / aux[0],
  mean: (mu) => mu,
  dLogLikDmu: (y, mu, aux) => (aux[0] * (y - mu)) / (mu * mu),
  d2LogLikDmu2: (y, mu, aux) => aux[0] / (mu * mu) - (2 * aux[0] * y) / (mu * mu * mu),
  dLogLikDpar: (y, mu, aux) => Math.log(aux[0] / mu) + 1 - digamma(aux[0]) + Math.log(y) - y / mu,
  // R Gamma()$dev.resids: -2 * wt * (log(ifelse(y == 0, 1, y/mu)) - (y - mu)/mu)
  devResid: (y, mu) => -2 * (Math.log(y === 0 ? 1 : y / mu) - (y - mu) / mu),
  simulate: (rng, mu, aux) => rgamma(rng, aux[0], aux[0] / mu),
  validMu: (mu) => Number.isFinite(mu) && mu > 0,
  jsLikelihood: (link, y) => gammaJs(link, y),
};
