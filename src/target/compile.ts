/**
 * compileLogDensity: ModelSpec → Target, the batched tfjs log density (DESIGN.md §Contracts).
 * One call evaluates every chain in one tfjs computation, differentiated by tf.valueAndGrads
 * (src/logdensity/body.ts; the fused blocks are tf.customGrad ops with hand-written vector-Jacobian
 * products, proven equal to finite differences of logDensity64 by the tests). q is reshaped [C, dim];
 * v = q ⊙ scale turns β and z into effects (scale = sd at the z of uncorrelated non-centred terms),
 * non-centred correlated terms get r = z·(diag(sd)·L)ᵀ by one batched matMul; η = v·M on the dense
 * path (one-hot Z folded into the constant M [dim, n], chosen when dim·n ≤ 4e6) or Xβ + Σ gather(r_t,
 * index)⊙Z_t on the gather path (segment-sum gradient; rows reordered into level blocks when one term
 * is balanced, rowOrder.ts) + offset.
 * The small per-chain pieces are computed in float64 JS around the one tfjs call: A = diag(sd)·L of
 * each non-centred correlated term is an input of the tfjs graph, whose gradient ∂/∂A comes back and
 * is chain-ruled here with the LKJ and cholesky_corr terms; the family parameters' block (priors,
 * Jacobians, parameter-only likelihood terms: family-block.ts) likewise.
 * Constants (lgamma(y+1), prior and LKJ normalisers, log √2π) are added in float64 after the call, so
 * float32 carries only parameter-dependent terms; with n ≥ 4096 rows the per-row terms come back and
 * are summed in float64 (float32 sums of 10⁵ terms resolve only ~0.01).
 * Steps: prepareEffects (design constants), preparePriors (compile-priors.ts), prepareUser, then per
 * call choleskyInputs → body → collect; the constant tensors are src/logdensity/constants.ts's.
 */
import { tf, type BackendName } from '../logdensity/tfjs.js';
import type { Tensor } from '@tensorflow/tfjs';
import type { Target } from '../sampler/target.js';
import type { ModelSpec, SpecTerm } from './parameters.js';
import { buildBlockGather, buildColumnGather } from '../logdensity/ops.js';
import { blockRowOrder, permuteRows } from './rowOrder.js';
import { buildLikelihood, type CompiledLikelihood } from '../logdensity/likelihood.js';
import { buildBody, userColumns } from '../logdensity/body.js';
import type { Prepared, PreparedTerm } from '../logdensity/prepared.js';
import type { UserParts } from '../logdensity/user.js';
import { GlmmInputError } from '../../base/errors.js';
import { termCholeskyInto } from './constrain.js';
import { extraPriorForm } from './extras.js';
import { Constants } from '../logdensity/constants.js';
import { preparePriors } from './compile-priors.js';
import { familyBlock } from './family-block.js';
import { slotValueNames } from '../../models/families/layout.js';
import { rowCoordSources } from '../../models/families/formula-layout.js';

/** Options of compileLogDensity. */
export interface CompileOptions {
  /** Backend to run on (initialise it first with `await useBackend(name)`); default: the active one. */
  readonly backend?: BackendName;
  /** 'dense': η = v·M with M [dim, n]; 'gather': per-term gathers; default dense when dim·n ≤ 4e6. */
  readonly mode?: 'dense' | 'gather';
  /** Sum the per-row terms in float64 JS (default when n ≥ 4096). */
  readonly rowSumInJs?: boolean;
  /** Gather path: reorder the rows into equal level blocks of a balanced term (default true; rowOrder.ts). */
  readonly blockRows?: boolean;
}

type Rows = <T extends Float64Array | Int32Array>(v: T, width?: number) => T;
type EffectsPart = Pick<Prepared, 'nSd' | 'base' | 'E' | 'ET' | 'denseM' | 'denseMT' | 'Xt' | 'X' | 'terms'>;

/**
 * The stacked linear predictor's row blocks (dense path): block 0 is η, then one per parameter formula
 * with random terms (--zi '~ x + (1|g)'), whose row coordinate u = X_p β_p + Σ Z r is v·M's block.
 * `block(t)`: the block a random term adds to; `formulas`: per stacked formula its block, q-offset of
 * its coefficients, p and X.
 */
