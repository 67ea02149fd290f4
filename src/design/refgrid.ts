/**
 * The reference grid of a fixed-effects model matrix, as emmeans builds it (Lenth, emmeans `ref_grid`):
 * every combination of the levels of the factors in the model, numeric covariates at their mean;
 * each grid cell gets its model-matrix row x_c so that a cell mean is x_cᵀβ. Marginal means of a
 * factor average the cells over the other factors with equal weights. The column → term map is
 * decoded from R's model.matrix names ("trt1", "gen:long", "trt1:amount") given the factors' levels.
 */
import { GlmmInputError } from '../../base/errors.js';
import type { DataFrame } from '../data/frame.js';
import type { Design } from './types.js';

/** What the grid needs to know beyond the column names. */
export interface GridSpec {
  /** Levels of every factor that may appear in the fixed effects, in R's order. */
  readonly factors: Readonly<Record<string, readonly string[]>>;
  /** Values of numeric covariates (by the name used in the column names); default: the mean of that design column. */
  readonly covariates?: Readonly<Record<string, number>>;
}

/** One part of a column name (the pieces between ':'). */
export type ColumnPart = { kind: 'intercept' } | { kind: 'factor'; factor: string; level: string } | { kind: 'numeric'; name: string };

/** A term of the fixed effects: its label (variables joined by ':') and columns. */
export interface FixedTerm {
  readonly label: string;
  readonly factors: readonly string[];
  readonly numerics: readonly string[];
  readonly columns: readonly number[];
}

/** A reference grid: the factors, the cells (a level per factor) and the p-vector x_c of each cell. */
export interface ReferenceGrid {
  readonly factors: readonly string[];
  readonly levels: readonly (readonly string[])[];
  /** Level index per factor for each cell; the first factor varies fastest (as emmeans/expand.grid). */
  readonly cells: readonly Int32Array[];
  readonly rows: readonly Float64Array[];
  readonly p: number;
}

/** Splits each model.matrix column name into intercept / factor-level / numeric parts. */
export function decodeColumns(columns: readonly string[], spec: GridSpec): ColumnPart[][] {
  const names = Object.keys(spec.factors).sort((a, b) => b.length - a.length);
  return columns.map((col) => {
    if (col === '(Intercept)' || col === 'Intercept') return [{ kind: 'intercept' }];
    return col.split(':').map((part): ColumnPart => {
      for (const f of names) {
        if (part.startsWith(f) && spec.factors[f].includes(part.slice(f.length))) return { kind: 'factor', factor: f, level: part.slice(f.length) };
      }
      return { kind: 'numeric', name: part };
    });
  });
}

/** The fixed terms (R's "assign" groups) in order of first appearance. */
export function fixedTerms(columns: readonly string[], spec: GridSpec): FixedTerm[] {
  const parts = decodeColumns(columns, spec);
  const terms = new Map<string, { factors: string[]; numerics: string[]; columns: number[] }>();
  parts.forEach((ps, j) => {
    if (ps[0].kind === 'intercept') return;
    const vars = ps.map((q) => (q.kind === 'factor' ? q.factor : q.kind === 'numeric' ? q.name : ''));
    const label = vars.join(':');
    if (!terms.has(label)) {
      terms.set(label, { factors: ps.flatMap((q) => (q.kind === 'factor' ? [q.factor] : [])), numerics: ps.flatMap((q) => (q.kind === 'numeric' ? [q.name] : [])), columns: [] });
    }
    terms.get(label)!.columns.push(j);
  });
  return [...terms].map(([label, t]) => ({ label, ...t }));
}

/** Value of each numeric covariate: spec.covariates, else the mean of the design column of that name. */
function covariateValues(columns: readonly string[], X: ArrayLike<number> | null, n: number, parts: ColumnPart[][], spec: GridSpec): Map<string, number> {
  const out = new Map<string, number>();
  const p = columns.length;
  for (const ps of parts) for (const q of ps) {
    if (q.kind !== 'numeric' || out.has(q.name)) continue;
    const given = spec.covariates?.[q.name];
    if (given !== undefined) { out.set(q.name, given); continue; }
    const j = columns.indexOf(q.name);
    if (j < 0 || !X || n === 0) throw new GlmmInputError(`covariate '${q.name}' has no main-effect column to average; give its value in covariates: { '${q.name}': value }`);
    let s = 0;
    for (let i = 0; i < n; i++) s += X[i * p + j];
    out.set(q.name, s / n);
  }
  return out;
}

