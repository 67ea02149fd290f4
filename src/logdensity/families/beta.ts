/**
 * Beta in tfjs ops (models/families/beta.ts), logit link: rows −lgamma(μφ) − lgamma((1 − μ)φ)
 * + μφ log y + (1 − μ)φ log(1 − y); constant −Σ log y(1 − y); the φ-only n·lgamma(φ) from the float64 family.
 */
import { tf } from '../tfjs.js';
import type { Tensor } from '@tensorflow/tfjs';
import { digamma, lgammaValue } from '../ops.js';
import type { FamilyColumns, TfjsFamily } from './types.js';

export const betaTfjs: TfjsFamily = (link, { y, row }) => {
  if (link !== 'logit') throw new Error(`no likelihood for beta/${link}`);
  const ly = Float64Array.from(y, Math.log);
  const l1y = Float64Array.from(y, (v) => Math.log1p(-v));
  const lyT = row(ly);
  const l1yT = row(l1y);
  const logitY = row(Float64Array.from(y, (_, i) => ly[i] - l1y[i]));
  let constant = 0;
  for (let i = 0; i < y.length; i++) constant -= ly[i] + l1y[i];
  return {
    constant,
    evaluate: (eta, logPhi) => {
      const phi = tf.exp((logPhi as FamilyColumns)[0]);
      const mu = tf.sigmoid(eta);
      const nu = tf.sigmoid(tf.neg(eta));
      const a = tf.mul(mu, phi);
      const b = tf.mul(nu, phi);
      const da = digamma(a);
      const db = digamma(b);
      const rows = tf.add(tf.neg(tf.add(lgammaValue(a), lgammaValue(b))), tf.add(tf.mul(a, lyT), tf.mul(b, l1yT)));
      const g = tf.mul(tf.mul(tf.mul(phi, mu), nu), tf.add(tf.sub(db, da), logitY));
      const gRowsAux = tf.add(tf.mul(a, tf.sub(lyT, da)), tf.mul(b, tf.sub(l1yT, db)));
      return { rows, g, perChain: null, gRowsPar: [gRowsAux], gPerChainPar: null };
    },
  };
};
