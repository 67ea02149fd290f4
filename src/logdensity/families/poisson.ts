/** Poisson in tfjs ops (models/families/poisson.ts): rows y log μ − μ, constant −Σ lgamma(y + 1). */
import { tf } from '../tfjs.js';
import { lgamma } from '../../../base/gamma.js';
import { plain, TINY, type TfjsFamily } from './types.js';

export const poissonTfjs: TfjsFamily = (link, { y, row }) => {
  let constant = 0;
  for (let i = 0; i < y.length; i++) constant -= lgamma(y[i] + 1);
  if (link === 'log') {
    const yT = row(y);
    return {
      constant,
      evaluate: (eta) => {
        const e = tf.exp(eta);
        return plain(tf.sub(tf.mul(yT, eta), e), tf.sub(yT, e));
      },
    };
  }
  if (link === 'identity') {
    const yl = row(Float64Array.from(y, (v) => v + TINY));
    return { constant, evaluate: (eta) => plain(tf.sub(tf.mul(yl, tf.log(eta)), eta), tf.sub(tf.div(yl, eta), 1)) };
  }
  if (link === 'sqrt') {
    const y2 = row(Float64Array.from(y, (v) => 2 * v + TINY));
    return { constant, evaluate: (eta) => plain(tf.sub(tf.mul(y2, tf.log(eta)), tf.square(eta)), tf.sub(tf.div(y2, eta), tf.mul(eta, 2))) };
  }
  throw new Error(`no likelihood for poisson/${link}`);
};
