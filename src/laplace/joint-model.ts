/**
 * The model of the joint Laplace fit (joint.ts) of a GLMM with two linear predictors that both carry
 * random effects: η = Xβ + offset + Z_c Λ_c u_c for the count part, ζ = X_z β_z + Z_z Λ_z u_z for the
 * zero part (ζ = logit zi or logit hu, the zero coordinate's unconstrained scale). What does not change
 * with the outer parameters (both parts' θ layouts, the family's row layout, the rows' constants), the
 * outer point's parts (ZΛ's non-zeros per row, η₀, ζ₀), and each row's ℓ_i with its gradient and
 * negative Hessian W_i in (η_i, ζ_i): ∂ℓ/∂η and ∂ℓ/∂ζ analytic (the family's `jsLikelihood` row terms),
 * W by central differences of those (TMB takes W exact by automatic differentiation).
 */
import type { Design, RandomTerm } from '../design/types.js';
import type { Family, Link, RowLikelihood } from '../../models/families/types.js';
import { formulaLayout, fillRow, type FormulaLayout } from '../../models/families/formula-layout.js';
import { constrainFamily } from '../../models/families/layout.js';
import { thetaLayout, thetaTemplates, type ThetaLayout } from '../design/theta.js';
import { GlmmInputError } from '../../base/errors.js';

/** Largest number of random effects (both parts) of the dense joint Laplace. */
export const JOINT_MAX_Q = 3000;

/** Step of the central differences of the analytic first derivatives that give W. */
const W_STEP = 1e-4;

/** Everything about the model that does not change with the outer parameters. */
export interface JointModel {
  readonly design: Design;
  readonly family: Family;
  readonly link: Link;
  readonly count: ThetaLayout;
  readonly zero: ThetaLayout;
  /** Random effects of both parts: u = (u_c, u_z), q = q_c + q_z. */
  readonly q: number;
  /** θ of both parts: (θ_c, θ_z). */
  readonly nTheta: number;
  /** The family block (count parameters, then the zero formula's coefficients) and the row layout. */
  readonly fl: FormulaLayout;
  /** The row coordinate the zero predictor ζ is (the zero parameter's slot in the row layout). */
  readonly zeroRow: number;
  /** The zero formula's dpar name (zi, hu) for the names. */
  readonly dpar: string;
  readonly row: RowLikelihood;
  /** Per row, log p(y_i) minus the row term's value (the constant of y alone the row terms leave out). */
  readonly rowConst: Float64Array;
}

/** The outer point: θ = (θ_c, θ_z), β, and the family block's unconstrained coordinates. */
export interface JointPoint {
  readonly theta: Float64Array;
  readonly beta: Float64Array;
  readonly block: Float64Array;
}

/** x → the outer point (θ, β, block). */
export function splitJoint(m: JointModel, x: ArrayLike<number>): JointPoint {
  const nt = m.nTheta, p = m.design.fixed.p;
  return {
    theta: Float64Array.from({ length: nt }, (_, i) => x[i]),
    beta: Float64Array.from({ length: p }, (_, i) => x[nt + i]),
    block: Float64Array.from({ length: m.fl.block.dim }, (_, i) => x[nt + p + i]),
  };
}

/** The zero formula with random terms: the design's one formula whose `random` is non-empty, or null. */
export function zeroFormulaWithTerms(design: Design): { readonly index: number; readonly random: readonly RandomTerm[] } | null {
  const fs = design.paramFormulas ?? [];
  const withTerms = fs.flatMap((f, index) => (f.random && f.random.length > 0 ? [{ index, random: f.random }] : []));
  if (withTerms.length > 1) throw new GlmmInputError(`only one family-parameter formula may have random-effect terms; ${withTerms.map((w) => fs[w.index].param).join(' and ')} both do`);
  return withTerms[0] ?? null;
}