/** Builds the reference grid of a model matrix (X n × p row-major, used only for covariate means). */
export function referenceGrid(columns: readonly string[], X: ArrayLike<number> | null, n: number, spec: GridSpec): ReferenceGrid {
  const parts = decodeColumns(columns, spec);
  const factors: string[] = [];
  for (const ps of parts) for (const q of ps) if (q.kind === 'factor' && !factors.includes(q.factor)) factors.push(q.factor);
  const levels = factors.map((f) => spec.factors[f]);
  const cov = covariateValues(columns, X, n, parts, spec);
  const total = levels.reduce((s, l) => s * l.length, 1);
  const cells: Int32Array[] = [], rows: Float64Array[] = [];
  for (let c = 0; c < total; c++) {
    const cell = new Int32Array(factors.length);
    let r = c;
    for (let f = 0; f < factors.length; f++) { cell[f] = r % levels[f].length; r = Math.floor(r / levels[f].length); }
    const x = new Float64Array(columns.length);
    parts.forEach((ps, j) => {
      let v = 1;
      for (const q of ps) {
        if (q.kind === 'factor') v *= levels[factors.indexOf(q.factor)][cell[factors.indexOf(q.factor)]] === q.level ? 1 : 0;
        else if (q.kind === 'numeric') v *= cov.get(q.name)!;
      }
      x[j] = v;
    });
    cells.push(cell);
    rows.push(x);
  }
  return { factors, levels, cells, rows, p: columns.length };
}

/** The grid of a Design (covariates at the means of their columns over the fitted rows). */
export function designGrid(design: Pick<Design, 'fixed' | 'nobs'>, spec: GridSpec): ReferenceGrid {
  return referenceGrid(design.fixed.columns, design.fixed.X, design.nobs, spec);
}

/** Marginal-mean vectors ℓ_a (ℓ_aᵀβ = mean of level a of `factor`, equal weights over the other factors). */
export function marginalRows(grid: ReferenceGrid, factor: string): { levels: readonly string[]; L: Float64Array[] } {
  const f = grid.factors.indexOf(factor);
  if (f < 0) throw new GlmmInputError(`factor '${factor}' is not among the fixed effects (${grid.factors.join(', ') || 'none'}); name a factor of the model`);
  const levels = grid.levels[f];
  const L = levels.map(() => new Float64Array(grid.p));
  const count = new Float64Array(levels.length);
  grid.cells.forEach((cell, c) => {
    const a = cell[f];
    count[a]++;
    for (let j = 0; j < grid.p; j++) L[a][j] += grid.rows[c][j];
  });
  L.forEach((l, a) => { for (let j = 0; j < grid.p; j++) l[j] /= count[a]; });
  return { levels, L };
}

/**
 * The grid spec of a design from its data frame: factor columns with their levels among the fitted rows
 * (design.rows when present), plus numeric columns listed in `factors` (the CLI's --factor) as factors.
 */
export function gridSpecFromFrame(design: Pick<Design, 'rows' | 'nobs'>, frame: DataFrame, factors: readonly string[] = []): GridSpec {
  const rows = design.rows ?? Int32Array.from({ length: frame.nrow }, (_, i) => i);
  const out: Record<string, readonly string[]> = {};
  for (const [name, col] of frame.columns) {
    if (col.kind === 'factor') {
      const used = new Set<number>();
      for (const i of rows) if (col.codes[i] >= 0) used.add(col.codes[i]);
      out[name] = col.levels.filter((_, k) => used.has(k));
    } else if (factors.includes(name)) {
      const u = [...new Set(Array.from(rows, (i) => col.values[i]).filter((v) => !Number.isNaN(v)))].sort((a, b) => a - b);
      out[name] = u.map(String);
    }
  }
  return { factors: out };
}
