/**
 * Beta-binomial in tfjs ops (models/families/betabinomial.ts), logit link: rows lgamma(y + μφ) −
 * lgamma(μφ) + lgamma(n − y + (1 − μ)φ) − lgamma((1 − μ)φ); constant Σ lchoose(n, y); the φ-only
 * terms Σ_i [lgamma(φ) − lgamma(n_i + φ)] from the float64 family.
 */
import { tf } from '../tfjs.js';
import type { Tensor } from '@tensorflow/tfjs';
import { lchoose } from '../../../base/gamma.js';
import { digamma, lgammaValue } from '../ops.js';
import type { FamilyColumns, TfjsFamily } from './types.js';

export const betabinomialTfjs: TfjsFamily = (link, { y, trials, row }) => {
  if (link !== 'logit') throw new Error(`no likelihood for betabinomial/${link}`);
  let constant = 0;
  for (let i = 0; i < y.length; i++) constant += lchoose(trials[i], y[i]);
  const yT = row(y);
  const fT = row(Float64Array.from(y, (v, i) => trials[i] - v));
  return {
    constant,
    evaluate: (eta, logPhi) => {
      const phi = tf.exp((logPhi as FamilyColumns)[0]);
      const mu = tf.sigmoid(eta);
      const nu = tf.sigmoid(tf.neg(eta));
      const a = tf.mul(mu, phi);
      const b = tf.mul(nu, phi);
      const ya = tf.add(yT, a);
      const fb = tf.add(fT, b);
      const sa = tf.sub(digamma(ya), digamma(a));
      const sb = tf.sub(digamma(fb), digamma(b));
      const rows = tf.add(tf.sub(lgammaValue(ya), lgammaValue(a)), tf.sub(lgammaValue(fb), lgammaValue(b)));
      const g = tf.mul(tf.mul(tf.mul(phi, mu), nu), tf.sub(sa, sb));
      const gRowsAux = tf.add(tf.mul(a, sa), tf.mul(b, sb));
      return { rows, g, perChain: null, gRowsPar: [gRowsAux], gPerChainPar: null };
    },
  };
};
