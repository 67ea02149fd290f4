/** Lognormal in tfjs ops (models/families/lognormal.ts), identity link on log y: rows −(log y − μ)²/(2σ²), constant −Σ log y − n log √2π. */
import { tf } from '../tfjs.js';
import type { Tensor } from '@tensorflow/tfjs';
import { LOG_SQRT_2PI } from '../../../base/constants.js';
import type { FamilyColumns, TfjsFamily } from './types.js';

export const lognormalTfjs: TfjsFamily = (link, { y, row }) => {
  if (link !== 'identity') throw new Error(`no likelihood for lognormal/${link}`);
  const ly = Float64Array.from(y, Math.log);
  const lyT = row(ly);
  return {
    constant: -ly.reduce((a, b) => a + b, 0) - y.length * LOG_SQRT_2PI,
    evaluate: (eta, logSigma) => {
      const prec = tf.exp(tf.mul((logSigma as FamilyColumns)[0], -2));
      const r = tf.sub(lyT, eta);
      const r2p = tf.mul(tf.square(r), prec);
      return { rows: tf.mul(r2p, -0.5), g: tf.mul(r, prec), perChain: null, gRowsPar: [r2p], gPerChainPar: null };
    },
  };
};
