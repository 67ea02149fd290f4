/**
 * Zero-inflated and hurdle count families built from a count distribution (Poisson or NB2), as brms's
 * `zero_inflated_*` / `hurdle_*` and glmmTMB's `ziformula` with `poisson`/`nbinom2` (zero inflation) or
 * `truncated_poisson`/`truncated_nbinom2` (hurdle). With π the family's last parameter (`zi` or `hu`,
 * in (0, 1) on the logit scale) and p(y) the count distribution at mean μ = e^η:
 *   zero-inflated: P(0) = π + (1 − π) p(0),  P(y) = (1 − π) p(y) for y > 0  (Lambert 1992);
 *   hurdle:        P(0) = π,                 P(y) = (1 − π) p(y) / (1 − p(0)) for y > 0  (Mullahy 1986).
 * The count distribution's parameters (the NB's `shape`) come first. One float64 core gives the value
 * and every derivative; the family functions and the plain-JS row read it.
 */
import type { Family, FamilyName, FamilyParam, FamilyValues, JsLikelihood, LinkName } from './types.js';
import { LOG_TRANSFORM, LOGIT_TRANSFORM } from './constraints.js';
import { digamma, lgamma, log1pExp } from '../../base/gamma.js';
import { rgamma, rpois } from './random.js';
import { COUNTS } from './rules.js';

/** A count distribution at mean μ with parameters th (natural scale): log p(y) and log p(0) with their derivatives. */
interface CountBase {
  readonly params: readonly FamilyParam[];
  /** log p(y) with every constant into o[0], ∂/∂μ into o[1], ∂²/∂μ² into o[2], ∂/∂th[k] into o[3 + k]. */
  terms(y: number, mu: number, th: FamilyValues, o: Float64Array): void;
  variance(mu: number, th: FamilyValues): number;
  simulate(rng: () => number, mu: number, th: FamilyValues): number;
}

const POISSON: CountBase = {
  params: [],
  terms: (y, mu, _th, o) => {
    o[0] = y === 0 ? -mu : y * Math.log(mu) - mu - lgamma(y + 1);
    o[1] = y / mu - 1;
    o[2] = -y / (mu * mu);
  },
  variance: (mu) => mu,
  simulate: (rng, mu) => rpois(rng, mu),
};

const NEGBINOMIAL: CountBase = {
  params: [{ name: 'shape', constraint: LOG_TRANSFORM, defaultPrior: { dist: 'gamma', shape: 0.01, rate: 0.01 }, inVarianceFunction: true, start: () => [1] }],
  terms: (y, mu, th, o) => {
    const phi = th[0];
    const lpm = Math.log(phi + mu);
    o[0] = lgamma(y + phi) - lgamma(phi) - lgamma(y + 1) + phi * (Math.log(phi) - lpm) + (y === 0 ? 0 : y * (Math.log(mu) - lpm));
    o[1] = y / mu - (y + phi) / (phi + mu);
    o[2] = -y / (mu * mu) + (y + phi) / ((phi + mu) * (phi + mu));
    o[3] = digamma(y + phi) - digamma(phi) + Math.log(phi) - lpm + 1 - (y + phi) / (phi + mu);
  },
  variance: (mu, th) => mu + (mu * mu) / th[0],
  simulate: (rng, mu, th) => rpois(rng, rgamma(rng, th[0], th[0] / mu)),
};

/**
 * The zero-modified log-likelihood at y, μ, the count parameters th and π, with log π and log(1 − π)
 * given (stable from the logit): o[0] value, o[1] ∂/∂μ, o[2] ∂²/∂μ², o[3..3+m) ∂/∂th, o[3+m] ∂/∂π.
 */
function zeroModified(kind: 'zi' | 'hu', base: CountBase, y: number, mu: number, th: FamilyValues, pi: number, lpi: number, l1pi: number, o: Float64Array, s: Float64Array): void {
  const m = base.params.length;
  if (y > 0) {
    base.terms(y, mu, th, o);
    o[0] += l1pi;
    o[3 + m] = -1 / (1 - pi);
    if (kind === 'zi') return;
    // hurdle: − log(1 − p(0)), with T = p(0)/(1 − p(0)): ∂ = T ∂l0, ∂² = T ∂²l0 + T(1 + T)(∂l0)²
    base.terms(0, mu, th, s);
    const l0 = s[0];
    const T = 1 / Math.expm1(-l0);
    o[0] -= Math.log(-Math.expm1(l0));
    o[1] += T * s[1];
    o[2] += T * s[2] + T * (1 + T) * s[1] * s[1];
    for (let k = 0; k < m; k++) o[3 + k] += T * s[3 + k];
    return;
  }
  if (kind === 'hu') {
    o.fill(0, 0, 4 + m);
    o[0] = lpi;
    o[3 + m] = 1 / pi;
    return;
  }
  // zero inflation at y = 0: log(π + (1 − π) p(0)); q = (1 − π) p(0) / P(0), the share of sampling zeros
  base.terms(0, mu, th, s);
  const a = lpi;
  const b = l1pi + s[0];
  const v = Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b)));
  const q = Math.exp(b - v);
  o[0] = v;
  o[1] = q * s[1];
  o[2] = q * s[2] + q * (1 - q) * s[1] * s[1];
  for (let k = 0; k < m; k++) o[3 + k] = q * s[3 + k];
  o[3 + m] = -Math.expm1(s[0]) / Math.exp(v);
}

