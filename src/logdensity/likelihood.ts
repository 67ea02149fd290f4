/**
 * The per-row log-likelihood of every family × link on the linear predictor η [C, n] (float32 tfjs),
 * written on the η scale in stable forms, split into parameter-dependent rows, a per-chain term
 * (aux-only parts) and a float64 constant (the rest), so that
 * Σ_i family.logLik(y_i, linkinv(η_i), aux, trials_i) = Σ rows + perChain + constant.
 */
import { tf } from './tfjs.js';
import type { Tensor } from '@tensorflow/tfjs';
import type { FamilyName, LinkName } from '../../models/families/types.js';
import { lchoose, lgamma as lgamma64, LOG_SQRT_TWO_PI } from '../../models/special.js';
import { lgamma, logNormCdf } from './ops.js';

/** A compiled likelihood: rows(η, log aux) → { rows [C, n], perChain [C, 1] | null }. */
export interface CompiledLikelihood {
  readonly rows: (eta: Tensor, logAux: Tensor | null) => { rows: Tensor; perChain: Tensor | null };
  readonly constant: number;
  readonly dispose: () => void;
}

/** Tiny weight that turns 0·log(η) into NaN for η < 0 (so μ ≤ 0 gives −∞ for y = 0 rows too). */
const TINY = 1e-30;

/** Builds the likelihood of `family`/`link` for responses y (and binomial trials). */
export function buildLikelihood(family: FamilyName, link: LinkName, y: Float64Array, trials: Float64Array | null): CompiledLikelihood {
  const n = y.length;
  const kept: Tensor[] = [];
  const row = (v: ArrayLike<number>): Tensor => {
    const t = tf.tensor2d(Float32Array.from(v), [1, n]);
    kept.push(t);
    return t;
  };
  const nT = trials ?? new Float64Array(n).fill(1);
  let constant = 0;
  let rows: CompiledLikelihood['rows'];
  const key = `${family}/${link}`;
  if (family === 'poisson') {
    for (let i = 0; i < n; i++) constant -= lgamma64(y[i] + 1);
    const yT = row(y);
    if (link === 'log') rows = (eta) => ({ rows: tf.sub(tf.mul(yT, eta), tf.exp(eta)), perChain: null });
    else if (link === 'identity') {
      const yl = row(Float64Array.from(y, (v) => v + TINY));
      rows = (eta) => ({ rows: tf.sub(tf.mul(yl, tf.log(eta)), eta), perChain: null });
    } else if (link === 'sqrt') {
      const y2 = row(Float64Array.from(y, (v) => 2 * v + TINY));
      rows = (eta) => ({ rows: tf.sub(tf.mul(y2, tf.log(eta)), tf.square(eta)), perChain: null });
    } else throw new Error(`no likelihood for ${key}`);
  } else if (family === 'binomial' || family === 'bernoulli') {
    for (let i = 0; i < n; i++) constant += lchoose(nT[i], y[i]);
    const yT = row(y);
    const nyT = row(Float64Array.from(y, (v, i) => nT[i] - v));
    if (link === 'logit') {
      const tT = row(nT);
      rows = (eta) => ({ rows: tf.sub(tf.mul(yT, eta), tf.mul(tT, tf.softplus(eta))), perChain: null });
    } else if (link === 'probit') {
      rows = (eta) => ({ rows: tf.add(tf.mul(yT, logNormCdf(eta)), tf.mul(nyT, logNormCdf(tf.neg(eta)))), perChain: null });
    } else if (link === 'cloglog') {
      // μ = 1 − exp(−e^η): log μ = log(−expm1(−e^η)), log(1 − μ) = −e^η
      rows = (eta) => {
        const e = tf.exp(eta);
        return { rows: tf.sub(tf.mul(yT, tf.log(tf.neg(tf.expm1(tf.neg(e))))), tf.mul(nyT, e)), perChain: null };
      };
    } else throw new Error(`no likelihood for ${key}`);
  } else if (family === 'negbinomial') {
    if (link !== 'log') throw new Error(`no likelihood for ${key}`);
    for (let i = 0; i < n; i++) constant -= lgamma64(y[i] + 1);
    const yT = row(y);
    // lgamma(y+φ) − lgamma(φ) + φ log φ − (φ + y) log(φ + μ) + y η
    rows = (eta, logPhi) => {
      const phi = tf.exp(logPhi as Tensor);
      const phiY = tf.add(yT, phi);
      const r = tf.add(tf.sub(lgamma(phiY), tf.mul(phiY, tf.log(tf.add(phi, tf.exp(eta))))), tf.mul(yT, eta));
      const perChain = tf.mul(tf.sub(tf.mul(phi, logPhi as Tensor), lgamma(phi)), n);
      return { rows: r, perChain };
    };
  } else if (family === 'gaussian') {
    constant -= n * LOG_SQRT_TWO_PI;
    const yT = row(y);
    rows = (eta, logSigma) => {
      const mu = link === 'log' ? tf.exp(eta) : eta;
      const prec = tf.exp(tf.mul(logSigma as Tensor, -2));
      return { rows: tf.mul(tf.squaredDifference(yT, mu), tf.mul(prec, -0.5)), perChain: tf.mul(logSigma as Tensor, -n) };
    };
    if (link !== 'identity' && link !== 'log') throw new Error(`no likelihood for ${key}`);
  } else if (family === 'gamma') {
    let sumLogY = 0;
    for (let i = 0; i < n; i++) sumLogY += Math.log(y[i]);
    constant -= sumLogY;
    const yT = row(y);
    // α log α − lgamma α − α log μ + (α − 1) log y − α y/μ
    rows = (eta, logA) => {
      const a = tf.exp(logA as Tensor);
      const r = link === 'log'
        ? tf.neg(tf.add(eta, tf.mul(yT, tf.exp(tf.neg(eta)))))
        : tf.sub(tf.log(eta), tf.mul(yT, eta));
      const perChain = tf.add(tf.mul(tf.sub(tf.mul(a, logA as Tensor), lgamma(a)), n), tf.mul(a, sumLogY));
      return { rows: tf.mul(r, a), perChain };
    };
    if (link !== 'log' && link !== 'inverse') throw new Error(`no likelihood for ${key}`);
  } else throw new Error(`no likelihood for ${key}`);
  return { rows, constant, dispose: () => tf.dispose(kept) };
}
