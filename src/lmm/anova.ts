/**
 * Type III F table of a linear mixed model (lmerTest's anova(type = 3), SAS/JMP "Fixed Effect
 * Tests") with Kenward–Roger or Satterthwaite denominator df. A term not contained in a higher-order
 * term is tested by its own columns (Lβ = 0 selects them), which is its Type III hypothesis under any
 * coding. A factor term contained in an interaction is tested on the reference grid: its
 * sum-to-zero contrasts of the cell means, averaged over the other factors with equal weights
 * (SAS's Type III for factor models; emmeans' joint_tests), covariates at their means.
 * ddf "asymptotic" gives Wald χ²/q tests (denominator df ∞).
 */
import type { LmmFit } from './lmm.js';
import { GlmmInputError } from '../../base/errors.js';
import { designGrid, fixedTerms, type GridSpec, type FixedTerm } from '../design/refgrid.js';
import { defaultDdf, vcovAdj, krF } from './kenward-roger.js';
import { satterthwaiteCore, satterthwaiteF, type FTest } from './satterthwaite.js';
import { gridOf, type DdfMethod } from './lsmeans.js';
import { qform, invGeneral } from '../linalg/dense.js';
import { pfUpper } from '../../base/distributions.js';

/** One row of the F table. */
export interface AnovaRow extends FTest {
  readonly term: string;
  readonly method: DdfMethod;
}

/** The hypothesis rows L of a term's Type III test. */
export function typeIIIRows(fit: LmmFit, term: FixedTerm, terms: readonly FixedTerm[], grid: GridSpec): Float64Array[] {
  const p = fit.beta.length;
  const contained = terms.some((t) => t !== term && t.label !== term.label &&
    term.factors.every((f) => t.factors.includes(f)) && term.numerics.every((v) => t.numerics.includes(v)) &&
    t.factors.length + t.numerics.length > term.factors.length + term.numerics.length);
  if (!contained) return term.columns.map((j) => Float64Array.from({ length: p }, (_, i) => (i === j ? 1 : 0)));
  if (term.numerics.length > 0) throw new GlmmInputError(`term '${term.label}' has a covariate and is contained in an interaction: its Type III test is not defined here; test the interaction or centre the covariate`);
  const g = designGrid(fit.design, grid);
  const fi = term.factors.map((f) => g.factors.indexOf(f));
  // rows: for each combination of contrast indices k_f ∈ [0, n_f − 1) over the term's factors
  const dims = fi.map((f) => g.levels[f].length - 1);
  const nRows = dims.reduce((s, d) => s * d, 1);
  const rows: Float64Array[] = [];
  for (let r = 0; r < nRows; r++) {
    const ks: number[] = [];
    let rr = r;
    for (const d of dims) { ks.push(rr % d); rr = Math.floor(rr / d); }
    const ell = new Float64Array(p);
    g.cells.forEach((cell, c) => {
      let w = 1;
      g.factors.forEach((_, f) => {
        const pos = fi.indexOf(f), nf = g.levels[f].length;
        // sum-to-zero contrast: level k minus the last level; other factors averaged
        w *= pos < 0 ? 1 / nf : cell[f] === ks[pos] ? 1 : cell[f] === nf - 1 ? -1 : 0;
      });
      if (w !== 0) for (let j = 0; j < p; j++) ell[j] += w * g.rows[c][j];
    });
    rows.push(ell);
  }
  return rows;
}

/** Wald F = (Lβ)ᵀ(L vcov Lᵀ)⁻¹(Lβ)/q on q and ∞ df (the χ²_q/q test). */
function waldF(fit: LmmFit, L: readonly Float64Array[]): FTest {
  const p = fit.beta.length, q = L.length;
  const M = new Float64Array(q * q), Lb = new Float64Array(q);
  for (let i = 0; i < q; i++) {
    for (let j = 0; j < q; j++) M[i * q + j] = qform(L[i], fit.vcov, L[j], p);
    for (let j = 0; j < p; j++) Lb[i] += L[i][j] * fit.beta[j];
  }
  const F = qform(Lb, invGeneral(M, q), Lb, q) / q;
  return { F, numDf: q, denDf: Infinity, p: pfUpper(F, q, Infinity) };
}

/** The Type III F table, one row per fixed term (the intercept is not tested). */
export function anovaTable(fit: LmmFit, opts: { grid?: GridSpec; ddf?: DdfMethod } = {}): AnovaRow[] {
  const method = opts.ddf ?? defaultDdf(fit);
  const grid = gridOf(fit, opts.grid);
  const terms = fixedTerms(fit.design.fixed.columns, grid);
  const kr = method === 'kenward-roger' ? vcovAdj(fit) : null;
  const sc = method === 'satterthwaite' ? satterthwaiteCore(fit) : null;
  return terms.map((t) => {
    const L = typeIIIRows(fit, t, terms, grid);
    const r = kr ? krF(fit, L, kr) : sc ? satterthwaiteF(fit, L, sc) : waldF(fit, L);
    return { term: t.label, method, ...r };
  });
}
