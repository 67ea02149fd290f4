/**
 * The per-row log-likelihood of a family × link on the linear predictor η [C, n] (float32 tfjs), on
 * the η scale in stable forms, together with its analytic derivatives: g = ∂ℓ_i/∂η_i and, for
 * families with parameters, ∂/∂ each unconstrained family coordinate u_k. Each family's tfjs ops are its own file in families/
 * (keyed by name in families/table.ts). Values split into parameter-dependent rows, a per-chain
 * term and a float64 constant, so that
 * Σ_i family.logLik(y_i, linkinv(η_i), aux, trials_i) = Σ rows + perChain + paramOnly(u) + constant,
 * where paramOnly (terms of the family parameters alone) is the float64 family's, evaluated on the JS side.
 * Derivatives computed here in the forward pass are the vector-Jacobian product of the fused density
 * block (blocks.ts densityOp), so tfjs's tape records no op of the likelihood.
 */
import { tf } from './tfjs.js';
import type { Tensor } from '@tensorflow/tfjs';
import type { FamilyName, JsLikelihood, LinkName } from '../../models/families/types.js';
import { getFamily } from '../../models/families/getFamily.js';
import { TFJS_FAMILIES } from './families/table.js';
import type { FamilyColumns, LikelihoodEval } from './families/types.js';

export type { LikelihoodEval } from './families/types.js';

/** A compiled likelihood: evaluate(η, u) plus the float64 constant. */
export interface CompiledLikelihood {
  readonly evaluate: (eta: Tensor, u: FamilyColumns | null) => LikelihoodEval;
  readonly constant: number;
  /** Whether evaluate returns a tfjs perChain term. */
  readonly hasPerChain: boolean;
  /** The terms that depend on the family parameters only, in float64 on the JS side (JsLikelihood.paramOnly). */
  readonly paramOnly: JsLikelihood['paramOnly'];
  readonly dispose: () => void;
}

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
  const build = TFJS_FAMILIES[family];
  if (!build) throw new Error(`no likelihood for ${family}/${link}`);
  const { evaluate, constant } = build(link, { y, trials: nT, row });
  const paramOnly = getFamily(family).jsLikelihood(link, y, nT).paramOnly;
  return { evaluate, constant, hasPerChain: false, paramOnly, dispose: () => tf.dispose(kept) };
}
