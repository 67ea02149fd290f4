/**
 * The two bodies of the batched log density (q [C, dim] → [C, values + dim]) over the constant
 * tensors that src/model/compile.ts prepares once:
 * - `manualBody`: forward pass and hand-derived reverse pass in plain tfjs ops, no tape (tfjs's tape
 *   clones every saved input: an Identity kernel per op). Used unless a correlated (or k > 1) term is
 *   centred; ~35 kernels per call for the RCBD model instead of ~95.
 * - `buildAutogradBody`: the general case by tf.valueAndGrad, with the likelihood and the gathers as
 *   custom-gradient ops.
 * Both return the value columns (per-row terms and one extra column, or one total column) followed
 * by the gradient, so one dataSync brings everything back.
 * Every product with a transposed constant uses a stored transpose: tfjs-wasm's matMul with
 * transposeB is 10–15× slower than the plain product ([1024, 48]·[70, 48]ᵀ 5 ms against 0.5 ms).
 */
import { tf } from './tfjs.js';
import type { Tensor } from '@tensorflow/tfjs';
import type { CompiledLikelihood } from './likelihood.js';
import { likelihoodOp } from './likelihood.js';
import { correlatedTerm, type CorrelatedLayout } from './correlated.js';

/** A term as the bodies see it. */
export interface PreparedTerm extends CorrelatedLayout {
  readonly correlated: boolean;
  /** Gather path: x[:, index·k + a] with a segment-sum gradient, and Z [1, n, k]; null on the dense path. */
  readonly gather: ((x: Tensor) => Tensor) | null;
  readonly segmentSum: ((dy: Tensor) => Tensor) | null;
  readonly Z: Tensor | null;
  /** Dense path, correlated term: [nLevels·k, n] one-hot·Z, and its transpose [n, nLevels·k]. */
  readonly corrM: Tensor | null;
  readonly corrMT: Tensor | null;
}

/** Constant tensors and sizes of one compiled density. */
export interface Prepared {
  readonly dim: number;
  readonly p: number;
  readonly n: number;
  readonly nSd: number;
  readonly nPos: number;
  /** First coordinate of the contiguous sd/aux block, or −1 (then posSel selects them). */
  readonly posStart: number;
  readonly posSel: Tensor | null;
  readonly posSelT: Tensor | null;
  readonly hasAux: boolean;
  readonly base: Tensor;
  readonly E: Tensor | null;
  readonly ET: Tensor | null;
  readonly denseM: Tensor | null;
  readonly denseMT: Tensor | null;
  readonly Xt: Tensor | null;
  /** X [n, p] (= Xtᵀ), gather path. */
  readonly X: Tensor | null;
  readonly offset: Tensor | null;
  readonly terms: readonly PreparedTerm[];
  /** Normal priors: Σ (q − m)²·w; w2 = 2w as a row. */
  readonly wq: Tensor;
  readonly w2: Tensor;
  readonly mq: Tensor | null;
  /** Student-t/Cauchy priors on β: A log1p(B (x − m)²). */
  readonly t: { sel: Tensor; selT: Tensor; m: Tensor; B: Tensor; A: Tensor; A2B: Tensor } | null;
  /** Priors on sd/aux x = e^u: A log1p(B (x−m)²) + Q (x−m)² + D x + (E+1) u. */
  readonly pos: { m: Tensor | null; B: Tensor | null; hasA: boolean; hasQ: boolean; hasD: boolean; coef: Tensor; A2B: Tensor | null; Q2: Tensor | null; D: Tensor | null; E1: Tensor } | null;
  readonly likelihood: CompiledLikelihood;
  readonly rowSumInJs: boolean;
}

function posValues(P: Prepared, x: Tensor, u: Tensor) {
  const pos = P.pos!;
  const d = pos.m ? tf.sub(x, pos.m) : x;
  const parts: Tensor[] = [];
  const d2 = pos.hasA || pos.hasQ ? tf.square(d) : null;
  const bd2 = pos.hasA ? tf.mul(d2 as Tensor, pos.B as Tensor) : null;
  if (pos.hasA) parts.push(tf.log1p(bd2 as Tensor));
  if (pos.hasQ) parts.push(d2 as Tensor);
  if (pos.hasD) parts.push(x);
  parts.push(u);
  return { value: tf.matMul(parts.length > 1 ? tf.concat(parts, 1) : parts[0], pos.coef), d, bd2 };
}

