/**
 * Beta-binomial family (glmmTMB's `betabinomial()`, brms's `beta_binomial()`): y successes of n with
 * success probability p ~ Beta(μφ, (1 − μ)φ); R's extraDistr::dbbinom(y, n, μφ, (1 − μ)φ).
 */
import type { Family, JsLikelihood, LinkName } from './types.js';
import { LOG_TRANSFORM } from './constraints.js';
import { scalarParamOnly } from './scalar.js';
import { digammaDiff, lchoose, lgammaRatio, trigamma } from '../../base/gamma.js';
import { rbinom, rgamma } from './random.js';
import { SUCCESSES } from './rules.js';

/** y log x, 0 at y = 0. */
const xlogy = (y: number, x: number): number => (y === 0 ? 0 : y * Math.log(x));

/**
 * log p = log C(n, y) + lgamma(y + a) − lgamma(a) + lgamma(f + b) − lgamma(b) − lgamma(n + φ) + lgamma(φ),
 * a = μφ, b = (1 − μ)φ, f = n − y, in the form that stays accurate as φ → ∞ (where the log Γ terms,
 * each ~φ log φ, cancel to the binomial's): log C(n, y) + y log μ + f log(1 − μ) + R(a, y) + R(b, f) −
 * R(φ, n), with R(x, k) = lgamma(x + k) − lgamma(x) − k log x (lgammaRatio), which tends to 0.
 */
function bbLogLik(y: number, mu: number, phi: number, n: number): number {
  const f = n - y;
  return lchoose(n, y) + xlogy(y, mu) + xlogy(f, 1 - mu) + lgammaRatio(mu * phi, y) + lgammaRatio((1 - mu) * phi, f) - lgammaRatio(phi, n);
}

/**
 * Row terms lgamma(y + μφ) − lgamma(μφ) + lgamma(n − y + (1 − μ)φ) − lgamma((1 − μ)φ) on the logit
 * link; φ-only Σ_i [lgamma(φ) − lgamma(n_i + φ)] over the distinct trials (log C(n, y) left to the
 * constant); each lgamma difference as k log x + lgammaRatio(x, k) and the ψ differences by digammaDiff,
 * accurate as φ → ∞ (bbLogLik).
 */
function betabinomialJs(link: LinkName, y: Float64Array, trials: Float64Array): JsLikelihood {
  if (link !== 'logit') throw new Error(`no likelihood for betabinomial/${link}`);
  const rows = y.length;
  const counts = new Map<number, number>();
  for (let i = 0; i < rows; i++) counts.set(trials[i], (counts.get(trials[i]) ?? 0) + 1);
  return {
    row: (i, eta, u, out) => {
      const la = u[0];
      const phi = Math.exp(la);
      const mu = 1 / (1 + Math.exp(-eta));
      const nu = 1 / (1 + Math.exp(eta));
      const a = mu * phi;
      const b = nu * phi;
      const yi = y[i];
      const fi = trials[i] - yi;
      const sa = digammaDiff(a, yi);
      const sb = digammaDiff(b, fi);
      out[0] = lgammaRatio(a, yi) + xlogy(yi, a) + lgammaRatio(b, fi) + xlogy(fi, b);
      out[1] = phi * mu * nu * (sa - sb);
      out[2] = a * sa + b * sb;
    },
    paramOnly: scalarParamOnly((la): [number, number] => {
      const phi = Math.exp(la);
      let v = 0;
      let d = 0;
      for (const [n, c] of counts) {
        v -= c * (lgammaRatio(phi, n) + n * la);
        d -= c * digammaDiff(phi, n);
      }
      return [v, d * phi];
    }),
  };
}

/**
 * Beta-binomial with mean μ and precision φ = `phi` as glmmTMB: E y = nμ,
 * Var y = nμ(1 − μ)(1 + (n − 1)/(φ + 1)); `variance` is per trial as the binomial's,
 * μ(1 − μ)(1 + (n − 1)/(φ + 1)). The binomial is its limit φ → ∞. Link logit; responses as the
 * binomial's (cbind(x, n − x), 0/1, a proportion with weights).
 */
export const betabinomial: Family = {
  name: 'betabinomial',
  aliases: ['beta_binomial'],
  links: ['logit'],
  defaultLink: 'logit',
  canonicalLink: null,
  params: [{ constraint: LOG_TRANSFORM, name: 'phi', defaultPrior: { dist: 'gamma', shape: 0.01, rate: 0.01 }, inVarianceFunction: true, start: () => [1] }],
  response: SUCCESSES,
  linearMixed: false,
  nests: { family: 'binomial', note: 'overdispersion 1/(1 + phi) tested at 0 (the binomial)' },
  pirlsWeights: 'observed',
  satMu: null,
  startMu: (y, n) => (y + 0.5) / (n + 1),
  logLik: (y, mu, aux, n) => bbLogLik(y, mu, aux[0], n),
  variance: (mu, aux, n) => mu * (1 - mu) * (1 + (n - 1) / (aux[0] + 1)),
  mean: (mu, aux, n) => n * mu,
  dLogLikDmu: (y, mu, aux, n) =>
    aux[0] * (digammaDiff(mu * aux[0], y) - digammaDiff((1 - mu) * aux[0], n - y)),
  d2LogLikDmu2: (y, mu, aux, n) =>
    aux[0] * aux[0] * (trigamma(y + mu * aux[0]) - trigamma(mu * aux[0]) + trigamma(n - y + (1 - mu) * aux[0]) - trigamma((1 - mu) * aux[0])),
  dLogLikDpar: (y, mu, aux, n) =>
    mu * digammaDiff(mu * aux[0], y) + (1 - mu) * digammaDiff((1 - mu) * aux[0], n - y) - digammaDiff(aux[0], n),
  // 2·(log p at μ = y/n − log p at μ) at the given φ, with log p = 0 at y = 0 or n as μ → y/n (glmmTMB has no dev.resids)
  devResid: (y, mu, aux, n) => 2 * ((y === 0 || y === n ? 0 : bbLogLik(y, y / n, aux[0], n)) - bbLogLik(y, mu, aux[0], n)),
  simulate: (rng, mu, aux, n) => {
    const ga = rgamma(rng, mu * aux[0], 1);
    return rbinom(rng, n, ga / (ga + rgamma(rng, (1 - mu) * aux[0], 1)));
  },
  validMu: (mu) => Number.isFinite(mu) && mu > 0 && mu < 1,
  jsLikelihood: (link, y, trials) => betabinomialJs(link, y, trials),
};
