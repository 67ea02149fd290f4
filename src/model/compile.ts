/**
 * compileLogDensity: ModelSpec → Target, the batched tfjs log density differentiated by
 * tf.valueAndGrad (DESIGN.md §Contracts). One call evaluates every chain in one tfjs computation:
 * q is reshaped [C, dim]; v = q ⊙ scale turns β, centred r and uncorrelated z into effects
 * (scale holds sd at z coordinates); correlated terms get r = z·(diag(sd)·L)ᵀ by one batched matMul;
 * η = v·M (dense, one-hot Z folded into M, when dim·n is small) or Xβ + Σ gather(r_t, index)⊙Z_t
 * (gather path with a segment-sum gradient) + offset. Constants (lgamma(y+1), prior and LKJ
 * normalisers, log √2π) are added in float64 after the call, so the float32 part carries only
 * parameter-dependent terms. With many rows the per-row log-likelihood terms come back to JS and
 * are summed in float64 (float32 sums of 10⁵ terms resolve only ~0.01).
 */
import { tf } from '../logdensity/tfjs.js';
import type { Tensor } from '@tensorflow/tfjs';
import type { Target } from '../logdensity/contract.js';
import type { ModelSpec } from './parameters.js';
import { logPriorForm, lkjConstant } from '../../models/priors.js';
import { LOG_SQRT_TWO_PI } from '../../models/special.js';
import { buildColumnGather } from '../logdensity/ops.js';
import { buildLikelihood } from '../logdensity/likelihood.js';
import { correlatedTerm } from '../logdensity/correlated.js';

/** Options of compileLogDensity. */
export interface CompileOptions {
  /** Backend to run on (must be initialised first with `await useBackend(name)`); default: the active one. */
  readonly backend?: 'cpu' | 'wasm';
  /** 'dense': η = v·M with M [dim, n]; 'gather': per-term gathers; default by size (dim·n ≤ 4e6 → dense). */
  readonly mode?: 'dense' | 'gather';
  /** Sum the per-row terms in float64 JS (default when n ≥ 4096). */
  readonly rowSumInJs?: boolean;
}

