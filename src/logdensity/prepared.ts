/**
 * The constant tensors of one compiled log density (built once by src/target/compile.ts) as the blocks
 * of blocks.ts and the body of body.ts see them. Every product with a transposed constant uses a
 * stored transpose: tfjs-wasm's matMul with transposeB is 10–15× slower than the plain product
 * ([1024, 48]·[70, 48]ᵀ 5 ms against 0.5 ms).
 */
import type { Tensor } from '@tensorflow/tfjs';
import type { CompiledLikelihood } from './likelihood.js';
import type { CorrelatedLayout } from './correlated.js';
import type { UserParts } from './user.js';

/** A term as the blocks see it. */
export interface PreparedTerm extends CorrelatedLayout {
  readonly correlated: boolean;
  readonly sdOffset: number;
  /** Gather path: x[:, index·k + a] with a segment-sum gradient, and Z [1, n, k]; null on the dense path. */
  readonly gather: ((x: Tensor) => Tensor) | null;
  readonly segmentSum: ((dy: Tensor) => Tensor) | null;
  readonly Z: Tensor | null;
  /** Dense path, non-centred correlated term: [nLevels·k, n] one-hot·Z, and its transpose [n, nLevels·k]. */
  readonly corrM: Tensor | null;
  readonly corrMT: Tensor | null;
}

/** Priors on sd x = e^u: A log1p(B (x−m)²) + Q (x−m)² + D x + (E+1) u (models/priors.ts logPriorForm). */
export interface PositivePriors {
  readonly m: Tensor | null;
  readonly B: Tensor | null;
  readonly hasA: boolean;
  readonly hasQ: boolean;
  readonly hasD: boolean;
  /** The coefficients A | Q | D | E+1 present, stacked as a column for one matMul. */
  readonly coef: Tensor;
  readonly A2B: Tensor | null;
  readonly Q2: Tensor | null;
  readonly D: Tensor | null;
  readonly E1: Tensor;
}

/** One row coordinate of the family (Prepared.famCols). */
export interface FamilyColumn {
  readonly offset: number;
  readonly p: number;
  readonly X: Tensor | null;
  readonly Xt: Tensor | null;
  /**
   * A formula with random terms (--zi '~ x + (1|g)'): its row coordinate is row block `etaBlock` of the
   * stacked linear predictor (X_p and the terms' one-hot Z folded into denseM, so its gradient comes
   * back through the linear predictor's reverse pass); absent otherwise.
   */
  readonly etaBlock?: number;
}

/** Constant tensors and sizes of one compiled density. */
export interface Prepared {
  readonly dim: number;
  readonly p: number;
  readonly n: number;
  /** Number of sd coordinates (contiguous from p). */
  readonly nSd: number;
  readonly nPos: number;
  /** First coordinate of the contiguous sd block, or −1 (then posSel selects them). */
  readonly posStart: number;
  readonly posSel: Tensor | null;
  readonly posSelT: Tensor | null;
  /** q-offset of the family parameters' unconstrained block (famDim coordinates), or −1. */
  readonly famOffset: number;
  readonly famDim: number;
  /**
   * The family's row coordinates in order (models/families/formula-layout.ts): each one block
   * coordinate at q-offset `offset` ([C, 1]), or a formula's p coefficients there with X [n, p] and
   * Xᵀ [p, n] (u = β Xᵀ [C, n], ∂/∂β = g X); empty when famOffset < 0.
   */
  readonly famCols: readonly FamilyColumn[];
  /**
   * Row blocks of the linear predictor (dense path): 1, or 1 + the formulas with random terms, whose row
   * coordinates follow η as blocks of n columns of v·M (FamilyColumn.etaBlock).
   */
  readonly etaBlocks: number;
  /** scale = sd·E + base: 1 at β and centred r, sd at non-centred uncorrelated z (and 1 at a stacked formula's coefficients). */
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
  /** The scalar 1 (a literal in an op would be uploaded at every call). */
  readonly one: Tensor;
  readonly wq: Tensor;
  readonly w2: Tensor;
  readonly mq: Tensor | null;
  /** Student-t/Cauchy priors on β: A log1p(B (x − m)²). */
  readonly t: { sel: Tensor; selT: Tensor; m: Tensor; B: Tensor; A: Tensor; A2B: Tensor } | null;
  readonly pos: PositivePriors | null;
  /** The built-in likelihood, or null when a custom family replaces it. */
  readonly likelihood: CompiledLikelihood | null;
  readonly rowSumInJs: boolean;
  /** Extra parameters, user terms and a custom family (user.ts), or null. */
  readonly user: UserParts | null;
}
