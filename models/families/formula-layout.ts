/**
 * A family parameter given by its own linear predictor (brms's distributional formulas `zi ~ x`,
 * glmmTMB's `ziformula`): row i's unconstrained coordinate is u_i = X_p[i,·] β_p, its natural value
 * the parameter's constraint at u_i (logit⁻¹ for zi/hu). Two layouts then describe the family block:
 *   `row`: what the family's functions take per row (familyLayout: one coordinate for zi);
 *   `block`: the coordinates the sampler and the Laplace optimizer see, the formula's slot replaced
 *   by its p coefficients (identity constraint, brms's names `b_zi_Intercept`, `b_zi_minedno`).
 * The family's row terms give ∂ℓ_i/∂u_i; the coefficients' gradient is Σ_i ∂ℓ_i/∂u_i X_p[i,·]
 * (pullRow). Without formulas both layouts are the family's and every row sees the same values.
 */
import type { Family, FamilyParamName, FamilyValues } from './types.js';
import { familyLayout, type FamilyLayout, type ParamSlot } from './layout.js';
import { IDENTITY_TRANSFORM, type Constraint } from './constraints.js';

/**
 * A formula for one family parameter: its model matrix on the fit's rows, and its random terms
 * (`R`: src/design's RandomTerm, which models/ cannot name; their row contribution is added to u_i by
 * the caller that holds their effects, `extra` of fillRow).
 */
export interface ParamFormula<R = unknown> {
  /** The parameter it predicts (the family's `zi` or `hu`). */
  readonly param: FamilyParamName;
  /** n × p row-major. */
  readonly X: Float64Array;
  readonly p: number;
  /** brms names of the coefficients: b_zi_Intercept, b_zi_minedno. */
  readonly names: readonly string[];
  /** The formula as written (`~ mined`), for the summary. */
  readonly formula?: string;
  /**
   * The formula's random terms (`--zi '~ mined + (1|site)'`), lme4's mkReTrms of the zero part: their
   * term labels carry the parameter's prefix (`zi_Intercept`), so sd_<group>__<term> and
   * cor_<group>__<t1>__<t2> are brms's names; absent or empty without random terms.
   */
  readonly random?: readonly R[];
}

/** Where a formula's coefficients and its row coordinate sit. */
interface FormulaSlot {
  readonly rowOffset: number;
  readonly blockOffset: number;
  readonly p: number;
  readonly X: Float64Array;
  readonly slot: ParamSlot;
  /** The parameter's own constraint (row value = constrain(X_p[i,·] β_p)). */
  readonly constraint: Constraint;
}

/** The row and block layouts of a family with formulas (module comment). */
export interface FormulaLayout {
  readonly row: FamilyLayout;
  readonly block: FamilyLayout;
  readonly formulas: readonly FormulaSlot[];
  /** Block coordinates copied to row coordinates unchanged: [blockOffset, rowOffset, size] per slot without a formula. */
  readonly copies: readonly (readonly [number, number, number])[];
}

/** The layouts of `family` for response y with `formulas` (none: block = row). */
export function formulaLayout(family: Family, y: Float64Array, formulas: readonly ParamFormula[] = []): FormulaLayout {
  const row = familyLayout(family, y);
  const out: FormulaSlot[] = [];
  const copies: [number, number, number][] = [];
  let dim = 0;
  const slots = row.slots.map((s): ParamSlot => {
    const f = formulas.find((g) => g.param === s.param.name);
    const offset = dim;
    if (!f) {
      copies.push([offset, s.offset, s.size]);
      dim += s.size;
      return { ...s, offset };
    }
    const param = { ...s.param, constraint: IDENTITY_TRANSFORM, size: () => f.p, start: () => startCoefs(s, y, f.p) };
    const slot: ParamSlot = { param, offset, size: f.p, names: f.names };
    out.push({ rowOffset: s.offset, blockOffset: offset, p: f.p, X: f.X, slot, constraint: s.param.constraint });
    dim += f.p;
    return slot;
  });
  return { row, block: { slots, dim }, formulas: out, copies };
}

