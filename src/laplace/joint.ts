/**
 * The inner problem of the Laplace fit of a GLMM with two linear predictors that both carry random
 * effects (a zero-inflated / hurdle family whose zero formula has terms, glmmTMB's
 * `ziformula = ~ x + (1|g)`), as TMB computes it (Kristensen et al. 2016, JSS 70(5), eq. 2–4):
 *   η = Xβ + offset + Z_c Λ_c u_c,   ζ = X_z β_z + Z_z Λ_z u_z   (ζ = logit zi or logit hu),
 *   û = argmax_u f(u),  f(u) = Σ_i ℓ_i(η_i, ζ_i) − ½‖u‖²,  u = (u_c, u_z) spherical,
 *   −2 log L ≈ −2 Σ_i ℓ_i(η̂_i, ζ̂_i) + ‖û‖² + log det H,  H = I + Λᵀ Zᵀ W Z Λ,
 * with W_i the 2 × 2 negative Hessian of ℓ_i in (η_i, ζ_i) (exact, as TMB's: the observed, not the
 * expected, information). One predictor's PIRLS weights cannot give the cross term W_ηζ, so the mode is
 * found by damped Newton on the dense H. The family gives ∂ℓ/∂η and ∂ℓ/∂ζ analytically (`jsLikelihood`
 * row terms, ζ being the zero coordinate's unconstrained scale); W by central differences of those.
 * Dense float64: fine for the sizes glmmTMB users fit (up to {@link JOINT_MAX_Q} random effects).
 */
import type { Design, RandomTerm } from '../design/types.js';
import type { Family, Link, RowLikelihood } from '../../models/families/types.js';
import { formulaLayout, fillRow, type FormulaLayout } from '../../models/families/formula-layout.js';
import { constrainFamily } from '../../models/families/layout.js';
import { thetaLayout, thetaTemplates, type ThetaLayout } from '../design/theta.js';
import { choleskyInPlace } from '../linalg/cholesky.js';
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