interface Stacking {
  readonly blocks: number;
  readonly block: (t: SpecTerm) => number;
  readonly formulas: readonly { readonly block: number; readonly offset: number; readonly p: number; readonly X: Float64Array; readonly rowCoord: number }[];
}

function stacking(spec: ModelSpec): Stacking {
  const fb = spec.familyBlock;
  const withTerms = fb.formulas.formulas.filter((f) => spec.terms.some((t) => t.param === f.slot.param.name));
  const formulas = withTerms.map((f, i) => ({ block: i + 1, offset: fb.offset + f.blockOffset, p: f.p, X: f.X, rowCoord: f.rowOffset, param: f.slot.param.name }));
  return { blocks: 1 + formulas.length, formulas, block: (t) => (t.param ? (formulas.find((f) => f.param === t.param) as { block: number }).block : 0) };
}

/** scale = sd·E + base: 1 at β and centred r, sd at the z of non-centred uncorrelated terms. */
function effectScale(spec: ModelSpec, st: Stacking, K: Constants): Pick<Prepared, 'nSd' | 'base' | 'E' | 'ET'> {
  const { dim, p } = spec;
  const nSd = spec.terms.reduce((s, t) => s + t.cov.nSd, 0);
  const base = new Float32Array(dim);
  const E = new Float32Array(nSd * dim);
  for (let j = 0; j < p; j++) base[j] = 1;
  for (const f of st.formulas) for (let j = 0; j < f.p; j++) base[f.offset + j] = 1;
  let sdi = 0;
  for (const t of spec.terms) {
    for (let i = 0; i < t.nLevels * t.k; i++) {
      if (t.centered) base[t.zOffset + i] = 1;
      else if (!t.correlated) E[(sdi + t.cov.sdIndex(i % t.k)) * dim + t.zOffset + i] = 1;
    }
    sdi += t.cov.nSd;
  }
  const needE = spec.terms.some((t) => !t.centered && !t.correlated);
  return { nSd, base: K.k2(base, [1, dim]), E: needE ? K.k2(E, [nSd, dim]) : null, ET: needE ? K.k2T(E, [nSd, dim]) : null };
}

/** A term's gathers (gather path) or its one-hot block (dense path, non-centred correlated). */
function prepareTerm(spec: ModelSpec, t: SpecTerm, ti: number, mode: 'dense' | 'gather', rows: Rows, order: ReturnType<typeof blockRowOrder>, K: Constants, st: Stacking): PreparedTerm {
  const n = spec.design.nobs;
  const layout = { k: t.k, nLevels: t.nLevels, corOffset: t.corOffset, zOffset: t.zOffset, sdOffset: t.sdOffset, centered: t.centered, lkjEta: t.lkjEta, correlated: t.correlated };
  if (mode === 'dense') {
    if (!(t.correlated && !t.centered)) return { ...layout, gather: null, segmentSum: null, Z: null, corrM: null, corrMT: null };
    const w = st.blocks * n;
    const col = st.block(t) * n;
    const Mr = new Float32Array(t.nLevels * t.k * w);
    for (let i = 0; i < n; i++) for (let a = 0; a < t.k; a++) Mr[(t.index[i] * t.k + a) * w + col + i] += t.Z[i * t.k + a];
    return { ...layout, gather: null, segmentSum: null, Z: null, corrM: K.k2(Mr, [t.nLevels * t.k, w]), corrMT: K.k2T(Mr, [t.nLevels * t.k, w]) };
  }
  const index = rows(t.index);
  const flat = new Int32Array(n * t.k);
  for (let i = 0; i < n; i++) for (let a = 0; a < t.k; a++) flat[i * t.k + a] = index[i] * t.k + a;
  const g = order?.term === ti ? buildBlockGather(t.nLevels, order.blockSize) : buildColumnGather(flat, t.nLevels * t.k);
  K.disposers.push(g.dispose);
  const Z = tf.tensor3d(Float32Array.from(rows(t.Z, t.k)), [1, n, t.k]);
  K.kept.push(Z);
  return { ...layout, gather: g.gather, segmentSum: g.segmentSum, Z, corrM: null, corrMT: null };
}

