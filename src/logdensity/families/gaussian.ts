/** Gaussian in tfjs ops (models/families/gaussian.ts), identity or log link: rows −(y − μ)²/(2σ²), constant −n log √2π. */
import { tf } from '../tfjs.js';
import type { Tensor } from '@tensorflow/tfjs';
import { LOG_SQRT_2PI } from '../../../base/constants.js';
import type { FamilyColumns, TfjsFamily } from './types.js';

export const gaussianTfjs: TfjsFamily = (link, { y, row }) => {
  if (link !== 'identity' && link !== 'log') throw new Error(`no likelihood for gaussian/${link}`);
  const yT = row(y);
  return {
    constant: -y.length * LOG_SQRT_2PI,
    evaluate: (eta, logSigma) => {
      const a = (logSigma as FamilyColumns)[0];
      const mu = link === 'log' ? tf.exp(eta) : eta;
      const prec = tf.exp(tf.mul(a, -2));
      const r = tf.sub(yT, mu);
      const r2p = tf.mul(tf.square(r), prec);
      const rp = tf.mul(r, prec);
      return { rows: tf.mul(r2p, -0.5), g: link === 'log' ? tf.mul(rp, mu) : rp, perChain: null, gRowsPar: [r2p], gPerChainPar: null };
    },
  };
};
