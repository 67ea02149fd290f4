/**
 * The per-row log-likelihood of every family × link on the linear predictor η [C, n] (float32 tfjs),
 * on the η scale in stable forms, together with its analytic derivatives: g = ∂ℓ_i/∂η_i and, for
 * families with shape/sigma, ∂/∂log(aux). Values split into parameter-dependent rows, a per-chain
 * term and a float64 constant, so that
 * Σ_i family.logLik(y_i, linkinv(η_i), aux, trials_i) = Σ rows + perChain + auxOnly(log aux) + constant,
 * where auxOnly (terms of the aux parameter alone) is evaluated in float64 on the JS side.
 * Derivatives computed here in the forward pass are the vector-Jacobian product of the fused density
 * block (blocks.ts densityOp), so tfjs's tape records no op of the likelihood.
 */
import { tf } from './tfjs.js';
import type { Tensor } from '@tensorflow/tfjs';
import type { FamilyName, LinkName } from '../../models/families/types.js';
import { digamma as digamma64, lchoose, lgamma as lgamma64 } from '../../base/gamma.js';
import { LOG_SQRT_2PI } from '../../base/constants.js';
import { logNormCdfValue } from './ops.js';

/** Values and derivatives of the log-likelihood at η [C, n] and log aux [C, 1]. */
export interface LikelihoodEval {
  readonly rows: Tensor;
  readonly perChain: Tensor | null;
  /** ∂rows/∂η, [C, n]. */
  readonly g: Tensor;
  /** ∂rows/∂log aux per row [C, n] and ∂perChain/∂log aux [C, 1] (null without aux). */
  readonly gRowsAux: Tensor | null;
  readonly gPerChainAux: Tensor | null;
}