/** The design constants: scale, terms, and M [dim, n] (dense) or X (gather). */
function prepareEffects(spec: ModelSpec, mode: 'dense' | 'gather', rows: Rows, order: ReturnType<typeof blockRowOrder>, K: Constants, st: Stacking): EffectsPart {
  const { dim, p } = spec;
  const n = spec.design.nobs;
  const X = rows(spec.design.fixed.X, p);
  const terms = spec.terms.map((t, ti) => prepareTerm(spec, t, ti, mode, rows, order, K, st));
  const scale = effectScale(spec, st, K);
  if (mode === 'gather') {
    const Xt = new Float32Array(p * n);
    for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) Xt[j * n + i] = X[i * p + j];
    return { ...scale, terms, denseM: null, denseMT: null, Xt: K.k2(Xt, [p, n]), X: K.k2(X, [n, p]) };
  }
  // M [dim, blocks·n]: η's columns, then each stacked formula's (its X_p at its coefficients, its terms' one-hot Z)
  const w = st.blocks * n;
  const M = new Float32Array(dim * w);
  for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) M[j * w + i] = X[i * p + j];
  for (const f of st.formulas) for (let j = 0; j < f.p; j++) for (let i = 0; i < n; i++) M[(f.offset + j) * w + f.block * n + i] = f.X[i * f.p + j];
  for (const t of spec.terms) {
    if (t.correlated && !t.centered) continue;
    const col = st.block(t) * n;
    for (let i = 0; i < n; i++) for (let a = 0; a < t.k; a++) M[(t.zOffset + t.index[i] * t.k + a) * w + col + i] += t.Z[i * t.k + a];
  }
  return { ...scale, terms, denseM: K.k2(M, [dim, w]), denseMT: K.k2T(M, [dim, w]), Xt: null, X: null };
}

/** The offset on the stacked linear predictor: η's, then zeros for each stacked formula (the zero part has none). */
function stackedOffset(offset: Float64Array, blocks: number): Float64Array {
  if (blocks === 1) return offset;
  const out = new Float64Array(offset.length * blocks);
  out.set(offset);
  return out;
}

/** The user parts (extra parameters, terms, custom family) with their data tensors, and the extras' prior constants. */
function prepareUser(spec: ModelSpec, rows: Rows, K: Constants): { user: UserParts | null; constant: number } {
  if (!spec.user && spec.extras.length === 0) return { user: null, constant: 0 };
  const { p } = spec;
  const n = spec.design.nobs;
  const X = rows(spec.design.fixed.X, p);
  const Xt = new Float32Array(p * n);
  for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) Xt[j * n + i] = X[i * p + j];
  const trials = spec.design.response.trials;
  const data = { y: K.k2(rows(spec.design.response.y), [1, n]), trials: trials ? K.k2(rows(trials), [1, n]) : null, Xt: K.k2(Xt, [p, n]), n };
  type Builtin = UserParts['builtin'][number];
  const builtin: Builtin[] = spec.params.flatMap((q, i): Builtin[] => {
    if (q.class === 'b') return [{ name: q.name, offset: i, transform: 'identity' as const }];
    if (q.class !== 'sd') return [];
    const t = spec.terms.find((u) => u.group === q.group && u.cov.sdTerms(u.terms).includes(q.term as string)) as SpecTerm;
    return [{ name: q.name, offset: t.sdOffset + t.cov.sdTerms(t.terms).indexOf(q.term as string), transform: 'exp' as const }];
  });
  // the scalar family parameters (a vector such as ordered thresholds is not offered to user terms)
  const fb = spec.familyBlock;
  for (const sl of fb.layout.slots) {
    const kind = sl.param.constraint.kind;
    if (sl.size === 1 && kind !== 'ordered' && kind !== 'real') builtin.push({ name: sl.param.name, offset: fb.offset + sl.offset, transform: kind === 'positive' ? 'exp' : 'logistic' });
  }
  let constant = 0;
  const extras = spec.extras.map((e) => {
    const { form, constant: c } = extraPriorForm(e);
    constant += c;
    return { name: e.name, offset: e.offset, constraint: e.constraint, prior: form };
  });
  return { user: { builtin, extras, terms: spec.user?.terms ?? [], family: spec.user?.family ?? null, data }, constant };
}