/**
 * The manual forward + reverse pass (no tape). Requires every term non-centred. For a correlated term
 * the caller passes A_t = diag(sd)·L [C, K, K] and its transpose (computed in float64 JS from q) and receives
 * ∂logp/∂A_t [C, K·K] as extra output columns after the gradient; the caller chain-rules it to the
 * sd and cholesky_corr coordinates (and adds the LKJ and Jacobian terms) in float64.
 * A centred scalar term (r_j ~ N(0, sd²)) takes −1/sd² per chain from the caller (`centred.negPrec`
 * [C, #centred]) and returns Σ_j r_j² as a last output column; the caller adds −½ Σr²/sd² − J log sd
 * and its sd-derivative in float64, this body the r-gradient −r/sd².
 */
export function manualBody(P: Prepared, q: Tensor, A: readonly ({ A: Tensor; At: Tensor } | null)[], centred?: { terms: readonly number[]; negPrec: Tensor }): Tensor {
  const C = q.shape[0] as number;
  const { dim, p, nPos, nSd } = P;
  let u: Tensor | null = null;
  let x: Tensor | null = null;
  let sdv: Tensor | null = null;
  let la: Tensor | null = null;
  if (nPos) {
    u = P.posSel ? tf.matMul(q, P.posSel) : tf.slice(q, [0, P.posStart], [C, nPos]);
    x = tf.exp(u);
    if (nSd) sdv = nSd === nPos ? x : tf.slice(x, [0, 0], [C, nSd]);
    if (P.hasAux) la = tf.slice(u, [0, nPos - 1], [C, 1]);
  }
  const scale = P.E && sdv ? tf.add(tf.matMul(sdv, P.E), P.base) : P.base;
  const v = tf.mul(q, scale);
  let eta: Tensor;
  if (P.denseM) eta = tf.matMul(v, P.denseM);
  else {
    eta = tf.matMul(tf.slice(v, [0, 0], [C, p]), P.Xt as Tensor);
  }
  // correlated terms: r = z·Aᵀ per level
  const z3s: (Tensor | null)[] = P.terms.map((t, ti) => (A[ti] ? tf.reshape(tf.slice(q, [0, t.zOffset], [C, t.nLevels * t.k]), [C, t.nLevels, t.k]) : null));
  P.terms.forEach((t, ti) => {
    const at = A[ti];
    const r = at ? tf.reshape(tf.matMul(z3s[ti] as Tensor, at.At), [C, t.nLevels * t.k]) : null;
    if (P.denseM) {
      if (r) eta = tf.add(eta, tf.matMul(r, t.corrM as Tensor));
      return;
    }
    const g = (t.gather as (x: Tensor) => Tensor)(r ?? tf.slice(v, [0, t.zOffset], [C, t.nLevels * t.k]));
    eta = tf.add(eta, t.k === 1 ? tf.mul(g, tf.reshape(t.Z as Tensor, [1, P.n])) : tf.sum(tf.mul(tf.reshape(g, [C, P.n, t.k]), t.Z as Tensor), 2));
  });
  if (P.offset) eta = tf.add(eta, P.offset);
  const ev = P.likelihood.evaluate(eta, la);
  // values
  const extras: Tensor[] = [];
  const qm = P.mq ? tf.sub(q, P.mq) : q;
  extras.push(tf.matMul(tf.square(qm), P.wq));
  let td: Tensor | null = null;
  let tbd2: Tensor | null = null;
  if (P.t) {
    td = tf.sub(tf.matMul(q, P.t.sel), P.t.m);
    tbd2 = tf.mul(tf.square(td), P.t.B);
    extras.push(tf.matMul(tf.log1p(tbd2), P.t.A));
  }
  let pv: ReturnType<typeof posValues> | null = null;
  if (nPos) {
    pv = posValues(P, x as Tensor, u as Tensor);
    extras.push(pv.value);
  }
  if (ev.perChain) extras.push(ev.perChain);
  if (!P.rowSumInJs) extras.push(tf.sum(ev.rows, 1, true));
  const extra = extras.length > 1 ? tf.addN(extras) : extras[0];
  // reverse pass: ∂/∂v through η, then v = q ⊙ scale
  // dr: ∂logp/∂(effects of each term) [C, nLevels·k]; dv: the same for v = q ⊙ scale (dense path)
  let dv: Tensor;
  const dA: Tensor[] = [];
  const grads: Tensor[] = [tf.mul(qm, P.w2)];
  const corrGrad = (t: PreparedTerm, ti: number, dr: Tensor): void => {
    const dr3 = tf.reshape(dr, [C, t.nLevels, t.k]);
    dA.push(tf.reshape(tf.matMul(dr3, z3s[ti] as Tensor, true, false), [C, t.k * t.k]));
    const dz = tf.reshape(tf.matMul(dr3, (A[ti] as { A: Tensor }).A), [C, t.nLevels * t.k]);
    grads.push(tf.pad(dz, [[0, 0], [t.zOffset, dim - t.zOffset - t.nLevels * t.k]]));
  };
  if (P.denseM) {
    dv = tf.matMul(ev.g, P.denseMT as Tensor);
    P.terms.forEach((t, ti) => {
      if (A[ti]) corrGrad(t, ti, tf.matMul(ev.g, t.corrMT as Tensor));
    });
  } else {
    const pieces: Tensor[] = [tf.matMul(ev.g, P.X as Tensor)];
    const gap = (P.terms.length ? P.terms[0].zOffset : dim) - p; // sd, cor, aux coordinates
    if (gap > 0) pieces.push(tf.zeros([C, gap]));
    P.terms.forEach((t, ti) => {
      const gz = t.k === 1 ? tf.mul(ev.g, tf.reshape(t.Z as Tensor, [1, P.n])) : tf.reshape(tf.mul(tf.reshape(ev.g, [C, P.n, 1]), t.Z as Tensor), [C, P.n * t.k]);
      const dr = (t.segmentSum as (dy: Tensor) => Tensor)(gz);
      if (A[ti]) {
        corrGrad(t, ti, dr);
        pieces.push(tf.zeros([C, t.nLevels * t.k]));
      } else pieces.push(dr);
    });
    dv = tf.concat(pieces, 1);
  }
  grads.push(tf.mul(dv, scale));
  if (P.t && td && tbd2) grads.push(tf.matMul(tf.mul(tf.div(td, tf.add(tbd2, 1)), P.t.A2B), P.t.selT));
  if (nPos && pv) {
    const pos = P.pos!;
    const du: Tensor[] = [pos.E1];
    const dx = pos.hasA || pos.hasQ ? tf.mul(pv.d, x as Tensor) : null;
    if (pos.hasA) du.push(tf.mul(tf.div(dx as Tensor, tf.add(pv.bd2 as Tensor, 1)), pos.A2B as Tensor));
    if (pos.hasQ) du.push(tf.mul(dx as Tensor, pos.Q2 as Tensor));
    if (pos.hasD) du.push(tf.mul(x as Tensor, pos.D as Tensor));
    const lik: Tensor[] = [];
    // ∂/∂u of the effects of uncorrelated terms (correlated ones are chain-ruled by the caller from ∂A)
    if (nSd) lik.push(P.E ? tf.mul(tf.matMul(tf.mul(dv, q), P.ET as Tensor), sdv as Tensor) : tf.zerosLike(sdv as Tensor));
    if (P.hasAux) {
      const gr = tf.sum(ev.gRowsAux as Tensor, 1, true);
      lik.push(ev.gPerChainAux ? tf.add(gr, ev.gPerChainAux) : gr);
    }
    du.push(lik.length > 1 ? tf.concat(lik, 1) : lik[0]);
    const duT = tf.addN(du.map((t) => (t.shape[0] === C ? t : tf.broadcastTo(t, [C, nPos]))));
    grads.push(P.posSelT ? tf.matMul(duT, P.posSelT) : tf.pad(duT, [[0, 0], [P.posStart, dim - P.posStart - nPos]]));
  }
  const ss: Tensor[] = [];
  centred?.terms.forEach((ti, ci) => {
    const t = P.terms[ti];
    const r = tf.slice(q, [0, t.zOffset], [C, t.nLevels]);
    ss.push(tf.sum(tf.square(r), 1, true));
    grads.push(tf.pad(tf.mul(r, tf.slice(centred.negPrec, [0, ci], [C, 1])), [[0, 0], [t.zOffset, dim - t.zOffset - t.nLevels]]));
  });
  const grad = tf.addN(grads);
  return tf.concat([...(P.rowSumInJs ? [ev.rows, extra, grad] : [extra, grad]), ...dA, ...ss], 1);
}