/** Sets up the joint model (the design's zero formula must have random terms). */
export function jointModel(design: Design, family: Family, link: Link): JointModel {
  const zf = zeroFormulaWithTerms(design);
  if (!zf) throw new Error('jointModel: no family-parameter formula has random-effect terms');
  const pf = (design.paramFormulas ?? [])[zf.index];
  const count = thetaLayout(design);
  const zero = thetaLayout({ ...design, random: zf.random });
  const q = count.q + zero.q;
  if (q > JOINT_MAX_Q) {
    const label = (ts: readonly RandomTerm[]): string => ts.map((t) => `(${t.columns.map((c) => (c === '(Intercept)' ? '1' : c)).join(' + ')} | ${t.group})`).join(' + ');
    const terms = `the count part's ${label(design.random)} and the zero part's ${label(zf.random)}`;
    throw new GlmmInputError(`the joint Laplace fit of a zero formula with random effects is dense and handles up to ${JOINT_MAX_Q} random effects; ${terms} give ${q}: use fewer levels or drop a term`);
  }
  const fl = formulaLayout(family, design.response.y, design.paramFormulas);
  const slot = fl.formulas.find((f) => f.slot.param.name === pf.param);
  if (!slot) throw new Error(`jointModel: no formula slot for ${pf.param}`);
  const jsl = family.jsLikelihood(link.name, design.response.y, design.response.trials ?? new Float64Array(design.nobs).fill(1));
  // the zero-modified families have no terms of their parameters alone; the deviance here has no place for them
  if (jsl.paramOnly !== null) throw new Error(`jointModel: family ${family.name} has parameter-only terms, which the joint fit does not add`);
  const row = jsl.row;
  const m0 = { design, family, link, count, zero, q, nTheta: count.nTheta + zero.nTheta, fl, zeroRow: slot.rowOffset, dpar: pf.param, row, rowConst: new Float64Array(design.nobs) };
  return { ...m0, rowConst: rowConstants(m0, link) };
}

/** log p(y_i) − row value at η = 0 and the row's coordinates 0: the constant the row terms leave to the density. */
function rowConstants(m: Omit<JointModel, 'rowConst'>, link: Link): Float64Array {
  const n = m.design.nobs;
  const ur = new Float64Array(m.fl.row.dim);
  const nat = constrainFamily(m.fl.row, ur, 0, new Float64Array(m.fl.row.dim));
  const out = new Float64Array(2 + m.fl.row.dim);
  const y = m.design.response.y;
  const trials = m.design.response.trials;
  return Float64Array.from({ length: n }, (_, i) => {
    m.row(i, 0, ur, out);
    return m.family.logLik(y[i], link.linkinv(0), nat, trials ? trials[i] : 1) - out[0];
  });
}

/** Per row, the non-zeros of ZΛ in u's joint layout: K entries of (column, value, predictor 0 = η / 1 = ζ). */
export interface ZLambda {
  readonly K: number;
  readonly cols: Int32Array;
  readonly vals: Float64Array;
  readonly part: Uint8Array;
}

/** ZΛ of both parts at θ = (θ_c, θ_z) (Λ = blockdiag(I ⊗ T_t), b = Λu; columns: term, level, column). */
export function zLambda(m: JointModel, theta: Float64Array): ZLambda {
  const n = m.design.nobs;
  const K = m.count.K + m.zero.K;
  const cols = new Int32Array(n * K), vals = new Float64Array(n * K), part = new Uint8Array(n * K);
  const parts = [
    { s: m.count, T: thetaTemplates(m.count, theta.subarray(0, m.count.nTheta)), off: 0 },
    { s: m.zero, T: thetaTemplates(m.zero, theta.subarray(m.count.nTheta)), off: m.count.q },
  ];
  for (let i = 0; i < n; i++) {
    let e = i * K;
    parts.forEach(({ s, T, off }, pi) => {
      s.terms.forEach((t, ti) => {
        const k = t.k, Z = t.term.Z, Tt = T[ti];
        const col0 = off + t.uOffset + t.term.index[i] * k;
        for (let j = 0; j < k; j++) {
          let v = 0;
          for (let a = j; a < k; a++) v += Z[i * k + a] * Tt[a * k + j];
          cols[e] = col0 + j; vals[e] = v; part[e] = pi; e++;
        }
      });
    });
  }
  return { K, cols, vals, part };
}