/** Compiles the log density of `spec` on tfjs; call `dispose()` to free its tensors. */
export function compileLogDensity(spec: ModelSpec, opts: CompileOptions = {}): Target {
  const backend = opts.backend ?? (tf.getBackend() as BackendName);
  if (tf.getBackend() !== backend) {
    void tf.setBackend(backend);
    if (tf.getBackend() !== backend) throw new Error(`tfjs backend '${backend}' is not initialised: await useBackend('${backend}') first`);
  }
  const { dim, design, p } = spec;
  const n = design.nobs;
  const st = stacking(spec);
  const mode = opts.mode ?? (dim * n * st.blocks <= 4e6 ? 'dense' : 'gather');
  if (st.blocks > 1 && (mode === 'gather' || spec.user?.family)) {
    throw new GlmmInputError(`random effects in --zi: the tfjs density takes them on its dense path only (dim × rows ≤ 4e6, no custom family); this model (${dim} × ${n}) needs --backend js`);
  }
  const K = new Constants();
  // gather path: rows reordered into equal level blocks of one term when the design allows (rowOrder.ts);
  // never under a custom family, whose own row data (e.g. precomputed constants) follow the data's order
  const order = mode === 'gather' && (opts.blockRows ?? true) && !spec.user?.family ? blockRowOrder(spec) : null;
  const rows: Rows = (v, width = 1) => (order ? permuteRows(v, order.perm, width) : v);
  const trials = design.response.trials;
  const custom = spec.user?.family ?? null;
  const likelihood: CompiledLikelihood | null = custom ? null : buildLikelihood(spec.family, spec.link, rows(design.response.y), trials && rows(trials));
  if (likelihood) K.disposers.push(likelihood.dispose);
  const priors = preparePriors(spec, K);
  const user = prepareUser(spec, rows, K);
  // the family block (priors, Jacobians, parameter-only terms) per chain in float64 (family-block.ts); a
  // custom family keeps only the built-in priors and Jacobians of the block
  const fb = spec.familyBlock;
  const fam = fb.layout.dim > 0
    ? familyBlock(fb.layout, fb.layout.slots.map((sl, i) => (slotValueNames(sl).every((n) => spec.priorReplaced.has(n)) ? null : fb.priors[i])), likelihood?.paramOnly ?? null)
    : null;
  const uf = new Float64Array(fb.layout.dim);
  const gf = new Float64Array(fb.layout.dim);
  const constant = (likelihood?.constant ?? 0) + priors.constant + user.constant + (fam?.constant ?? 0);
  const P: Prepared = {
    dim, p, n, ...prepareEffects(spec, mode, rows, order, K, st), ...priors.part,
    famOffset: fb.layout.dim > 0 && !custom ? fb.offset : -1,
    famDim: custom ? 0 : fb.layout.dim,
    etaBlocks: st.blocks,
    famCols: custom ? [] : rowCoordSources(fb.formulas).map((c, rc) => {
      if ('block' in c) return { offset: fb.offset + c.block, p: 1, X: null, Xt: null };
      const { blockOffset, p: pf, X } = c.formula;
      const stacked = st.formulas.find((f) => f.rowCoord === rc);
      if (stacked) return { offset: fb.offset + blockOffset, p: pf, X: null, Xt: null, etaBlock: stacked.block };
      const Xr = rows(X, pf);
      return { offset: fb.offset + blockOffset, p: pf, X: K.k2(Xr, [n, pf]), Xt: K.k2T(Xr, [n, pf]) };
    }),
    offset: design.offset ? K.k2(stackedOffset(rows(design.offset), st.blocks), [1, n * st.blocks]) : null,
    likelihood, rowSumInJs: !custom && (opts.rowSumInJs ?? n >= 4096), user: user.user,
  };
  const body = buildBody(P);
  K.disposers.push(body.dispose);
  const chol = spec.terms.filter((t) => t.correlated && !t.centered);
  const nA = chol.reduce((s, t) => s + t.k * t.k, 0);
  const nUser = userColumns(P);
  const userNames = [...(spec.user?.terms ?? []).map((t) => `term '${t.name}'`), ...(custom ? [`family '${custom.name}'`] : [])];

  /** A = diag(sd)·L [C, K, K] per non-centred correlated term (float32 for tfjs), and L in float64. */
  const choleskyInputs = (q: Float64Array, C: number): { As: Tensor[]; Ls: Float64Array[] } => {
    const Ls = chol.map((t) => new Float64Array(C * t.k * t.k));
    const As = chol.map((t, ci) => {
      const a = new Float32Array(C * t.k * t.k);
      for (let c = 0; c < C; c++) termCholeskyInto(t, q, c * dim, Ls[ci], c * t.k * t.k, a);
      return tf.tensor3d(a, [C, t.k, t.k]);
    });
    return { As, Ls };
  };

  /** Chain c's log density and gradient from the body's output row (float64 sums, chain rules, checks). */
  const collect = (out: Float32Array | Int32Array | Uint8Array, q: Float64Array, Ls: Float64Array[], c: number, grad: Float64Array): number => {
    const width = out.length / (grad.length / dim);
    const o = c * width;
    const nv = width - dim - nA;
    let s = constant;
    for (let i = 0; i < nv; i++) s += out[o + i];
    const g = c * dim;
    for (let i = 0; i < dim; i++) grad[g + i] = out[o + nv + i];
    let e = o + nv + dim;
    chol.forEach((t, ci) => {
      const k = t.k;
      const L = Ls[ci].subarray(c * k * k, (c + 1) * k * k);
      const dL = new Float64Array(k * k);
      for (let a = 0; a < k; a++) {
        const sd = Math.exp(q[g + t.sdOffset + t.cov.sdIndex(a)]);
        let dsd = 0;
        for (let m2 = 0; m2 < k; m2++) {
          dsd += out[e + a * k + m2] * L[a * k + m2];
          dL[a * k + m2] = out[e + a * k + m2] * sd;
        }
        grad[g + t.sdOffset + t.cov.sdIndex(a)] += dsd * sd;
      }
      s += t.cov.factorBackward(q, g + t.corOffset, t.lkjEta, dL, grad, g + t.corOffset);
      e += k * k;
    });
    if (fam) {
      for (let k = 0; k < uf.length; k++) uf[k] = q[g + fb.offset + k];
      s += fam.evaluate(uf, gf);
      for (let k = 0; k < gf.length; k++) grad[g + fb.offset + k] += gf[k];
    }
    let ok = Number.isFinite(s);
    for (let i = 0; ok && i < dim; i++) ok = Number.isFinite(grad[g + i]);
    if (!ok) grad.fill(0, g, g + dim);
    return ok ? s : -Infinity;
  };

  /**
   * A user term or family that is NaN at every chain of a call is a bug in it: an error naming it. NaN at
   * some chains only (e.g. a divergent trajectory's extreme point) gives those chains −∞, as Stan rejects.
   */
  const checkUserValues = (out: ArrayLike<number>, nChains: number): void => {
    const width = out.length / nChains;
    const first = width - dim - nA - nUser;
    for (let u = 0; u < nUser; u++) {
      let nan = 0;
      for (let c = 0; c < nChains; c++) if (Number.isNaN(out[c * width + first + u])) nan++;
      if (nan === nChains) throw new GlmmInputError(`${userNames[u]} returned NaN at every chain; return -Infinity where the density is zero (tf.where, not a 0/1 mask), and check the parameters it uses`);
    }
  };

  const logDensity = (q: Float64Array, nChains: number) => {
    if (tf.getBackend() !== backend) void tf.setBackend(backend);
    const logp = new Float64Array(nChains);
    const grad = new Float64Array(nChains * dim);
    tf.tidy(() => {
      const qT = tf.tensor2d(Float32Array.from(q.subarray(0, nChains * dim)), [nChains, dim]);
      const { As, Ls } = choleskyInputs(q, nChains);
      const out = body.run(qT, As).dataSync();
      checkUserValues(out, nChains);
      for (let c = 0; c < nChains; c++) logp[c] = collect(out, q, Ls, c, grad);
    });
    return { logp, grad };
  };
  return { dim, logDensity, names: spec.names, dispose: () => K.dispose() };
}
