/** Binomial and Bernoulli in tfjs ops (models/families/binomial.ts): rows y log μ + (n − y) log(1 − μ), constant Σ lchoose(n, y). */
import { tf } from '../tfjs.js';
import { lchoose } from '../../../base/gamma.js';
import { LOG_SQRT_2PI } from '../../../base/constants.js';
import { logNormCdfValue } from '../ops.js';
import { plain, type TfjsFamily } from './types.js';

export const binomialTfjs: TfjsFamily = (link, { y, trials: nT, row }) => {
  let constant = 0;
  for (let i = 0; i < y.length; i++) constant += lchoose(nT[i], y[i]);
  const yT = row(y);
  const nyT = row(Float64Array.from(y, (v, i) => nT[i] - v));
  if (link === 'logit') {
    const tT = row(nT);
    return { constant, evaluate: (eta) => plain(tf.sub(tf.mul(yT, eta), tf.mul(tT, tf.softplus(eta))), tf.sub(yT, tf.mul(tT, tf.sigmoid(eta)))) };
  }
  if (link === 'probit') {
    // g = y·φ(η)/Φ(η) − (n − y)·φ(η)/Φ(−η)
    return {
      constant,
      evaluate: (eta) => {
        const lp = logNormCdfValue(eta);
        const lq = logNormCdfValue(tf.neg(eta));
        const lphi = tf.sub(tf.mul(tf.square(eta), -0.5), LOG_SQRT_2PI);
        const g = tf.sub(tf.mul(yT, tf.exp(tf.sub(lphi, lp))), tf.mul(nyT, tf.exp(tf.sub(lphi, lq))));
        return plain(tf.add(tf.mul(yT, lp), tf.mul(nyT, lq)), g);
      },
    };
  }
  if (link === 'cloglog') {
    // μ = 1 − exp(−e^η): log μ = log(−expm1(−e^η)), log(1 − μ) = −e^η; g = y e/expm1(e) − (n − y) e
    return {
      constant,
      evaluate: (eta) => {
        const e = tf.exp(eta);
        const rows = tf.sub(tf.mul(yT, tf.log(tf.neg(tf.expm1(tf.neg(e))))), tf.mul(nyT, e));
        return plain(rows, tf.mul(e, tf.sub(tf.div(yT, tf.expm1(e)), nyT)));
      },
    };
  }
  throw new Error(`no likelihood for binomial/${link}`);
};
