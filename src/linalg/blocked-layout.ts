/**
 * The symbolic analysis of the blocked sparse Cholesky factor of the penalized mixed-model system
 *   M = [ΛᵀZᵀWZΛ + I, ΛᵀZᵀWX; ·, XᵀWX]
 * (lme4's merPredD, Bates, Mächler, Bolker & Walker 2015 JSS 67(1) §3; the block structure of
 * MixedModels.jl's `BlockedSparse`/`BlockDescription`, Bates 2024, src/linalg/): the random-effect
 * terms are ordered by number of levels, the first (largest) term's diagonal block stays block-diagonal
 * (one k × k block per level), its coupling to the rest is stored only where some row makes it non-zero
 * (sparse, per level), and everything else — the other terms, then β when `joint` — is the Schur
 * complement S = C − BᵀD⁻¹B, held dense but factored only inside its envelope: row i of S's factor
 * starts at the first column that S or the fill of eliminating the first block makes non-zero, so
 * nested terms (S diagonal) cost O(r) and crossed ones pay only for the fill their crossing forces.
 * The dense part's random effects are put in reverse Cuthill–McKee order when that narrows the envelope
 * (blocked-order.ts). Done once per model; blocked-factor.ts does the numeric factorisation per evaluation.
 */
import { envelopeOrder } from './blocked-order.js';

/** One random-effect term as the factorisation sees it: k columns per level, u indices uOffset + level·k + column. */
export interface BlockTerm {
  readonly k: number;
  readonly nLevels: number;
  readonly uOffset: number;
  /** Level (0-based) of each row. */
  readonly index: Int32Array;
  /** n × k row-major Z values. */
  readonly Z: Float64Array;
}

/** What the layout is built from: the rows, the terms (any order), and X when β joins the system. */
export interface BlockedInput {
  readonly n: number;
  readonly terms: readonly BlockTerm[];
  /** Number of random effects Σ k·levels. */
  readonly q: number;
  /** n × p row-major fixed-effect matrix. */
  readonly X: Float64Array;
  readonly p: number;
  /** Whether β is part of the system (lme4's nAGQ = 0 PIRLS, the lmer normal equations). */
  readonly joint: boolean;
}

/** The symbolic analysis: which term is block-diagonal, the dense index of the rest, the sparsity of the coupling and the envelope of S. */
export interface BlockedLayout extends BlockedInput {
  /** Index of the block-diagonal term in `terms` (−1 without terms), its k and number of levels. */
  readonly bi: number;
  readonly kb: number;
  readonly Lb: number;
  /** Dense index of each u index outside the block term (−1 inside it). */
  readonly denseOf: Int32Array;
  /** Random effects in the dense part, and the dense dimension (ru, plus p when joint). */
  readonly ru: number;
  readonly r: number;
  /** Per block level, the dense columns it touches (ascending), and where its kb × |nz| coupling block starts. */
  readonly nz: readonly Int32Array[];
  readonly bStart: Int32Array;
  /** Total stored coupling entries. */
  readonly bSize: number;
  /** Per row, the column position (within nz of its block level) of each of its `nd` dense entries; null on the fast paths. */
  readonly rowPos: Int32Array | null;
  /** Dense entries per row: Σ k over the non-block terms, plus p when joint. */
  readonly nd: number;
  /** Envelope of S: the first structurally non-zero column of each row of its factor. */
  readonly first: Int32Array;
  /** Sum of k over the terms (scratch length). */
  readonly K: number;
}

/** The term with the most levels (MixedModels.jl's order; the first on ties, then the larger k·levels). */
function blockTerm(terms: readonly BlockTerm[]): number {
  if (terms.length === 0) return -1;
  let bi = 0;
  for (let t = 1; t < terms.length; t++) {
    const a = terms[t], b = terms[bi];
    if (a.k * a.nLevels > b.k * b.nLevels) bi = t;
  }
  return bi;
}

/** Dense index of each u outside the block term: the other terms by decreasing number of levels (then formula order). */
function denseIndex(inp: BlockedInput, bi: number): { denseOf: Int32Array; ru: number } {
  const denseOf = new Int32Array(inp.q).fill(-1);
  const order = inp.terms.map((_, t) => t).filter((t) => t !== bi).sort((a, b) => inp.terms[b].nLevels - inp.terms[a].nLevels || a - b);
  let ru = 0;
  for (const t of order) {
    const tl = inp.terms[t];
    for (let j = 0; j < tl.k * tl.nLevels; j++) denseOf[tl.uOffset + j] = ru++;
  }
  return { denseOf, ru };
}