/** The coefficients' start: the parameter's own start on the unconstrained scale in the first (intercept) column, 0 elsewhere. */
function startCoefs(s: ParamSlot, y: Float64Array, p: number): Float64Array {
  const u = new Float64Array(1);
  s.param.constraint.unconstrain(s.param.start(y, 1), 0, 1, u, 0);
  const b = new Float64Array(p);
  b[0] = u[0];
  return b;
}

/** For each row coordinate in order: the block coordinate it copies, or the formula (its coefficients' block offset, p, X). */
export function rowCoordSources(fl: FormulaLayout): ({ readonly block: number } | { readonly formula: { readonly blockOffset: number; readonly p: number; readonly X: Float64Array } })[] {
  const out: ({ block: number } | { formula: FormulaSlot })[] = new Array(fl.row.dim);
  for (const [from, to, size] of fl.copies) for (let k = 0; k < size; k++) out[to + k] = { block: from + k };
  for (const f of fl.formulas) out[f.rowOffset] = { formula: f };
  return out;
}

/** Whether the layout has a formula (rows then differ). */
export function hasFormulas(fl: FormulaLayout): boolean {
  return fl.formulas.length > 0;
}

/**
 * Per formula (fl.formulas order), the row contribution of its random terms Σ_t Z_t[i,·] r_t[level(i)]
 * (length n), or null for a formula without them: what the caller holding the effects adds to u_i.
 */
export type FormulaExtra = readonly (ArrayLike<number> | null)[];

/**
 * Row i's coordinates of the row layout into ur from the block's values b[bo..): copied, and for a
 * formula X_p[i,·] β_p (+ extra[f][i], its random terms' part); with `natural` the values are natural
 * (block values natural, the formula's value through the parameter's constraint), else unconstrained.
 */
export function fillRow(fl: FormulaLayout, b: ArrayLike<number>, bo: number, i: number, ur: Float64Array, natural = false, extra?: FormulaExtra): Float64Array {
  for (const [from, to, size] of fl.copies) for (let k = 0; k < size; k++) ur[to + k] = b[bo + from + k];
  for (let fi = 0; fi < fl.formulas.length; fi++) {
    const f = fl.formulas[fi];
    const add = extra?.[fi];
    let e = add ? add[i] : 0;
    const r = i * f.p;
    for (let j = 0; j < f.p; j++) e += f.X[r + j] * b[bo + f.blockOffset + j];
    ur[f.rowOffset] = e;
    if (natural) f.constraint.constrain(ur, f.rowOffset, 1, ur, f.rowOffset);
  }
  return ur;
}

/** gb[go + block coordinate] += the chain rule of row i's gradient gr (in the row layout's coordinates, read at gr[ro..)). */
export function pullRow(fl: FormulaLayout, gr: ArrayLike<number>, ro: number, i: number, gb: Float64Array, go = 0): void {
  for (const [from, to, size] of fl.copies) for (let k = 0; k < size; k++) gb[go + from + k] += gr[ro + to + k];
  for (const f of fl.formulas) {
    const g = gr[ro + f.rowOffset];
    const r = i * f.p;
    for (let j = 0; j < f.p; j++) gb[go + f.blockOffset + j] += g * f.X[r + j];
  }
}

/**
 * The natural values of every row from the block's natural values `aux` (the Laplace fit's and the
 * predictions' view) and the formulas' random-term parts `extra` (FormulaExtra): `at(i)` is row i's
 * FamilyValues (the same array for every row without formulas).
 */
export function rowValues(fl: FormulaLayout, aux: FamilyValues, extra?: FormulaExtra): (i: number) => FamilyValues {
  if (!hasFormulas(fl)) return () => aux;
  const ur = new Float64Array(fl.row.dim);
  return (i) => fillRow(fl, aux, 0, i, ur, true, extra);
}

/** The index in fl.formulas of the formula of parameter `param`, or −1. */
export function formulaIndex(fl: FormulaLayout, param: string): number {
  return fl.formulas.findIndex((f) => f.slot.param.name === param);
}
