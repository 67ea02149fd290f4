/**
 * compileLogDensity: ModelSpec → Target, the batched tfjs log density (DESIGN.md §Contracts).
 * One call evaluates every chain in one tfjs computation: q is reshaped [C, dim]; v = q ⊙ scale turns
 * β and z into effects (scale = sd at the z of uncorrelated non-centred terms), correlated terms get
 * r = z·(diag(sd)·L)ᵀ by one batched matMul; η = v·M on the dense path (one-hot Z folded into the
 * constant M [dim, n], chosen when dim·n ≤ 4e6) or Xβ + Σ gather(r_t, index)⊙Z_t on the gather path
 * (segment-sum gradient; rows reordered into level blocks when one term is balanced, rowOrder.ts) + offset. The gradient is hand-derived (src/logdensity/batchedDensity.ts
 * manualBody; proven equal to finite differences of logDensity64 by the tests) unless a correlated
 * (or k > 1) term is centred, where tf.valueAndGrad differentiates the general body. The small
 * per-chain pieces (A = diag(sd)·L and the LKJ/cholesky_corr terms, centred-scalar sd terms,
 * aux-only likelihood terms) are computed in float64 JS around the one tfjs call.
 * Constants (lgamma(y+1), prior and LKJ normalisers, log √2π) are added in float64 after the call, so
 * float32 carries only parameter-dependent terms; with n ≥ 4096 rows the per-row terms come back and
 * are summed in float64 (float32 sums of 10⁵ terms resolve only ~0.01).
 */
import { tf } from '../logdensity/tfjs.js';
import type { Tensor } from '@tensorflow/tfjs';
import type { Target } from '../sampler/target.js';
import type { ModelSpec } from './parameters.js';
import { logPriorForm, lkjConstant, type PriorDist } from '../../models/priors.js';
import { LOG_SQRT_2PI } from '../../base/constants.js';
import { buildBlockGather, buildColumnGather } from '../logdensity/ops.js';
import { blockRowOrder, permuteRows } from './rowOrder.js';
import { buildLikelihood } from '../logdensity/likelihood.js';
import { buildAutogradBody, manualBody, type Prepared, type PreparedTerm } from '../logdensity/batchedDensity.js';
import { choleskyCorrBackward, termCholeskyInto } from './choleskyCorr.js';

/** Options of compileLogDensity. */
export interface CompileOptions {
  /** Backend to run on (initialise it first with `await useBackend(name)`); default: the active one. */
  readonly backend?: 'cpu' | 'wasm';
  /** 'dense': η = v·M with M [dim, n]; 'gather': per-term gathers; default dense when dim·n ≤ 4e6. */
  readonly mode?: 'dense' | 'gather';
  /** Sum the per-row terms in float64 JS (default when n ≥ 4096). */
  readonly rowSumInJs?: boolean;
  /** Gather path: reorder the rows into equal level blocks of a balanced term (default true; rowOrder.ts). */
  readonly blockRows?: boolean;
  /** 'auto' (default): hand-derived gradient where available; 'autograd': always tf.valueAndGrad. */
  readonly gradient?: 'auto' | 'autograd';
}

/** A [dim, cols.length] 0/1 matrix selecting coordinates `cols` (q·S = q[:, cols]). */
function selection(dim: number, cols: number[]): Float32Array {
  const S = new Float32Array(dim * cols.length);
  cols.forEach((c, j) => (S[c * cols.length + j] = 1));
  return S;
}