/** A compiled likelihood: evaluate(η, log aux) plus the float64 constant. */
export interface CompiledLikelihood {
  readonly evaluate: (eta: Tensor, logAux: Tensor | null) => LikelihoodEval;
  readonly constant: number;
  /** Whether evaluate returns a tfjs perChain term. */
  readonly hasPerChain: boolean;
  /** The terms that depend on the aux parameter only, in float64 on the JS side: log aux → [value, ∂/∂log aux]. */
  readonly auxOnly: ((logAux: number) => [number, number]) | null;
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
  let evaluate: CompiledLikelihood['evaluate'];
  let auxOnly: CompiledLikelihood['auxOnly'] = null;
  let hasPerChain = false;
  const key = `${family}/${link}`;
  const plain = (rows: Tensor, g: Tensor): LikelihoodEval => ({ rows, g, perChain: null, gRowsAux: null, gPerChainAux: null });
  if (family === 'poisson') {
    for (let i = 0; i < n; i++) constant -= lgamma64(y[i] + 1);
    const yT = row(y);
    if (link === 'log') {
      evaluate = (eta) => {
        const e = tf.exp(eta);
        return plain(tf.sub(tf.mul(yT, eta), e), tf.sub(yT, e));
      };
    } else if (link === 'identity') {
      const yl = row(Float64Array.from(y, (v) => v + TINY));
      evaluate = (eta) => plain(tf.sub(tf.mul(yl, tf.log(eta)), eta), tf.sub(tf.div(yl, eta), 1));
    } else if (link === 'sqrt') {
      const y2 = row(Float64Array.from(y, (v) => 2 * v + TINY));
      evaluate = (eta) => plain(tf.sub(tf.mul(y2, tf.log(eta)), tf.square(eta)), tf.sub(tf.div(y2, eta), tf.mul(eta, 2)));
    } else throw new Error(`no likelihood for ${key}`);
  } else if (family === 'binomial' || family === 'bernoulli') {
    for (let i = 0; i < n; i++) constant += lchoose(nT[i], y[i]);
    const yT = row(y);
    const nyT = row(Float64Array.from(y, (v, i) => nT[i] - v));
    if (link === 'logit') {
      const tT = row(nT);
      evaluate = (eta) => plain(tf.sub(tf.mul(yT, eta), tf.mul(tT, tf.softplus(eta))), tf.sub(yT, tf.mul(tT, tf.sigmoid(eta))));
    } else if (link === 'probit') {
      // g = y·φ(η)/Φ(η) − (n − y)·φ(η)/Φ(−η)
      evaluate = (eta) => {
        const lp = logNormCdfValue(eta);
        const lq = logNormCdfValue(tf.neg(eta));
        const lphi = tf.sub(tf.mul(tf.square(eta), -0.5), LOG_SQRT_2PI);
        const g = tf.sub(tf.mul(yT, tf.exp(tf.sub(lphi, lp))), tf.mul(nyT, tf.exp(tf.sub(lphi, lq))));
        return plain(tf.add(tf.mul(yT, lp), tf.mul(nyT, lq)), g);
      };
    } else if (link === 'cloglog') {
      // μ = 1 − exp(−e^η): log μ = log(−expm1(−e^η)), log(1 − μ) = −e^η; g = y e/expm1(e) − (n − y) e
      evaluate = (eta) => {
        const e = tf.exp(eta);
        const rows = tf.sub(tf.mul(yT, tf.log(tf.neg(tf.expm1(tf.neg(e))))), tf.mul(nyT, e));
        return plain(rows, tf.mul(e, tf.sub(tf.div(yT, tf.expm1(e)), nyT)));
      };
    } else throw new Error(`no likelihood for ${key}`);
  } else if (family === 'negbinomial') {
    if (link !== 'log') throw new Error(`no likelihood for ${key}`);
    for (let i = 0; i < n; i++) constant -= lgamma64(y[i] + 1);
    const yT = row(y);
    // rows: −(φ + y) log(φ + μ) + y η; aux only (float64, JS): n(φ log φ − lgamma φ) + Σ_i lgamma(y_i + φ),
    // the last over the distinct y values u with counts c_u (few for count data)
    const counts = new Map<number, number>();
    for (let i = 0; i < n; i++) counts.set(y[i], (counts.get(y[i]) ?? 0) + 1);
    const uniq = Float64Array.from(counts.keys());
    const cnt = Float64Array.from(uniq, (u) => counts.get(u) as number);
    evaluate = (eta, logPhi) => {
      const phi = tf.exp(logPhi as Tensor);
      const mu = tf.exp(eta);
      const s = tf.add(phi, mu);
      const phiY = tf.add(yT, phi);
      const ratio = tf.div(phiY, s);
      const logS = tf.log(s);
      const rows = tf.sub(tf.mul(yT, eta), tf.mul(phiY, logS));
      const g = tf.sub(yT, tf.mul(ratio, mu));
      const gRowsAux = tf.mul(tf.neg(tf.add(logS, ratio)), phi);
      return { rows, g, perChain: null, gRowsAux, gPerChainAux: null };
    };
    auxOnly = (a) => {
      const phi = Math.exp(a);
      let v = n * (phi * a - lgamma64(phi));
      let d = n * (a + 1 - digamma64(phi));
      for (let j = 0; j < uniq.length; j++) {
        v += cnt[j] * lgamma64(uniq[j] + phi);
        d += cnt[j] * digamma64(uniq[j] + phi);
      }
      return [v, d * phi];
    };
  } else if (family === 'gaussian') {
    if (link !== 'identity' && link !== 'log') throw new Error(`no likelihood for ${key}`);
    constant -= n * LOG_SQRT_2PI;
    const yT = row(y);
    evaluate = (eta, logSigma) => {
      const a = logSigma as Tensor;
      const mu = link === 'log' ? tf.exp(eta) : eta;
      const prec = tf.exp(tf.mul(a, -2));
      const r = tf.sub(yT, mu);
      const r2p = tf.mul(tf.square(r), prec);
      const rp = tf.mul(r, prec);
      return { rows: tf.mul(r2p, -0.5), g: link === 'log' ? tf.mul(rp, mu) : rp, perChain: null, gRowsAux: r2p, gPerChainAux: null };
    };
    auxOnly = (a) => [-n * a, -n];
  } else if (family === 'gamma') {
    if (link !== 'log' && link !== 'inverse') throw new Error(`no likelihood for ${key}`);
    let sumLogY = 0;
    for (let i = 0; i < n; i++) sumLogY += Math.log(y[i]);
    constant -= sumLogY;
    const yT = row(y);
    // rows: α·h with h = −log μ − y/μ; aux only (float64, JS): n(α log α − lgamma α) + α Σ log y
    evaluate = (eta, logA) => {
      const la = logA as Tensor;
      const alpha = tf.exp(la);
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
      return { rows, g: tf.mul(dh, alpha), perChain: null, gRowsAux: rows, gPerChainAux: null };
    };
    auxOnly = (a) => {
      const alpha = Math.exp(a);
      return [n * (alpha * a - lgamma64(alpha)) + alpha * sumLogY, alpha * (n * (a + 1 - digamma64(alpha)) + sumLogY)];
    };
  } else throw new Error(`no likelihood for ${key}`);
  return { evaluate, constant, hasPerChain, auxOnly, dispose: () => tf.dispose(kept) };
}