/** The conditional mode at one outer point. */
export interface JointMode {
  readonly u: Float64Array;
  /** Σ ℓ_i with every constant. */
  readonly sumLogLik: number;
  /** Lower Cholesky factor of H at û (q × q), null when H is not positive definite. */
  readonly L: Float64Array | null;
  readonly logDetH: number;
  /** −2 Σ ℓ + ‖û‖² + log det H; +∞ when H is not positive definite or the rows are invalid. */
  readonly deviance: number;
  readonly converged: boolean;
  readonly iterations: number;
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
  const row = family.jsLikelihood(link.name, design.response.y, design.response.trials ?? new Float64Array(design.nobs).fill(1)).row;
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
function predictors(m: JointModel, fp: FixedParts, zl: ZLambda, u: Float64Array, i: number, out: Float64Array): void {
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
function rowAt(m: JointModel, fp: FixedParts, i: number, eta: number, zeta: number, sc: RowScratch, g?: Float64Array): number {
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

/** f(u) = Σ ℓ_i − ½‖u‖² (with the rows' constants); −∞ when a row is not finite. */
export function jointObjective(m: JointModel, fp: FixedParts, zl: ZLambda, u: Float64Array, sc: RowScratch = scratch(m)): number {
  let s = 0;
  for (let i = 0; i < m.design.nobs; i++) {
    predictors(m, fp, zl, u, i, sc.ez);
    s += rowAt(m, fp, i, sc.ez[0], sc.ez[1], sc) + m.rowConst[i];
  }
  let uu = 0;
  for (let j = 0; j < u.length; j++) uu += u[j] * u[j];
  const f = s - uu / 2;
  return Number.isFinite(f) ? f : -Infinity;
}

/** The gradient ∇f = (ZΛ)ᵀ(ℓ_η, ℓ_ζ) − u and H = I + (ZΛ)ᵀ W (ZΛ) (dense q × q) at u. */
export function jointGradientHessian(m: JointModel, fp: FixedParts, zl: ZLambda, u: Float64Array): { grad: Float64Array; H: Float64Array; value: number } {
  const q = m.q, K = zl.K, sc = scratch(m);
  const grad = Float64Array.from(u, (v) => -v);
  const H = new Float64Array(q * q);
  for (let j = 0; j < q; j++) H[j * q + j] = 1;
  const g = new Float64Array(2), w = new Float64Array(3);
  let s = 0;
  for (let i = 0; i < m.design.nobs; i++) {
    predictors(m, fp, zl, u, i, sc.ez);
    s += rowDerivatives(m, fp, i, sc.ez[0], sc.ez[1], g, w, sc) + m.rowConst[i];
    for (let a = i * K; a < (i + 1) * K; a++) {
      const ca = zl.cols[a], va = zl.vals[a], pa = zl.part[a];
      grad[ca] += va * g[pa];
      for (let b = i * K; b < (i + 1) * K; b++) {
        const wab = w[zl.part[b] + pa];
        H[ca * q + zl.cols[b]] += va * zl.vals[b] * wab;
      }
    }
  }
  let uu = 0;
  for (let j = 0; j < q; j++) uu += u[j] * u[j];
  return { grad, H, value: s - uu / 2 };
}

/** δ = (H + λI)⁻¹ g with the smallest λ ∈ {0, 1e-6·…, ×10} that makes H + λI positive definite. */
function dampedStep(H: Float64Array, g: Float64Array, q: number): Float64Array {
  let lambda = 0;
  for (let t = 0; t < 30; t++) {
    const A = Float64Array.from(H);
    for (let j = 0; j < q; j++) A[j * q + j] += lambda;
    if (choleskyInPlace(A, q) !== null) return cholSolve(A, q, g);
    lambda = lambda === 0 ? 1e-6 : lambda * 10;
  }
  return Float64Array.from(g);
}

/** x = (L Lᵀ)⁻¹ b with L the lower factor (q × q). */
export function cholSolve(L: Float64Array, q: number, b: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(b);
  for (let i = 0; i < q; i++) {
    let v = x[i];
    for (let k = 0; k < i; k++) v -= L[i * q + k] * x[k];
    x[i] = v / L[i * q + i];
  }
  for (let i = q - 1; i >= 0; i--) {
    let v = x[i];
    for (let k = i + 1; k < q; k++) v -= L[k * q + i] * x[k];
    x[i] = v / L[i * q + i];
  }
  return x;
}

/**
 * The joint conditional mode by damped Newton from uStart (step halving on f; H + λI where H is not
 * positive definite), then the Laplace deviance there; +∞ when H at the mode is not positive definite.
 */
export function jointMode(m: JointModel, pt: JointPoint, uStart: Float64Array, maxIter = 100): JointMode {
  const fp = fixedParts(m, pt);
  const zl = zLambda(m, pt.theta);
  const q = m.q;
  let u = Float64Array.from(uStart);
  let f = jointObjective(m, fp, zl, u);
  if (!Number.isFinite(f)) { u = new Float64Array(q); f = jointObjective(m, fp, zl, u); }
  let converged = false, it = 0;
  let atU: ReturnType<typeof jointGradientHessian> | null = null;
  for (; it < maxIter && Number.isFinite(f); it++) {
    atU = jointGradientHessian(m, fp, zl, u);
    const { grad, H } = atU;
    const delta = dampedStep(H, grad, q);
    let dec = 0, step0 = 0;
    for (let j = 0; j < q; j++) { dec += grad[j] * delta[j]; step0 = Math.max(step0, Math.abs(delta[j])); }
    // the mode to ~1e-12 in u, not only f to its rounding: the deviance's log det H is not stationary
    // in u, and the outer fit differentiates the deviance by differences (steps 1e-5 and 1e-4)
    if (step0 < 1e-11 * Math.max(1, ...Array.from(u, Math.abs))) { converged = true; break; }
    // near the mode f's gain (dec/2) is at its rounding level: Newton's full step, quadratic there
    if (dec < 1e-10 * (1 + Math.abs(f))) {
      u = Float64Array.from(u, (v, j) => v + delta[j]);
      f = jointObjective(m, fp, zl, u);
      atU = null;
      continue;
    }
    let step = 1, accepted = false;
    for (let h = 0; h < 40; h++, step /= 2) {
      const un = Float64Array.from(u, (v, j) => v + step * delta[j]);
      const fn = jointObjective(m, fp, zl, un);
      if (fn >= f) { u = un; f = fn; accepted = true; atU = null; break; }
    }
    if (!accepted) { converged = true; break; }
  }
  return laplaceAtMode(m, atU ?? jointGradientHessian(m, fp, zl, u), u, converged, it);
}

/** The deviance −2 Σℓ + ‖u‖² + log det H at the mode u (`at`: f and H there). */
function laplaceAtMode(m: JointModel, at: { readonly H: Float64Array; readonly value: number }, u: Float64Array, converged: boolean, iterations: number): JointMode {
  const { H, value } = at;
  const L = Float64Array.from(H);
  const logDetH = choleskyInPlace(L, m.q);
  let uu = 0;
  for (let j = 0; j < m.q; j++) uu += u[j] * u[j];
  const sumLogLik = value + uu / 2;
  const ok = logDetH !== null && Number.isFinite(value);
  return {
    u, sumLogLik, L: ok ? L : null, logDetH: logDetH ?? NaN,
    deviance: ok ? -2 * sumLogLik + uu + (logDetH as number) : Infinity, converged, iterations,
  };
}