/** Compiles the log density of `spec` on tfjs; call `dispose()` to free its tensors. */
export function compileLogDensity(spec: ModelSpec, opts: CompileOptions = {}): Target {
  const backend = opts.backend ?? (tf.getBackend() as 'cpu' | 'wasm');
  if (tf.getBackend() !== backend) {
    void tf.setBackend(backend);
    if (tf.getBackend() !== backend) throw new Error(`tfjs backend '${backend}' is not initialised: await useBackend('${backend}') first`);
  }
  const { dim, design, p } = spec;
  const n = design.nobs;
  const mode = opts.mode ?? (dim * n <= 4e6 ? 'dense' : 'gather');
  const keep: Tensor[] = [];
  const disposers: (() => void)[] = [];
  const k2 = (v: ArrayLike<number>, shape: [number, number]): Tensor => {
    const t = tf.tensor2d(Float32Array.from(v), shape);
    keep.push(t);
    return t;
  };
  /** The transpose [c, r] of a row-major [r, c] constant, stored (see batchedDensity.ts). */
  const k2T = (v: ArrayLike<number>, [r, c]: [number, number]): Tensor => {
    const out = new Float32Array(r * c);
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = v[i * c + j];
    return k2(out, [c, r]);
  };
  // gather path: rows reordered into equal level blocks of one term when the design allows (rowOrder.ts)
  const order = mode === 'gather' && (opts.blockRows ?? true) ? blockRowOrder(spec) : null;
  const rows = <T extends Float64Array | Int32Array>(v: T, width = 1): T => (order ? permuteRows(v, order.perm, width) : v);
  const trials = design.response.trials;
  const likelihood = buildLikelihood(spec.family, spec.link, rows(design.response.y), trials && rows(trials));
  disposers.push(likelihood.dispose);
  let constant = likelihood.constant;

  // scale = sdv·E + base: 1 at β and centred r, sd at non-centred uncorrelated z
  const nSd = spec.terms.reduce((s, t) => s + t.k, 0);
  const base = new Float32Array(dim);
  const E = new Float32Array(nSd * dim);
  for (let j = 0; j < p; j++) base[j] = 1;
  let sdi = 0;
  for (const t of spec.terms) {
    for (let i = 0; i < t.nLevels * t.k; i++) {
      if (t.centered) base[t.zOffset + i] = 1;
      else if (!t.correlated) E[(sdi + (i % t.k)) * dim + t.zOffset + i] = 1;
    }
    sdi += t.k;
  }
  const needE = spec.terms.some((t) => !t.centered && !t.correlated);

  const X = rows(design.fixed.X, p);
  let denseM: Tensor | null = null;
  let denseMT: Tensor | null = null;
  let Xt: Tensor | null = null;
  let Xrows: Tensor | null = null;
  const terms: PreparedTerm[] = spec.terms.map((t, ti) => {
    const layout = { k: t.k, nLevels: t.nLevels, corOffset: t.corOffset, zOffset: t.zOffset, centered: t.centered, lkjEta: t.lkjEta, correlated: t.correlated };
    if (mode === 'dense') {
      if (!(t.correlated && !t.centered)) return { ...layout, gather: null, segmentSum: null, Z: null, corrM: null, corrMT: null };
      const Mr = new Float32Array(t.nLevels * t.k * n);
      for (let i = 0; i < n; i++) for (let a = 0; a < t.k; a++) Mr[(t.index[i] * t.k + a) * n + i] += t.Z[i * t.k + a];
      return { ...layout, gather: null, segmentSum: null, Z: null, corrM: k2(Mr, [t.nLevels * t.k, n]), corrMT: k2T(Mr, [t.nLevels * t.k, n]) };
    }
    const index = rows(t.index);
    const flat = new Int32Array(n * t.k);
    for (let i = 0; i < n; i++) for (let a = 0; a < t.k; a++) flat[i * t.k + a] = index[i] * t.k + a;
    const g = order?.term === ti ? buildBlockGather(t.nLevels, order.blockSize) : buildColumnGather(flat, t.nLevels * t.k);
    disposers.push(g.dispose);
    const Z = tf.tensor3d(Float32Array.from(rows(t.Z, t.k)), [1, n, t.k]);
    keep.push(Z);
    return { ...layout, gather: g.gather, segmentSum: g.segmentSum, Z, corrM: null, corrMT: null };
  });
  if (mode === 'dense') {
    const M = new Float32Array(dim * n);
    for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) M[j * n + i] = X[i * p + j];
    for (const t of spec.terms) {
      if (t.correlated && !t.centered) continue;
      for (let i = 0; i < n; i++) for (let a = 0; a < t.k; a++) M[(t.zOffset + t.index[i] * t.k + a) * n + i] += t.Z[i * t.k + a];
    }
    denseM = k2(M, [dim, n]);
    denseMT = k2T(M, [dim, n]);
  } else {
    const XtA = new Float32Array(p * n);
    for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) XtA[j * n + i] = X[i * p + j];
    Xt = k2(XtA, [p, n]);
    Xrows = k2(X, [n, p]);
  }

  // normal priors on β, N(0, 1) on z: Σ w (q − m)², w = −1/(2s²)
  const w = new Float32Array(dim);
  const m = new Float32Array(dim);
  const tIdx: number[] = [];
  spec.bPriors.forEach((pr, j) => {
    if (pr.dist === 'normal') {
      w[j] = -0.5 / (pr.sigma * pr.sigma);
      m[j] = pr.mu;
      constant += logPriorForm(pr, false).c;
    } else tIdx.push(j);
  });
  for (const t of spec.terms) {
    constant -= t.nLevels * t.k * LOG_SQRT_2PI; // N(0, 1) for z; the MVN's for centred r
    if (!t.centered) for (let i = 0; i < t.nLevels * t.k; i++) w[t.zOffset + i] = -0.5;
    if (t.correlated) constant += lkjConstant(t.k, t.lkjEta);
  }
  const tForms = tIdx.map((j) => logPriorForm(spec.bPriors[j], false));
  for (const f of tForms) constant += f.c;
  const nT = tIdx.length;
  const tSel = nT ? selection(dim, tIdx) : null;
  const tPrior = tSel
    ? {
        sel: k2(tSel, [dim, nT]), selT: k2T(tSel, [dim, nT]), m: k2(tForms.map((f) => f.m), [1, nT]), B: k2(tForms.map((f) => f.B), [1, nT]),
        A: k2(tForms.map((f) => f.A), [nT, 1]), A2B: k2(tForms.map((f) => 2 * f.A * f.B), [1, nT]),
      }
    : null;

  // sd and aux priors on x = e^u with the +u Jacobian
  const posIdx: number[] = [];
  const posPriors: PriorDist[] = [];
  for (const t of spec.terms) for (let a = 0; a < t.k; a++) {
    posIdx.push(t.sdOffset + a);
    posPriors.push(t.sdPriors[a]);
  }
  if (spec.aux) {
    posIdx.push(spec.aux.offset);
    posPriors.push(spec.aux.prior);
  }
  const nPos = posIdx.length;
  const forms = posPriors.map((pr) => logPriorForm(pr, true));
  for (const f of forms) constant += f.c;
  const contiguous = posIdx.every((v, i) => v === posIdx[0] + i);
  let pos: Prepared['pos'] = null;
  if (nPos) {
    const hasA = forms.some((f) => f.A !== 0);
    const hasQ = forms.some((f) => f.Q !== 0);
    const hasD = forms.some((f) => f.D !== 0);
    const coefs: number[] = [];
    if (hasA) coefs.push(...forms.map((f) => f.A));
    if (hasQ) coefs.push(...forms.map((f) => f.Q));
    if (hasD) coefs.push(...forms.map((f) => f.D));
    coefs.push(...forms.map((f) => f.E + 1));
    pos = {
      m: forms.some((f) => f.m !== 0) ? k2(forms.map((f) => f.m), [1, nPos]) : null,
      B: hasA ? k2(forms.map((f) => f.B), [1, nPos]) : null, hasA, hasQ, hasD, coef: k2(coefs, [coefs.length, 1]),
      A2B: hasA ? k2(forms.map((f) => 2 * f.A * f.B), [1, nPos]) : null, Q2: hasQ ? k2(forms.map((f) => 2 * f.Q), [1, nPos]) : null,
      D: hasD ? k2(forms.map((f) => f.D), [1, nPos]) : null, E1: k2(forms.map((f) => f.E + 1), [1, nPos]),
    };
  }
  const posSel = nPos && !contiguous ? selection(dim, posIdx) : null;
  const P: Prepared = {
    dim, p, n, nSd, nPos, posStart: nPos && contiguous ? posIdx[0] : -1,
    posSel: posSel ? k2(posSel, [dim, nPos]) : null,
    posSelT: posSel ? k2T(posSel, [dim, nPos]) : null, hasAux: spec.aux !== null,
    base: k2(base, [1, dim]), E: needE ? k2(E, [nSd, dim]) : null, ET: needE ? k2T(E, [nSd, dim]) : null, denseM, denseMT, Xt, X: Xrows,
    offset: design.offset ? k2(rows(design.offset), [1, n]) : null, terms,
    wq: k2(w, [dim, 1]), w2: k2(Float32Array.from(w, (v) => 2 * v), [1, dim]), mq: m.some((v) => v !== 0) ? k2(m, [1, dim]) : null,
    t: tPrior, pos, likelihood, rowSumInJs: opts.rowSumInJs ?? n >= 4096,
  };
  const manual = (opts.gradient ?? 'auto') === 'auto' && spec.terms.every((t) => !t.centered || (t.k === 1 && !t.correlated));
  const centredIdx = manual ? spec.terms.map((t, ti) => (t.centered ? ti : -1)).filter((ti) => ti >= 0) : [];
  const autograd = manual ? null : buildAutogradBody(P);
  const corr = manual ? spec.terms.map((t, ti) => ({ t, ti })).filter(({ t }) => t.correlated) : [];
  const nExtra = corr.reduce((s, { t }) => s + t.k * t.k, 0) + centredIdx.length;
  const auxOnly = likelihood.auxOnly;

  const logDensity = (q: Float64Array, nChains: number) => {
    if (tf.getBackend() !== backend) void tf.setBackend(backend);
    const logp = new Float64Array(nChains);
    const grad = new Float64Array(nChains * dim);
    tf.tidy(() => {
      const qT = tf.tensor2d(Float32Array.from(q.subarray(0, nChains * dim)), [nChains, dim]);
      // correlated terms on the manual path: A = diag(sd)·L per chain in float64, LKJ + Jacobian here
      const A: ({ A: Tensor; At: Tensor } | null)[] = spec.terms.map(() => null);
      const Ls = corr.map(({ t }) => new Float64Array(nChains * t.k * t.k));
      corr.forEach(({ t, ti }, ci) => {
        const K = t.k;
        const a = new Float32Array(nChains * K * K);
        const at = new Float32Array(nChains * K * K);
        for (let c = 0; c < nChains; c++) {
          const o = c * K * K;
          termCholeskyInto(t, q, c * dim, Ls[ci], o, a);
          for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) at[o + j * K + i] = a[o + i * K + j];
        }
        A[ti] = { A: tf.tensor3d(a, [nChains, K, K]), At: tf.tensor3d(at, [nChains, K, K]) };
      });
      let centred: { terms: readonly number[]; negPrec: Tensor } | undefined;
      if (centredIdx.length) {
        const np = new Float32Array(nChains * centredIdx.length);
        for (let c = 0; c < nChains; c++) {
          centredIdx.forEach((ti, ci) => (np[c * centredIdx.length + ci] = -Math.exp(-2 * q[c * dim + spec.terms[ti].sdOffset])));
        }
        centred = { terms: centredIdx, negPrec: tf.tensor2d(np, [nChains, centredIdx.length]) };
      }
      const out = (autograd ? autograd(qT) : manualBody(P, qT, A, centred)).dataSync();
      const width = out.length / nChains;
      const nv = width - dim - nExtra;
      const dL = new Float64Array(16);
      for (let c = 0; c < nChains; c++) {
        const o = c * width;
        let s = constant;
        for (let i = 0; i < nv; i++) s += out[o + i];
        for (let i = 0; i < dim; i++) grad[c * dim + i] = out[o + nv + i];
        let e = o + nv + dim;
        corr.forEach(({ t }, ci) => {
          const K = t.k;
          const L = Ls[ci].subarray(c * K * K, (c + 1) * K * K);
          for (let a = 0; a < K; a++) {
            const sd = Math.exp(q[c * dim + t.sdOffset + a]);
            let dsd = 0;
            for (let m2 = 0; m2 < K; m2++) {
              dsd += out[e + a * K + m2] * L[a * K + m2];
              dL[a * K + m2] = out[e + a * K + m2] * sd;
            }
            grad[c * dim + t.sdOffset + a] += dsd * sd;
          }
          s += choleskyCorrBackward(q, c * dim + t.corOffset, K, t.lkjEta, dL, grad, c * dim + t.corOffset);
          e += K * K;
        });
        for (const ti of centredIdx) {
          // r_j ~ N(0, sd²): −½ Σ r²/sd² − J log sd (the −J log √2π is in `constant`)
          const t = spec.terms[ti];
          const u = q[c * dim + t.sdOffset];
          const ssp = out[e++] * Math.exp(-2 * u);
          s += -0.5 * ssp - t.nLevels * u;
          grad[c * dim + t.sdOffset] += ssp - t.nLevels;
        }
        if (auxOnly && spec.aux) {
          const [v, d] = auxOnly(q[c * dim + spec.aux.offset]);
          s += v;
          grad[c * dim + spec.aux.offset] += d;
        }
        let ok = Number.isFinite(s);
        for (let i = 0; ok && i < dim; i++) ok = Number.isFinite(grad[c * dim + i]);
        logp[c] = ok ? s : -Infinity;
        if (!ok) grad.fill(0, c * dim, (c + 1) * dim);
      }
    });
    return { logp, grad };
  };
  const dispose = () => {
    tf.dispose(keep);
    for (const d of disposers) d();
  };
  return { dim, logDensity, names: spec.names, dispose };
}
