/**
 * Negative binomial NB2 in tfjs ops (models/families/negbinomial.ts), log link: rows
 * y η − (φ + y) log(φ + μ); constant −Σ lgamma(y + 1); the φ-only terms come from the float64 family.
 */
import { tf } from '../tfjs.js';
import type { Tensor } from '@tensorflow/tfjs';
import { lgamma } from '../../../base/gamma.js';
import type { FamilyColumns, TfjsFamily } from './types.js';

export const negbinomialTfjs: TfjsFamily = (link, { y, row }) => {
  if (link !== 'log') throw new Error(`no likelihood for negbinomial/${link}`);
  let constant = 0;
  for (let i = 0; i < y.length; i++) constant -= lgamma(y[i] + 1);
  const yT = row(y);
  return {
    constant,
    evaluate: (eta, logPhi) => {
      const phi = tf.exp((logPhi as FamilyColumns)[0]);
      const mu = tf.exp(eta);
      const s = tf.add(phi, mu);
      const phiY = tf.add(yT, phi);
      const ratio = tf.div(phiY, s);
      const logS = tf.log(s);
      const rows = tf.sub(tf.mul(yT, eta), tf.mul(phiY, logS));
      const g = tf.sub(yT, tf.mul(ratio, mu));
      const gRowsAux = tf.mul(tf.neg(tf.add(logS, ratio)), phi);
      return { rows, g, perChain: null, gRowsPar: [gRowsAux], gPerChainPar: null };
    },
  };
};
