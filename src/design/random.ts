/**
 * Random-effect terms, the analogue of lme4's mkReTrms/mkBlist: for each `(lhs | g)` the grouping
 * factor (levels that occur, interactions as lme4's `%i%`), and the columns model.matrix(~ lhs).
 * Terms stay in formula order (lme4 sorts them by decreasing number of levels; the model is the same).
 */
import { GlmmInputError } from '../../base/errors.js';
import type { RandomSpec } from '../formula/terms.js';
import { checkLevels } from '../data/validate.js';
import type { RandomTerm } from './types.js';
import { asFactor, type Columns } from './evaluate.js';
import { modelMatrix } from './fixed.js';
import { makeCovariance } from './covariance/make.js';
import { checkStructureData, structureLabel } from './covariance/check.js';

/** A grouping factor: level labels and the 0-based level of each kept row. */
export interface GroupingFactor {
  readonly levels: readonly string[];
  readonly index: Int32Array;
}

/**
 * The grouping factor of `g1:g2:...` as lme4 1.1 builds it (`%i%` in mkBlist, then factor() to drop
 * unused levels): labels are the levels joined by ':' ("3:1"); only combinations that occur; ordered
 * by the level of g1, then g2, ... (the first factor varies slowest). Numeric columns are made
 * factors first (R's factor(), numeric order), as lme4 does for grouping variables.
 */
export function groupingFactor(names: readonly string[], cols: Columns, n: number, term: string): GroupingFactor {
  const factors = names.map((name) => {
    const c = cols.get(name);
    if (!c) throw new GlmmInputError(`unknown column '${name}' in formula term '${term}'`);
    return asFactor(c);
  });
  if (factors.length === 1) return { levels: factors[0].levels, index: factors[0].codes };
  // Rank of each row's combination: lexicographic in (code of g1, code of g2, ...).
  const keyOf = (i: number): number => {
    let k = 0;
    for (const f of factors) k = k * f.levels.length + f.codes[i];
    return k;
  };
  const present = new Map<number, number>();
  for (let i = 0; i < n; i++) present.set(keyOf(i), i);
  const keys = [...present.keys()].sort((a, b) => a - b);
  const level = new Map(keys.map((k, l) => [k, l]));
  const levels = keys.map((k) => {
    const i = present.get(k) as number;
    return factors.map((f) => f.levels[f.codes[i]]).join(':');
  });
  const index = new Int32Array(n);
  for (let i = 0; i < n; i++) index[i] = level.get(keyOf(i)) as number;
  return { levels, index };
}

/** brms's label of a model.matrix column: "(Intercept)" → "Intercept". */
export function termLabel(column: string): string {
  return column === '(Intercept)' ? 'Intercept' : column;
}

/** One RandomTerm from one expanded `(lhs | g)`; a grouping factor with one level is an error (as lme4). */
export function randomTerm(spec: RandomSpec, cols: Columns, n: number, rows: Int32Array): RandomTerm {
  const g = groupingFactor(spec.group, cols, n, spec.text);
  checkLevels(`grouping factor '${spec.groupLabel}' in ${spec.text}`, g.levels, 'a random effect needs at least 2 levels; remove the term or check the data');
  const mm = modelMatrix(spec.lhs, cols, n, rows);
  checkStructureData(spec, mm.columns);
  return {
    group: spec.groupLabel,
    terms: mm.columns.map(termLabel),
    columns: mm.columns,
    k: mm.p,
    // a `|` block (the pieces of `||` included, as in lme4) is us: k > 1 columns are correlated
    cov: makeCovariance(spec.structure, mm.p, structureLabel(spec)),
    levels: g.levels,
    index: g.index,
    Z: mm.X,
  };
}

/**
 * All random terms in formula order. Two terms that would give the same parameter name
 * (sd_<group>__<term>) are an error: combine them into one term or rename.
 */
export function randomTerms(specs: readonly RandomSpec[], cols: Columns, n: number, rows: Int32Array): RandomTerm[] {
  const terms = specs.map((s) => randomTerm(s, cols, n, rows));
  const seen = new Map<string, string>();
  terms.forEach((t, i) => {
    for (const term of t.terms) {
      const name = `sd_${t.group}__${term}`;
      const prev = seen.get(name);
      if (prev !== undefined) {
        throw new GlmmInputError(`random terms ${prev} and ${specs[i].text} both give ${name}; write each column once per grouping factor, e.g. (1 + x | g)`);
      }
      seen.set(name, specs[i].text);
    }
  });
  return terms;
}