/** The general body by tf.valueAndGrad (correlated and centred terms). */
export function buildAutogradBody(P: Prepared): (q: Tensor) => Tensor {
  const likOp = likelihoodOp(P.likelihood, P.hasAux);
  const f = (q: Tensor): Tensor => {
    const C = q.shape[0] as number;
    const extras: Tensor[] = [];
    const qm = P.mq ? tf.sub(q, P.mq) : q;
    extras.push(tf.matMul(tf.square(qm), P.wq));
    if (P.t) extras.push(tf.matMul(tf.log1p(tf.mul(tf.square(tf.sub(tf.matMul(q, P.t.sel), P.t.m)), P.t.B)), P.t.A));
    let sdv: Tensor | null = null;
    let la: Tensor | null = null;
    if (P.nPos) {
      const u = P.posSel ? tf.matMul(q, P.posSel) : tf.slice(q, [0, P.posStart], [C, P.nPos]);
      const x = tf.exp(u);
      extras.push(posValues(P, x, u).value);
      if (P.nSd) sdv = P.nSd === P.nPos ? x : tf.slice(x, [0, 0], [C, P.nSd]);
      if (P.hasAux) la = tf.slice(u, [0, P.nPos - 1], [C, 1]);
    }
    const v = P.E && sdv ? tf.mul(q, tf.add(tf.matMul(sdv, P.E), P.base)) : tf.mul(q, P.base);
    let eta: Tensor = P.denseM ? tf.matMul(v, P.denseM) : tf.matMul(tf.slice(q, [0, 0], [C, P.p]), P.Xt as Tensor);
    let sdCol = 0;
    for (const t of P.terms) {
      const needSd = t.correlated || t.centered;
      const sdT = needSd && sdv ? tf.slice(sdv, [0, sdCol], [C, t.k]) : null;
      sdCol += t.k;
      let r: Tensor | null = null;
      if (t.correlated) {
        const c = correlatedTerm(q, t, sdT as Tensor);
        extras.push(c.logDensity);
        r = c.r;
      } else if (t.centered) {
        r = tf.slice(q, [0, t.zOffset], [C, t.nLevels * t.k]);
        const zz = tf.div(tf.reshape(r, [C, t.nLevels, t.k]), tf.reshape(sdT as Tensor, [C, 1, t.k]));
        extras.push(tf.mul(tf.reshape(tf.sum(tf.square(zz), [1, 2]), [C, 1]), -0.5));
        extras.push(tf.mul(tf.sum(tf.log(sdT as Tensor), 1, true), -t.nLevels));
      }
      if (P.denseM) {
        if (t.corrM) eta = tf.add(eta, tf.matMul(r as Tensor, t.corrM));
        continue;
      }
      const rr = r ?? tf.slice(v, [0, t.zOffset], [C, t.nLevels * t.k]);
      const g = (t.gather as (x: Tensor) => Tensor)(rr);
      eta = tf.add(eta, t.k === 1 ? tf.mul(g, tf.reshape(t.Z as Tensor, [1, P.n])) : tf.sum(tf.mul(tf.reshape(g, [C, P.n, t.k]), t.Z as Tensor), 2));
    }
    if (P.offset) eta = tf.add(eta, P.offset);
    const lik = likOp(eta, la); // [C, n] or [C, n + 1]
    const extra = tf.addN(extras);
    if (P.rowSumInJs) return tf.concat([lik, extra], 1);
    return tf.add(tf.sum(lik, 1, true), extra);
  };
  const vg = tf.valueAndGrad(f);
  return (q: Tensor) => {
    const { value, grad } = vg(q);
    return tf.concat([value, grad], 1);
  };
}