/** Compiles the log density of `spec` on tfjs; call `dispose()` to free its tensors. */
export function compileLogDensity(spec: ModelSpec, opts: CompileOptions = {}): Target {
  const backend = opts.backend ?? (tf.getBackend() as 'cpu' | 'wasm');
  if (tf.getBackend() !== backend) {
    const r = tf.setBackend(backend) as unknown;
    if (tf.getBackend() !== backend || r === false) throw new Error(`tfjs backend '${backend}' is not initialised: await useBackend('${backend}') first`);
  }
  const { dim, design, p } = spec;
  const n = design.nobs;
  const mode = opts.mode ?? (dim * n <= 4e6 ? 'dense' : 'gather');
  const rowSumInJs = opts.rowSumInJs ?? n >= 4096;
  const keep: Tensor[] = [];
  const k = <T extends Tensor>(t: T): T => {
    keep.push(t);
    return t;
  };
  const likelihood = buildLikelihood(spec.family, spec.link, design.response.y, design.response.trials);
  let constant = likelihood.constant;

  // scale: 1 at β and centred coordinates, sd at non-centred uncorrelated z (via sdv·E + base)
  const nSd = spec.terms.reduce((s, t) => s + t.k, 0);
  const sdStart = p;
  const base = new Float32Array(dim);
  const E = new Float32Array(nSd * dim);
  for (let j = 0; j < p; j++) base[j] = 1;
  let sdi = 0;
  for (const t of spec.terms) {
    for (let j = 0; j < t.nLevels; j++) {
      for (let a = 0; a < t.k; a++) {
        const c = t.zOffset + j * t.k + a;
        if (t.centered) base[c] = 1;
        else if (!t.correlated) E[(sdi + a) * dim + c] = 1;
      }
    }
    sdi += t.k;
  }
  const needScale = spec.terms.some((t) => !t.centered && !t.correlated);
  const baseT = k(tf.tensor2d(base, [1, dim]));
  const ET = needScale ? k(tf.tensor2d(E, [nSd, dim])) : null;

  // η pieces
  const X = design.fixed.X;
  const offsetT = design.offset ? k(tf.tensor2d(Float32Array.from(design.offset), [1, n])) : null;
  let denseM: Tensor | null = null;
  const corrM: (Tensor | null)[] = spec.terms.map(() => null);
  let XtT: Tensor | null = null;
  const gathers: ({ gather: (x: Tensor) => Tensor; dispose: () => void; Z: Tensor } | null)[] = spec.terms.map(() => null);
  if (mode === 'dense') {
    const M = new Float32Array(dim * n);
    for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) M[j * n + i] = X[i * p + j];
    spec.terms.forEach((t, ti) => {
      if (t.correlated && !t.centered) {
        const Mr = new Float32Array(t.nLevels * t.k * n);
        for (let i = 0; i < n; i++) for (let a = 0; a < t.k; a++) Mr[(t.index[i] * t.k + a) * n + i] += t.Z[i * t.k + a];
        corrM[ti] = k(tf.tensor2d(Mr, [t.nLevels * t.k, n]));
        return;
      }
      for (let i = 0; i < n; i++) for (let a = 0; a < t.k; a++) M[(t.zOffset + t.index[i] * t.k + a) * n + i] += t.Z[i * t.k + a];
    });
    denseM = k(tf.tensor2d(M, [dim, n]));
  } else {
    const Xt = new Float32Array(p * n);
    for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) Xt[j * n + i] = X[i * p + j];
    XtT = k(tf.tensor2d(Xt, [p, n]));
    spec.terms.forEach((t, ti) => {
      const flat = new Int32Array(n * t.k);
      for (let i = 0; i < n; i++) for (let a = 0; a < t.k; a++) flat[i * t.k + a] = t.index[i] * t.k + a;
      const g = buildColumnGather(flat, t.nLevels * t.k);
      gathers[ti] = { ...g, Z: k(tf.tensor3d(Float32Array.from(t.Z), [1, n, t.k])) };
    });
  }

  // normal priors on β and non-centred z: Σ w (q − m)², w = −1/(2s²)
  const w = new Float32Array(dim);
  const m = new Float32Array(dim);
  const tb: number[] = [];
  spec.bPriors.forEach((pr, j) => {
    if (pr.dist === 'normal') {
      w[j] = -0.5 / (pr.sigma * pr.sigma);
      m[j] = pr.mu;
      constant += logPriorForm(pr, false).c;
    } else tb.push(j);
  });
  for (const t of spec.terms) {
    if (t.centered) continue;
    for (let i = 0; i < t.nLevels * t.k; i++) w[t.zOffset + i] = -0.5;
    constant -= t.nLevels * t.k * LOG_SQRT_TWO_PI;
  }
  const wT = k(tf.tensor2d(w, [dim, 1]));
  const mT = m.some((v) => v !== 0) ? k(tf.tensor2d(m, [1, dim])) : null;
  // student_t / cauchy priors on β: A log1p(B (x − m)²)
  const tSel = tb.length ? k(tf.tensor2d(selection(dim, tb), [dim, tb.length])) : null;
  const tForms = tb.map((j) => logPriorForm(spec.bPriors[j], false));
  for (const f of tForms) constant += f.c;
  const tM = tb.length ? k(tf.tensor2d(tForms.map((f) => f.m), [1, tb.length])) : null;
  const tB = tb.length ? k(tf.tensor2d(tForms.map((f) => f.B), [1, tb.length])) : null;
  const tA = tb.length ? k(tf.tensor2d(tForms.map((f) => f.A), [tb.length, 1])) : null;

  // positive parameters (sds then aux): u = q·S, x = e^u; Σ A log1p(B(x−m)²) + Q(x−m)² + D x + E u (+u Jacobian)
  const posIdx: number[] = [];
  const posPriors = [];
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
  const posSel = nPos && !contiguous ? k(tf.tensor2d(selection(dim, posIdx), [dim, nPos])) : null;
  const hasM = forms.some((f) => f.m !== 0);
  const hasA = forms.some((f) => f.A !== 0);
  const hasQ = forms.some((f) => f.Q !== 0);
  const hasD = forms.some((f) => f.D !== 0);
  const posM = hasM ? k(tf.tensor2d(forms.map((f) => f.m), [1, nPos])) : null;
  const posB = hasA ? k(tf.tensor2d(forms.map((f) => f.B), [1, nPos])) : null;
  const coefs: number[] = [];
  if (hasA) coefs.push(...forms.map((f) => f.A));
  if (hasQ) coefs.push(...forms.map((f) => f.Q));
  if (hasD) coefs.push(...forms.map((f) => f.D));
  coefs.push(...forms.map((f) => f.E + 1));
  const posCoef = nPos ? k(tf.tensor2d(coefs, [coefs.length, 1])) : null;

  // LKJ constants
  for (const t of spec.terms) if (t.correlated) constant += lkjConstant(t.k, t.lkjEta);

  const f = (q: Tensor): Tensor => {
    const C = q.shape[0] as number;
    const extras: Tensor[] = [];
    // priors on β (normal) and z
    const qm = mT ? tf.sub(q, mT) : q;
    extras.push(tf.matMul(tf.square(qm), wT));
    if (tSel) {
      const d = tf.sub(tf.matMul(q, tSel), tM as Tensor);
      extras.push(tf.matMul(tf.log1p(tf.mul(tf.square(d), tB as Tensor)), tA as Tensor));
    }
    let sdv: Tensor | null = null;
    let auxU: Tensor | null = null;
    if (nPos) {
      const u = posSel ? tf.matMul(q, posSel) : tf.slice(q, [0, posIdx[0]], [C, nPos]);
      const x = tf.exp(u);
      const d = posM ? tf.sub(x, posM) : x;
      const parts: Tensor[] = [];
      const d2 = hasA || hasQ ? tf.square(d) : null;
      if (hasA) parts.push(tf.log1p(tf.mul(d2 as Tensor, posB as Tensor)));
      if (hasQ) parts.push(d2 as Tensor);
      if (hasD) parts.push(x);
      parts.push(u);
      extras.push(tf.matMul(parts.length > 1 ? tf.concat(parts, 1) : parts[0], posCoef as Tensor));
      if (nSd) sdv = nSd === nPos ? x : tf.slice(x, [0, 0], [C, nSd]);
      if (spec.aux) auxU = tf.slice(u, [0, nPos - 1], [C, 1]);
    }
    // effects
    let v = q;
    if (ET && sdv) v = tf.mul(q, tf.add(tf.matMul(sdv, ET), baseT));
    else v = tf.mul(q, baseT);
    let eta: Tensor = denseM ? tf.matMul(v, denseM) : tf.matMul(tf.slice(q, [0, 0], [C, p]), XtT as Tensor);
    let sdCol = 0;
    spec.terms.forEach((t, ti) => {
      const sdT = sdv ? tf.slice(sdv, [0, sdCol], [C, t.k]) : null;
      sdCol += t.k;
      let r: Tensor | null = null;
      if (t.correlated) {
        const c = correlatedTerm(q, t, sdT as Tensor);
        extras.push(c.logDensity);
        r = c.r;
      } else if (t.centered) {
        r = tf.slice(q, [0, t.zOffset], [C, t.nLevels * t.k]);
        // r_j ~ N(0, diag(sd²)): −½ Σ (r/sd)² − nLevels Σ log sd
        const r3 = tf.reshape(r, [C, t.nLevels, t.k]);
        const zz = tf.div(r3, tf.reshape(sdT as Tensor, [C, 1, t.k]));
        extras.push(tf.reshape(tf.sum(tf.square(zz), [1, 2]), [C, 1]).mul(-0.5));
        extras.push(tf.mul(tf.sum(tf.log(sdT as Tensor), 1, true), -t.nLevels));
      }
      if (denseM) {
        if (t.correlated && !t.centered) eta = tf.add(eta, tf.matMul(r as Tensor, corrM[ti] as Tensor));
        return;
      }
      if (!r) r = tf.slice(v, [0, t.zOffset], [C, t.nLevels * t.k]);
      const g = gathers[ti]!;
      const gathered = g.gather(r); // [C, n·k]
      const contrib = t.k === 1 ? tf.mul(gathered, tf.reshape(g.Z, [1, n])) : tf.sum(tf.mul(tf.reshape(gathered, [C, n, t.k]), g.Z), 2);
      eta = tf.add(eta, contrib);
    });
    if (offsetT) eta = tf.add(eta, offsetT);
    const lik = likelihood.rows(eta, auxU);
    if (lik.perChain) extras.push(lik.perChain);
    const extra = extras.length > 1 ? tf.addN(extras) : extras[0];
    if (rowSumInJs) return tf.concat([lik.rows, extra], 1);
    return tf.add(tf.sum(lik.rows, 1, true), extra);
  };
  const vg = tf.valueAndGrad(f);

  const logDensity = (q: Float64Array, nChains: number) => {
    if (tf.getBackend() !== backend) tf.setBackend(backend);
    const logp = new Float64Array(nChains);
    const grad = new Float64Array(nChains * dim);
    tf.tidy(() => {
      const qT = tf.tensor2d(Float32Array.from(q.subarray(0, nChains * dim)), [nChains, dim]);
      const { value, grad: g } = vg(qT);
      const vals = value.dataSync();
      const gs = g.dataSync();
      const width = vals.length / nChains;
      for (let c = 0; c < nChains; c++) {
        let s = constant;
        for (let i = 0; i < width; i++) s += vals[c * width + i];
        let ok = Number.isFinite(s);
        for (let i = 0; ok && i < dim; i++) ok = Number.isFinite(gs[c * dim + i]);
        logp[c] = ok ? s : -Infinity;
        if (ok) for (let i = 0; i < dim; i++) grad[c * dim + i] = gs[c * dim + i];
      }
    });
    return { logp, grad };
  };
  const dispose = () => {
    tf.dispose(keep);
    likelihood.dispose();
    for (const g of gathers) g?.dispose();
  };
  return { dim, logDensity, names: spec.names, dispose };
}

/** A [dim, cols.length] 0/1 matrix selecting the coordinates `cols` (q·S = q[:, cols]). */
function selection(dim: number, cols: number[]): Float32Array {
  const S = new Float32Array(dim * cols.length);
  cols.forEach((c, j) => (S[c * cols.length + j] = 1));
  return S;
}
