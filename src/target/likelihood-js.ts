/**
 * The per-row log-likelihood of every family × link in float64 JS, on the η scale, with its derivative
 * g = ∂ℓ_i/∂η_i and, for families with shape/sigma, ∂ℓ_i/∂log(aux): the same stable forms as the tfjs
 * likelihood (src/logdensity/likelihood.ts), for the plain-JS batched density (density-js.ts).
 * Only parameter-dependent terms are computed (the constants, lgamma(y+1) and the like, are added by the
 * caller); `auxOnly` carries the terms of the aux parameter alone.
 */
import type { FamilyName, LinkName } from '../../models/families/types.js';
import { digamma, lgamma } from '../../base/gamma.js';
import { logPnorm } from '../../base/normal.js';

/** Row i at η with log aux `a` (0 without aux): writes [value, ∂/∂η, ∂/∂log aux] into out. */
export type RowLikelihood = (i: number, eta: number, a: number, out: Float64Array) => void;

/** A family's likelihood in float64: rows, and the aux-only terms (value and ∂/∂log aux). */
export interface JsLikelihood {
  readonly row: RowLikelihood;
  readonly auxOnly: ((a: number) => [number, number]) | null;
}

const HALF_LOG_2PI = 0.9189385332046727;

function poisson(link: LinkName, y: Float64Array): RowLikelihood {
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

function binomial(link: LinkName, y: Float64Array, nT: Float64Array): RowLikelihood {
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

/** Builds the float64 likelihood of `family`/`link` for responses y (and binomial trials). */
export function jsLikelihood(family: FamilyName, link: LinkName, y: Float64Array, trials: Float64Array | null): JsLikelihood {
  const n = y.length;
  if (family === 'poisson') return { row: poisson(link, y), auxOnly: null };
  if (family === 'binomial' || family === 'bernoulli') return { row: binomial(link, y, trials ?? new Float64Array(n).fill(1)), auxOnly: null };
  if (family === 'negbinomial' && link === 'log') {
    const counts = new Map<number, number>();
    for (let i = 0; i < n; i++) counts.set(y[i], (counts.get(y[i]) ?? 0) + 1);
    return {
      row: (i, eta, a, out) => {
        const phi = Math.exp(a);
        const mu = Math.exp(eta);
        const s = phi + mu;
        const ratio = (y[i] + phi) / s;
        const logS = Math.log(s);
        out[0] = y[i] * eta - (y[i] + phi) * logS;
        out[1] = y[i] - ratio * mu;
        out[2] = -(logS + ratio) * phi;
      },
      auxOnly: (a) => {
        const phi = Math.exp(a);
        let v = n * (phi * a - lgamma(phi));
        let d = n * (a + 1 - digamma(phi));
        for (const [u, c] of counts) {
          v += c * lgamma(u + phi);
          d += c * digamma(u + phi);
        }
        return [v, d * phi];
      },
    };
  }
  if (family === 'gaussian' && (link === 'identity' || link === 'log')) {
    return {
      row: (i, eta, a, out) => {
        const mu = link === 'log' ? Math.exp(eta) : eta;
        const prec = Math.exp(-2 * a);
        const r = y[i] - mu;
        const r2p = r * r * prec;
        out[0] = -0.5 * r2p;
        out[1] = link === 'log' ? r * prec * mu : r * prec;
        out[2] = r2p;
      },
      auxOnly: (a) => [-n * a, -n],
    };
  }
  if (family === 'gamma' && (link === 'log' || link === 'inverse')) {
    let sumLogY = 0;
    for (let i = 0; i < n; i++) sumLogY += Math.log(y[i]);
    return {
      row: (i, eta, a, out) => {
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
      auxOnly: (a) => {
        const alpha = Math.exp(a);
        return [n * (alpha * a - lgamma(alpha)) + alpha * sumLogY, alpha * (n * (a + 1 - digamma(alpha)) + sumLogY)];
      },
    };
  }
  throw new Error(`no likelihood for ${family}/${link}`);
}
