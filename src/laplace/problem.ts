/**
 * One GLMM Laplace problem: the design, its θ layout, the PIRLS model and the penalized systems — what
 * does not change during the fit (lme4's glmerMod before optimization).
 */
import type { Design } from '../design/types.js';
import type { Family, Link } from '../../models/families/types.js';
import type { FamilyLayout } from '../../models/families/layout.js';
import { formulaLayout } from '../../models/families/formula-layout.js';
import { thetaLayout, type ThetaLayout } from '../design/theta.js';
import { buildSystem, type PenalizedSystem } from './system.js';
import { pirlsModel, type PirlsModel } from './pirls.js';

/** Everything about one model that does not change during the fit. */
export interface LaplaceProblem {
  readonly design: Design;
  readonly structure: ThetaLayout;
  readonly model: PirlsModel;
  /** The u-only system (nAGQ = 1 stage, β fixed). */
  readonly sysU: PenalizedSystem;
  /** The joint (u, β) system of the nAGQ = 0 stage, built on first use. */
  sysJ(): PenalizedSystem;
  /** The family parameters, optimized on their unconstrained coordinates (the last layout.dim entries of x; a parameter with a formula: its coefficients). */
  readonly fam: FamilyLayout;
}

/** Sets up the structure and systems. */
export function makeProblem(design: Design, family: Family, link: Link): LaplaceProblem {
  const structure = thetaLayout(design);
  const sysU = buildSystem(design, structure, false);
  let joint: PenalizedSystem | null = null;
  return {
    design,
    structure,
    model: pirlsModel(design, family, link),
    sysU,
    sysJ: () => (joint ??= buildSystem(design, structure, true)),
    fam: formulaLayout(family, design.response.y, design.paramFormulas).block,
  };
}

/** The problem at the optimum the fit found (read by summarize.ts and profile.ts). */
export interface Optimum {
  readonly prob: LaplaceProblem;
  /** x = [θ, β, u] with u the family parameters' unconstrained coordinates. */
  readonly x: Float64Array;
  readonly deviance: number;
  readonly nAGQ: number;
  /** Hessian of the deviance in x at the optimum (d × d), when computed: the profiles' starting curvature. */
  readonly hessian?: Float64Array;
}
