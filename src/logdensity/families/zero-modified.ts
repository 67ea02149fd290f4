/**
 * The zero-inflated and hurdle families in tfjs ops (models/families/zero-modified.ts), log link,
 * u = (log shape for the NB, logit π): with l(y) the count distribution's row terms and l0 its log p(0),
 *   zero-inflated: y = 0: log(π + (1 − π) e^{l0}); y > 0: log(1 − π) + l(y);
 *   hurdle:        y = 0: log π;                   y > 0: log(1 − π) + l(y) − log(1 − e^{l0});
 * analytic ∂/∂η and ∂/∂u; constant −Σ lgamma(y + 1).
 */
import { tf } from '../tfjs.js';
import type { Tensor } from '@tensorflow/tfjs';
import { lgamma } from '../../../base/gamma.js';
import { digamma, lgammaValue } from '../ops.js';
import type { LinkName } from '../../../models/families/types.js';
import type { FamilyColumns, TfjsData, TfjsFamily, TfjsRows } from './types.js';

/** A count distribution's row terms at μ = e^η: value, ∂/∂η and ∂/∂log shape (NB), for y and for 0. */
interface CountRows {
  readonly v: Tensor;
  readonly dEta: Tensor;
  readonly dPar: Tensor | null;
  readonly v0: Tensor;
  readonly d0Eta: Tensor;
  readonly d0Par: Tensor | null;
}

/** Poisson: l = yη − μ, l0 = −μ. */
function poissonRows(yT: Tensor, eta: Tensor): CountRows {
  const mu = tf.exp(eta);
  return { v: tf.sub(tf.mul(yT, eta), mu), dEta: tf.sub(yT, mu), dPar: null, v0: tf.neg(mu), d0Eta: tf.neg(mu), d0Par: null };
}

/** NB2 with φ = e^{u}: l = lgamma(y + φ) − lgamma(φ) + φ log φ + yη − (y + φ) log(φ + μ), l0 = φ (log φ − log(φ + μ)). */
function negbinomialRows(yT: Tensor, eta: Tensor, logPhi: Tensor): CountRows {
  const phi = tf.exp(logPhi);
  const mu = tf.exp(eta);
  const s = tf.add(phi, mu);
  const logS = tf.log(s);
  const yp = tf.add(yT, phi);
  const ratio = tf.div(yp, s);
  const v = tf.add(tf.sub(lgammaValue(yp), lgammaValue(phi)), tf.sub(tf.add(tf.mul(phi, logPhi), tf.mul(yT, eta)), tf.mul(yp, logS)));
  const dEta = tf.sub(yT, tf.mul(ratio, mu));
  const dPar = tf.mul(phi, tf.sub(tf.add(tf.sub(digamma(yp), digamma(phi)), tf.add(logPhi, 1)), tf.add(logS, ratio)));
  const lr = tf.sub(logPhi, logS);
  const frac = tf.div(mu, s);
  return { v, dEta, dPar, v0: tf.mul(phi, lr), d0Eta: tf.neg(tf.mul(phi, frac)), d0Par: tf.mul(phi, tf.add(lr, frac)) };
}

/** The builder of one zero-modified family (`kind`) over a count distribution with `nb` its NB flag. */
export function zeroModifiedTfjs(kind: 'zi' | 'hu', nb: boolean): TfjsFamily {
  return (link: LinkName, { y, row }: TfjsData): TfjsRows => {
    if (link !== 'log') throw new Error(`no likelihood for a zero-modified family with link ${link}`);
    let constant = 0;
    for (let i = 0; i < y.length; i++) constant -= lgamma(y[i] + 1);
    const yT = row(y);
    const zero = row(Float64Array.from(y, (v) => (v === 0 ? 1 : 0)));
    const pos = row(Float64Array.from(y, (v) => (v === 0 ? 0 : 1)));
    return {
      constant,
      evaluate: (eta, u) => {
        const U = u as FamilyColumns;
        const m = nb ? 1 : 0;
        // π per chain [C, 1], or per row [C, n] with a zero formula
        const up = U[m];
        const pi = tf.sigmoid(up);
        const lpi = tf.neg(tf.softplus(tf.neg(up)));
        const l1pi = tf.neg(tf.softplus(up));
        const c = nb ? negbinomialRows(yT, eta, U[0]) : poissonRows(yT, eta);
        const posV = tf.add(l1pi, c.v);
        if (kind === 'zi') {
          const b = tf.add(l1pi, c.v0);
          const mx = tf.maximum(lpi, b);
          const v0 = tf.add(mx, tf.log1p(tf.exp(tf.neg(tf.abs(tf.sub(lpi, b))))));
          const q = tf.exp(tf.sub(b, v0));
          const rows = tf.add(tf.mul(zero, v0), tf.mul(pos, posV));
          const g = tf.add(tf.mul(zero, tf.mul(q, c.d0Eta)), tf.mul(pos, c.dEta));
          // ∂/∂logit π: (1 − q) − π at y = 0, −π at y > 0
          const gPi = tf.sub(tf.mul(zero, tf.sub(1, q)), pi);
          const gPar = c.dPar && c.d0Par ? [tf.add(tf.mul(zero, tf.mul(q, c.d0Par)), tf.mul(pos, c.dPar))] : [];
          return { rows, g, perChain: null, gRowsPar: [...gPar, gPi], gPerChainPar: null };
        }
        // hurdle: T = e^{l0}/(1 − e^{l0}) = 1/expm1(−l0)
        const T = tf.div(1, tf.expm1(tf.neg(c.v0)));
        const lpos = tf.log(tf.neg(tf.expm1(c.v0)));
        const rows = tf.add(tf.mul(zero, lpi), tf.mul(pos, tf.sub(posV, lpos)));
        const g = tf.mul(pos, tf.add(c.dEta, tf.mul(T, c.d0Eta)));
        const gPi = tf.sub(zero, pi);
        const gPar = c.dPar && c.d0Par ? [tf.mul(pos, tf.add(c.dPar, tf.mul(T, c.d0Par)))] : [];
        return { rows, g, perChain: null, gRowsPar: [...gPar, gPi], gPerChainPar: null };
      },
    };
  };
}
