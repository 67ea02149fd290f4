/** Gamma in tfjs ops (models/families/gamma.ts), log or inverse link: rows α·(−log μ − y/μ), constant −Σ log y. */
import { tf } from '../tfjs.js';
import type { Tensor } from '@tensorflow/tfjs';
import type { FamilyColumns, TfjsFamily } from './types.js';

export const gammaTfjs: TfjsFamily = (link, { y, row }) => {
  if (link !== 'log' && link !== 'inverse') throw new Error(`no likelihood for gamma/${link}`);
  let sumLogY = 0;
  for (let i = 0; i < y.length; i++) sumLogY += Math.log(y[i]);
  const yT = row(y);
  return {
    constant: -sumLogY,
    evaluate: (eta, logA) => {
      const alpha = tf.exp((logA as FamilyColumns)[0]);
      let h: Tensor;
      let dh: Tensor;
      if (link === 'log') {
        const yInvMu = tf.mul(yT, tf.exp(tf.neg(eta)));
        h = tf.neg(tf.add(eta, yInvMu));
        dh = tf.sub(yInvMu, 1);
      } else {
        h = tf.sub(tf.log(eta), tf.mul(yT, eta));
        dh = tf.sub(tf.reciprocal(eta), yT);
      }
      const rows = tf.mul(h, alpha);
      return { rows, g: tf.mul(dh, alpha), perChain: null, gRowsPar: [rows], gPerChainPar: null };
    },
  };
};