/** The fixed parts of both predictors at (β, block): η₀ = Xβ + offset, ζ₀ = X_z β_z, and the row coordinates' other values. */
export interface FixedParts {
  readonly eta0: Float64Array;
  /** Row i's unconstrained row coordinates (ζ₀ in the zero slot), n × row.dim. */
  readonly ur: Float64Array;
  readonly dim: number;
}

/** η₀ and the rows' unconstrained coordinates at the outer point. */
export function fixedParts(m: JointModel, pt: JointPoint): FixedParts {
  const d = m.design, n = d.nobs, { X, p } = d.fixed, dim = m.fl.row.dim;
  const eta0 = new Float64Array(n), ur = new Float64Array(n * dim), r = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    let v = d.offset ? d.offset[i] : 0;
    for (let j = 0; j < p; j++) v += X[i * p + j] * pt.beta[j];
    eta0[i] = v;
    fillRow(m.fl, pt.block, 0, i, r);
    ur.set(r, i * dim);
  }
  return { eta0, ur, dim };
}

/** Row i's predictors (η_i, ζ_i) at u into out[0], out[1]. */
export function predictors(m: JointModel, fp: FixedParts, zl: ZLambda, u: Float64Array, i: number, out: Float64Array): void {
  let eta = fp.eta0[i], zeta = fp.ur[i * fp.dim + m.zeroRow];
  for (let e = i * zl.K; e < (i + 1) * zl.K; e++) {
    if (zl.part[e] === 0) eta += zl.vals[e] * u[zl.cols[e]];
    else zeta += zl.vals[e] * u[zl.cols[e]];
  }
  out[0] = eta; out[1] = zeta;
}

/** Scratch buffers of one row evaluation. */
export interface RowScratch {
  readonly ur: Float64Array;
  readonly out: Float64Array;
  readonly ez: Float64Array;
  readonly gp: Float64Array;
  readonly gm: Float64Array;
}

/** Scratch buffers for {@link rowDerivatives} and {@link jointObjective}. */
export function scratch(m: JointModel): RowScratch {
  return { ur: new Float64Array(m.fl.row.dim), out: new Float64Array(2 + m.fl.row.dim), ez: new Float64Array(2), gp: new Float64Array(2), gm: new Float64Array(2) };
}

/** ℓ_i (without the row constant) and its gradient (∂/∂η, ∂/∂ζ) into g at (η, ζ). */
export function rowAt(m: JointModel, fp: FixedParts, i: number, eta: number, zeta: number, sc: RowScratch, g?: Float64Array): number {
  sc.ur.set(fp.ur.subarray(i * fp.dim, (i + 1) * fp.dim));
  sc.ur[m.zeroRow] = zeta;
  m.row(i, eta, sc.ur, sc.out);
  if (g) { g[0] = sc.out[1]; g[1] = sc.out[2 + m.zeroRow]; }
  return sc.out[0];
}

/**
 * Row i's value, gradient g = (ℓ_η, ℓ_ζ) and negative Hessian w = (W_ηη, W_ηζ, W_ζζ) at (η, ζ): the
 * second derivatives by central differences (step 1e-4) of the analytic first derivatives, symmetrized.
 */
export function rowDerivatives(m: JointModel, fp: FixedParts, i: number, eta: number, zeta: number, g: Float64Array, w: Float64Array, sc: RowScratch = scratch(m)): number {
  const v = rowAt(m, fp, i, eta, zeta, sc, g);
  const h = W_STEP, { gp, gm } = sc;
  rowAt(m, fp, i, eta + h, zeta, sc, gp);
  rowAt(m, fp, i, eta - h, zeta, sc, gm);
  const hEE = (gp[0] - gm[0]) / (2 * h), hEZ1 = (gp[1] - gm[1]) / (2 * h);
  rowAt(m, fp, i, eta, zeta + h, sc, gp);
  rowAt(m, fp, i, eta, zeta - h, sc, gm);
  const hZZ = (gp[1] - gm[1]) / (2 * h), hEZ2 = (gp[0] - gm[0]) / (2 * h);
  w[0] = -hEE; w[1] = -(hEZ1 + hEZ2) / 2; w[2] = -hZZ;
  return v;
}