/** Dense indices of row i's non-block entries (and β's when joint) into out; returns how many. */
function rowDense(inp: BlockedInput, bi: number, denseOf: Int32Array, ru: number, i: number, out: Int32Array): number {
  let nd = 0;
  for (let t = 0; t < inp.terms.length; t++) {
    if (t === bi) continue;
    const tl = inp.terms[t];
    const base = tl.uOffset + tl.index[i] * tl.k;
    for (let j = 0; j < tl.k; j++) out[nd++] = denseOf[base + j];
  }
  if (inp.joint) for (let j = 0; j < inp.p; j++) out[nd++] = ru + j;
  return nd;
}

/** The symbolic analysis of the system (see the file comment). */
export function blockedLayout(inp: BlockedInput): BlockedLayout {
  const bi = blockTerm(inp.terms);
  const bt = bi >= 0 ? inp.terms[bi] : null;
  const kb = bt ? bt.k : 0, Lb = bt ? bt.nLevels : 0;
  const { denseOf, ru } = denseIndex(inp, bi);
  const r = ru + (inp.joint ? inp.p : 0);
  const nd = r === 0 ? 0 : inp.terms.reduce((s, t, ti) => s + (ti === bi ? 0 : t.k), 0) + (inp.joint ? inp.p : 0);
  let { first, nz } = structure(inp, bi, denseOf, ru, r, nd);
  const perm = bt ? envelopeOrder(ru, nz, []) : null; // every row's dense entries lie in its block level's nz
  if (perm) {
    for (let u = 0; u < denseOf.length; u++) if (denseOf[u] >= 0) denseOf[u] = perm[denseOf[u]];
    ({ first, nz } = structure(inp, bi, denseOf, ru, r, nd));
  }
  const bStart = new Int32Array(Lb + 1);
  for (let l = 0; l < Lb; l++) bStart[l + 1] = bStart[l] + kb * nz[l].length;
  const rowPos = bt && nd > 0 && !(kb === 1 && inp.terms.length === 1) ? rowPositions(inp, bi, denseOf, ru, nz, nd) : null;
  return {
    ...inp, bi, kb, Lb, denseOf, ru, r, nz, bStart, bSize: bStart[Lb], rowPos, nd, first,
    K: inp.terms.reduce((s, t) => s + t.k, 0),
  };
}

/** The envelope of S (first column per row) and, per block level, the dense columns it touches. */
function structure(inp: BlockedInput, bi: number, denseOf: Int32Array, ru: number, r: number, nd: number): { first: Int32Array; nz: Int32Array[] } {
  const bt = bi >= 0 ? inp.terms[bi] : null;
  const first = Int32Array.from({ length: r }, (_, i) => i);
  const sets: Set<number>[] = Array.from({ length: bt ? bt.nLevels : 0 }, () => new Set<number>());
  const idx = new Int32Array(nd);
  for (let i = 0; i < inp.n && r > 0; i++) {
    const m = rowDense(inp, bi, denseOf, ru, i, idx);
    let lo = r;
    for (let d = 0; d < m; d++) lo = Math.min(lo, idx[d]);
    for (let d = 0; d < m; d++) if (first[idx[d]] > lo) first[idx[d]] = lo;
    if (bt) { const set = sets[bt.index[i]]; for (let d = 0; d < m; d++) set.add(idx[d]); }
  }
  const nz = sets.map((set) => Int32Array.from(Array.from(set).sort((a, b) => a - b)));
  for (const cols of nz) for (const c of cols) if (first[c] > cols[0]) first[c] = cols[0]; // eliminating a block level joins its columns
  return { first, nz };
}

/** Per row, the position within nz[level] of each dense entry (found once, so the numeric pass never searches). */
function rowPositions(inp: BlockedInput, bi: number, denseOf: Int32Array, ru: number, nz: readonly Int32Array[], nd: number): Int32Array {
  const pos = new Int32Array(inp.n * nd);
  const where = new Int32Array(ru + (inp.joint ? inp.p : 0)).fill(-1);
  const idx = new Int32Array(nd);
  const bIdx = inp.terms[bi].index;
  const rows = Array.from({ length: nz.length }, () => [] as number[]);
  for (let i = 0; i < inp.n; i++) rows[bIdx[i]].push(i);
  for (let l = 0; l < nz.length; l++) {
    nz[l].forEach((c, x) => (where[c] = x));
    for (const i of rows[l]) {
      rowDense(inp, bi, denseOf, ru, i, idx);
      for (let d = 0; d < nd; d++) pos[i * nd + d] = where[idx[d]];
    }
  }
  return pos;
}

/** ZΛ entries of row i for term t (template T_t, lower triangular k × k) into buf[off..off+k). */
export function rowEntries(terms: readonly BlockTerm[], T: readonly Float64Array[], t: number, i: number, buf: Float64Array, off: number): void {
  const tl = terms[t];
  const k = tl.k;
  const Z = tl.Z;
  const Tt = T[t];
  for (let j = 0; j < k; j++) {
    let v = 0;
    for (let m = j; m < k; m++) v += Z[i * k + m] * Tt[m * k + j];
    buf[off + j] = v;
  }
}