/** E y and E y² of the zero-modified distribution. */
function moments(kind: 'zi' | 'hu', base: CountBase, mu: number, th: FamilyValues, pi: number, s: Float64Array): [number, number] {
  const m2 = base.variance(mu, th) + mu * mu;
  if (kind === 'zi') return [(1 - pi) * mu, (1 - pi) * m2];
  base.terms(0, mu, th, s);
  const pos = -Math.expm1(s[0]);
  return [((1 - pi) * mu) / pos, ((1 - pi) * m2) / pos];
}

/** The zero-modified family `name` of `kind` over the count distribution `base` (module comment). */
function makeFamily(name: FamilyName, aliases: string[], kind: 'zi' | 'hu', base: CountBase): Family {
  const m = base.params.length;
  const o = new Float64Array(4 + m);
  const s = new Float64Array(4 + m);
  const at = (y: number, mu: number, aux: FamilyValues): Float64Array => {
    const pi = aux[m];
    zeroModified(kind, base, y, mu, aux, pi, Math.log(pi), Math.log1p(-pi), o, s);
    return o;
  };
  const logLik = (y: number, mu: number, aux: FamilyValues): number => (mu === 0 && y === 0 && kind === 'zi' ? 0 : at(y, mu, aux)[0]);
  const jsLikelihood = (link: LinkName, y: Float64Array): JsLikelihood => {
    if (link !== 'log') throw new Error(`no likelihood for ${name}/${link}`);
    const th = new Float64Array(m + 1);
    const ro = new Float64Array(4 + m);
    const rs = new Float64Array(4 + m);
    const c = Float64Array.from(y, (v) => lgamma(v + 1));
    return {
      // u = (log th…, logit π); the constant −lgamma(y + 1) left to the density's constant
      row: (i, eta, u, out) => {
        for (let k = 0; k < m; k++) th[k] = Math.exp(u[k]);
        const up = u[m];
        const pi = 1 / (1 + Math.exp(-up));
        const mu = Math.exp(eta);
        zeroModified(kind, base, y[i], mu, th, pi, -log1pExp(-up), -log1pExp(up), ro, rs);
        out[0] = ro[0] + c[i];
        out[1] = ro[1] * mu;
        for (let k = 0; k < m; k++) out[2 + k] = ro[3 + k] * th[k];
        out[2 + m] = ro[3 + m] * pi * (1 - pi);
      },
      paramOnly: null,
    };
  };
  const piParam: FamilyParam = { name: kind, constraint: LOGIT_TRANSFORM, defaultPrior: { dist: 'beta', a: 1, b: 1 }, inVarianceFunction: false, start: () => [0.5] };
  return {
    name,
    aliases,
    links: ['log'],
    defaultLink: 'log',
    canonicalLink: null,
    params: [...base.params, piParam],
    response: COUNTS,
    linearMixed: false,
    nests: null,
    pirlsWeights: 'observed',
    satMu: null,
    startMu: (y) => Math.max(y, 0.1),
    logLik,
    variance: (mu, aux) => {
      const [m1, m2] = moments(kind, base, mu, aux, aux[m], s);
      return m2 - m1 * m1;
    },
    mean: (mu, aux) => moments(kind, base, mu, aux, aux[m], s)[0],
    // Σ_y P(y)·(−∂² log P(y)/∂μ²) over the support until the tail is below 1e-12
    fisherInfo: (mu, aux) => {
      let info = 0;
      let mass = 0;
      for (let y = 0; mass < 1 - 1e-12 && y < 1e6; y++) {
        const p = Math.exp(logLik(y, mu, aux));
        mass += p;
        info -= p * at(y, mu, aux)[2];
      }
      return info;
    },
    dLogLikDmu: (y, mu, aux) => at(y, mu, aux)[1],
    d2LogLikDmu2: (y, mu, aux) => at(y, mu, aux)[2],
    dLogLikDpar: (y, mu, aux, _n, k) => at(y, mu, aux)[3 + k],
    // 2·(log p at μ = y − log p at μ) (R has no dev.resids for these; at y = 0 the supremum is at μ → 0)
    devResid: (y, mu, aux) => 2 * (logLik(y, y, aux) - logLik(y, mu, aux)),
    simulate: (rng, mu, aux) => {
      if (rng() < aux[m]) return 0;
      if (kind === 'zi') return base.simulate(rng, mu, aux);
      // hurdle: the count distribution truncated at 0, by rejection
      for (let t = 0; t < 1e6; t++) {
        const v = base.simulate(rng, mu, aux);
        if (v > 0) return v;
      }
      return 1;
    },
    validMu: (mu) => Number.isFinite(mu) && mu > 0,
    jsLikelihood,
  };
}

/** The count distributions by name, for the tfjs twins and tests. */
export const COUNT_BASES = { poisson: POISSON, negbinomial: NEGBINOMIAL } as const;

export const zipoisson = makeFamily('zipoisson', ['zero_inflated_poisson'], 'zi', POISSON);
export const zinegbinomial = makeFamily('zinegbinomial', ['zero_inflated_negbinomial'], 'zi', NEGBINOMIAL);
export const hurdlePoisson = makeFamily('hurdle_poisson', [], 'hu', POISSON);
export const hurdleNegbinomial = makeFamily('hurdle_negbinomial', [], 'hu', NEGBINOMIAL);
