/**
 * The cumulative (ordinal) family in tfjs ops (models/families/cumulative.ts): rows log P(y_i | η, θ) =
 * log(F(hi) − F(lo)), hi = θ_{y} − η, lo = θ_{y−1} − η, in log space and through the upper tails when
 * lo > 0 (1 − F(x) = F(−x)); θ from the family coordinates u by the ordered transform (θ_1 = u_1,
 * θ_k = θ_{k−1} + e^{u_k}), picked per row by its category's indicator rows. Analytic ∂/∂η = a_l − a_h
 * and ∂/∂u_k = c_k (a_h [k ≤ y] − a_l [k ≤ y − 1]) with a = f/P, c_1 = 1, c_k = e^{u_k}. No constant.
 */
import { tf } from '../tfjs.js';
import type { Tensor } from '@tensorflow/tfjs';
import { LOG_SQRT_2PI } from '../../../base/constants.js';
import { logNormCdfValue } from '../ops.js';
import type { FamilyColumns, TfjsFamily } from './types.js';

/** log F and log f of the latent distribution, as tensors. */
function latent(link: string): { logF: (x: Tensor) => Tensor; logf: (x: Tensor) => Tensor } {
  if (link === 'logit') return { logF: (x) => tf.neg(tf.softplus(tf.neg(x))), logf: (x) => tf.neg(tf.add(tf.softplus(tf.neg(x)), tf.softplus(x))) };
  if (link === 'probit') return { logF: logNormCdfValue, logf: (x) => tf.sub(tf.mul(tf.square(x), -0.5), LOG_SQRT_2PI) };
  throw new Error(`no likelihood for cumulative/${link}`);
}

/** log(eᵃ − eᵇ), a ≥ b: a + log1mExp(a − b), Mächler's switch at log 2. */
function logDiffExp(a: Tensor, b: Tensor): Tensor {
  const d = tf.maximum(tf.sub(a, b), 1e-30);
  const near = tf.log(tf.neg(tf.expm1(tf.neg(d))));
  const far = tf.log1p(tf.neg(tf.exp(tf.neg(d))));
  return tf.add(a, tf.where(tf.less(d, Math.LN2), near, far));
}

/** An absent end (θ_0 = −∞, θ_K = +∞): F(±BIG) is 1 or 0 exactly in float32 and its density 0. */
const BIG = 1e4;

/** Σ_k θ[:, k] · sel_k: each row's threshold picked by its category. */
function pick(theta: Tensor, sel: readonly Tensor[]): Tensor {
  let v: Tensor = tf.mul(tf.slice(theta, [0, 0], [-1, 1]), sel[0]);
  for (let k = 1; k < sel.length; k++) v = tf.add(v, tf.mul(tf.slice(theta, [0, k], [-1, 1]), sel[k]));
  return v;
}

export const cumulativeTfjs: TfjsFamily = (link, { y, row }) => {
  const F = latent(link);
  const n = y.length;
  const m = y.reduce((a, v) => Math.max(a, v), 0) - 1;
  // selectors: θ_y (hi; none for y = K) and θ_{y−1} (lo; none for y = 1) as Σ_k θ_k [y = k]
  const selHi = Array.from({ length: m }, (_, k) => row(Float64Array.from(y, (v) => (v === k + 1 ? 1 : 0))));
  const selLo = Array.from({ length: m }, (_, k) => row(Float64Array.from(y, (v) => (v === k + 2 ? 1 : 0))));
  const hasHi = row(Float64Array.from(y, (v) => (v <= m ? 1 : 0)));
  const hasLo = row(Float64Array.from(y, (v) => (v >= 2 ? 1 : 0)));
  const noHi = row(Float64Array.from(y, (v) => (v <= m ? 0 : BIG)));
  const noLo = row(Float64Array.from(y, (v) => (v >= 2 ? 0 : -BIG)));
  // masks for ∂/∂u_k (k = 1..m): [k ≤ y] and [k ≤ y − 1]
  const mh = Array.from({ length: m }, (_, k) => row(Float64Array.from(y, (v) => (k + 1 <= v ? 1 : 0))));
  const ml = Array.from({ length: m }, (_, k) => row(Float64Array.from(y, (v) => (k + 1 <= v - 1 ? 1 : 0))));
  return {
    constant: 0,
    evaluate: (eta, u) => {
      const uu = u as FamilyColumns;
      const first = uu[0];
      const steps = m > 1 ? tf.exp(m > 2 ? tf.concat(uu.slice(1), 1) : uu[1]) : null;
      const theta = steps ? tf.cumsum(tf.concat([first, steps], 1), 1) : first;
      const hi = tf.sub(tf.add(pick(theta, selHi), noHi), eta);
      const lo = tf.sub(tf.add(pick(theta, selLo), noLo), eta);
      const upper = tf.greater(lo, 0);
      const lp = tf.where(upper, logDiffExp(F.logF(tf.neg(lo)), F.logF(tf.neg(hi))), logDiffExp(F.logF(hi), F.logF(lo)));
      const ah = tf.mul(hasHi, tf.exp(tf.sub(F.logf(hi), lp)));
      const al = tf.mul(hasLo, tf.exp(tf.sub(F.logf(lo), lp)));
      const gRowsPar = Array.from({ length: m }, (_, k) => {
        const s = tf.sub(tf.mul(ah, mh[k]), tf.mul(al, ml[k]));
        return k === 0 ? s : tf.mul(s, tf.exp(uu[k]));
      });
      return { rows: lp, g: tf.sub(al, ah), perChain: null, gRowsPar, gPerChainPar: null };
    },
  };
};
