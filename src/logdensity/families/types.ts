/**
 * The tfjs twin of a family (one file per family beside this one, keyed by name in table.ts): its
 * row log-likelihood on η [C, n] in float32 tfjs ops with the analytic ∂/∂η and ∂/∂ each unconstrained
 * family coordinate u_k (models/families/layout.ts order), and the
 * float64 constant. The float64 family itself (models/families/) gives the parameter-only terms.
 */
import type { Tensor } from '@tensorflow/tfjs';
import type { LinkName } from '../../../models/families/types.js';

/**
 * The family coordinates of a batch, one tensor per coordinate k of the family's layout: [C, 1] for one
 * value per chain, [C, n] for a parameter with its own linear predictor (u_ik = X_p[i,·] β_p,
 * models/families/formula-layout.ts); each family's ops broadcast either over the rows.
 */
export type FamilyColumns = readonly Tensor[];

/** Values and derivatives of the log-likelihood at η [C, n] and the family coordinates u (FamilyColumns). */
export interface LikelihoodEval {
  readonly rows: Tensor;
  readonly perChain: Tensor | null;
  /** ∂rows/∂η, [C, n]. */
  readonly g: Tensor;
  /** ∂rows/∂u_k per row [C, n], one per coordinate k, and ∂perChain/∂u_k [C, 1] (null without family parameters). */
  readonly gRowsPar: readonly Tensor[] | null;
  readonly gPerChainPar: readonly Tensor[] | null;
}

/** What a family's tfjs file builds for one data set. */
export interface TfjsRows {
  /** η [C, n] and the family coordinates u (null when the family has none). */
  readonly evaluate: (eta: Tensor, u: FamilyColumns | null) => LikelihoodEval;
  /** The float64 constant: Σ_i of the terms free of parameters (lgamma(y+1), lchoose, log √2π, ...). */
  readonly constant: number;
}

/** Data of one build: the response, the trials (ones without), and `row`, a [1, n] float32 constant kept until dispose. */
export interface TfjsData {
  readonly y: Float64Array;
  readonly trials: Float64Array;
  readonly row: (v: ArrayLike<number>) => Tensor;
}

/** A family's tfjs builder: throws for a link it does not cover. */
export type TfjsFamily = (link: LinkName, d: TfjsData) => TfjsRows;

/** A row evaluation without family parameters. */
export function plain(rows: Tensor, g: Tensor): LikelihoodEval {
  return { rows, g, perChain: null, gRowsPar: null, gPerChainPar: null };
}

/** Tiny weight that turns 0·log(η) into NaN for η < 0 (so μ ≤ 0 gives −∞ for y = 0 rows too). */
export const TINY = 1e-30;
