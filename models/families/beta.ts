/** Beta family (brms's `Beta()`, glmmTMB's `beta_family()`, R's `dbeta(y, μφ, (1 − μ)φ)`). */
import type { Family, JsLikelihood, LinkName } from './types.js';
import { LOG_TRANSFORM } from './constraints.js';
import { scalarParamOnly } from './scalar.js';
import { digamma, lgamma, trigamma } from '../../base/gamma.js';
import { rgamma } from './random.js';
import { UNIT_INTERVAL } from './rules.js';

/** log p of Beta(μφ, (1 − μ)φ) at y. */
function betaLogLik(y: number, mu: number, phi: number): number {
  const a = mu * phi;
  const b = (1 - mu) * phi;
  return lgamma(phi) - lgamma(a) - lgamma(b) + (a - 1) * Math.log(y) + (b - 1) * Math.log1p(-y);
}

/**
 * Row terms −lgamma(μφ) − lgamma((1 − μ)φ) + μφ log y + (1 − μ)φ log(1 − y) on the logit link with
 * μ = logistic(η), dμ/dη = μ(1 − μ); φ-only n·lgamma(φ) (−Σ log y(1 − y) left to the constant).
 */
function betaJs(link: LinkName, y: Float64Array): JsLikelihood {
  if (link !== 'logit') throw new Error(`no likelihood for beta/${link}`);
  const n = y.length;
  const ly = Float64Array.from(y, Math.log);
  const l1y = Float64Array.from(y, (v) => Math.log1p(-v));
  return {
    row: (i, eta, u, out) => {
      const la = u[0];
      const phi = Math.exp(la);
      const mu = 1 / (1 + Math.exp(-eta));
      const nu = 1 / (1 + Math.exp(eta));
      const a = mu * phi;
      const b = nu * phi;
      const da = digamma(a);
      const db = digamma(b);
      out[0] = -lgamma(a) - lgamma(b) + a * ly[i] + b * l1y[i];
      out[1] = phi * mu * nu * (db - da + ly[i] - l1y[i]);
      out[2] = a * (ly[i] - da) + b * (l1y[i] - db);
    },
    paramOnly: scalarParamOnly((la): [number, number] => {
      const phi = Math.exp(la);
      return [n * lgamma(phi), n * digamma(phi) * phi];
    }),
  };
}

/**
 * Beta with mean μ and precision φ = `phi` (Ferrari & Cribari-Neto 2004, as brms and glmmTMB):
 * y ~ Beta(μφ, (1 − μ)φ), Var = μ(1 − μ)/(1 + φ); y strictly in (0, 1). Link logit.
 */
export const beta: Family = {
  name: 'beta',
  aliases: ['beta_family'],
  links: ['logit'],
  defaultLink: 'logit',
  canonicalLink: null,
  params: [{ constraint: LOG_TRANSFORM, name: 'phi', defaultPrior: { dist: 'gamma', shape: 0.01, rate: 0.01 }, inVarianceFunction: false, start: () => [1] }],
  response: UNIT_INTERVAL,
  linearMixed: false,
  nests: null,
  pirlsWeights: 'observed',
  satMu: null,
  startMu: (y) => y,
  logLik: (y, mu, aux) => betaLogLik(y, mu, aux[0]),
  variance: (mu, aux) => (mu * (1 - mu)) / (1 + aux[0]),
  mean: (mu) => mu,
  dLogLikDmu: (y, mu, aux) => aux[0] * (digamma((1 - mu) * aux[0]) - digamma(mu * aux[0]) + Math.log(y) - Math.log1p(-y)),
  d2LogLikDmu2: (_y, mu, aux) => -aux[0] * aux[0] * (trigamma(mu * aux[0]) + trigamma((1 - mu) * aux[0])),
  dLogLikDpar: (y, mu, aux) =>
    digamma(aux[0]) - mu * digamma(mu * aux[0]) - (1 - mu) * digamma((1 - mu) * aux[0]) + mu * Math.log(y) + (1 - mu) * Math.log1p(-y),
  // 2·(log p at μ = y − log p at μ), at the given φ (glmmTMB's beta_family has no dev.resids)
  devResid: (y, mu, aux) => 2 * (betaLogLik(y, y, aux[0]) - betaLogLik(y, mu, aux[0])),
  simulate: (rng, mu, aux) => {
    const ga = rgamma(rng, mu * aux[0], 1);
    return ga / (ga + rgamma(rng, (1 - mu) * aux[0], 1));
  },
  validMu: (mu) => Number.isFinite(mu) && mu > 0 && mu < 1,
  jsLikelihood: (link, y) => betaJs(link, y),
};
