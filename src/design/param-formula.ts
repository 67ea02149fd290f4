/**
 * The formula of a family parameter (the CLI's --zi, glmmTMB's ziformula, brms's `zi ~ x`): the
 * one-sided formula parsed, checked (a family with a zero part, no response, no offset) and turned
 * into its model matrix on the fit's rows (models/families/formula-layout.ts: the coefficients
 * b_zi_Intercept, b_zi_minedno on the logit scale of zi) and its random terms (`~ mined + (1|site)`:
 * RandomTerms as the count part's, lme4's mkReTrms, term labels prefixed `zi_` as brms names them:
 * sd_site__zi_Intercept). `~1` is the family's default (one zi for every row) and gives no formula.
 */
import { GlmmInputError } from '../../base/errors.js';
import type { Family } from '../../models/families/types.js';
import type { ParamFormula } from '../../models/families/formula-layout.js';
import { FAMILY_NAMES, getFamily } from '../../models/families/getFamily.js';
import { parseFormula } from '../formula/parser.js';
import { formulaTerms, type FormulaTerms } from '../formula/terms.js';
import { namesIn, type Columns } from './evaluate.js';
import { fixedMatrix } from './fixed.js';
import { randomTerms, termLabel } from './random.js';
import type { RandomTerm } from './types.js';

/** The zero part's formula as parsed, with the parameter it predicts; null for '~1' or none. */
export interface ZeroFormula {
  readonly text: string;
  readonly param: Family['params'][number];
  readonly terms: FormulaTerms;
}

/** The family's zero part: its unit-interval parameter (zi, hu), or undefined. */
function zeroParam(family: Family): Family['params'][number] | undefined {
  return family.params.find((p) => p.constraint.kind === 'unit');
}

/**
 * Parses --zi for `family`. Throws one line for a family without a zero part, a response on the
 * left, an offset, or an unparsable formula; null for '~1' (the default zero part).
 */
export function parseZeroFormula(zi: string | undefined, family: Family): ZeroFormula | null {
  if (zi === undefined) return null;
  const param = zeroParam(family);
  if (!param) {
    const withZero = FAMILY_NAMES.filter((n) => zeroParam(getFamily(n)));
    throw new GlmmInputError(`--zi '${zi}': the ${family.name} family has no zero part; use one of ${withZero.join(', ')}`);
  }
  const text = zi.trim();
  if (text === '' || text === '~') throw new GlmmInputError(`--zi '${zi}' is empty; give a one-sided formula such as --zi '~ x', or leave --zi out for one ${param.name} for every row`);
  let terms: FormulaTerms;
  try {
    terms = formulaTerms(parseFormula(text));
  } catch (e) {
    throw new GlmmInputError(`--zi '${zi}': ${(e as Error).message}`);
  }
  if (terms.response) throw new GlmmInputError(`--zi '${zi}': the zero part's formula is one-sided; drop '${terms.responseLabel}' on the left, e.g. --zi '${text.slice(text.indexOf('~'))}' (the response is the main formula's)`);
  if (terms.offsets.length > 0) throw new GlmmInputError(`--zi '${zi}': offsets in --zi are not supported; drop the offset() term`);
  if (terms.fixed.terms.length === 0 && terms.fixed.intercept && terms.random.length === 0) return null;
  return { text, param, terms };
}

/** Every column the zero formula names, for the unknown-column check and the missing-value rule. */
export function zeroFormulaColumns(zf: ZeroFormula | null): { column: string; term: string }[] {
  if (!zf) return [];
  const term = `--zi ${zf.text}`;
  const fixed = zf.terms.fixed.variables.flatMap((v) => namesIn(v.expr));
  const random = zf.terms.random.flatMap((r) => [...r.lhs.variables.flatMap((v) => namesIn(v.expr)), ...r.group]);
  return [...fixed, ...random].map((column) => ({ column, term }));
}

/**
 * The zero formula's random terms on the kept rows, as the count part's (randomTerms: a one-level
 * grouping factor, a structure's data check), their term labels prefixed with the parameter's name.
 */
function zeroRandomTerms(zf: ZeroFormula, cols: Columns, n: number, rows: Int32Array): RandomTerm[] {
  if (zf.terms.random.length === 0) return [];
  let terms: RandomTerm[];
  try {
    terms = randomTerms(zf.terms.random, cols, n, rows);
  } catch (e) {
    if (e instanceof GlmmInputError) throw new GlmmInputError(`--zi '${zf.text}': ${e.message}`);
    throw e;
  }
  const prefix = `${zf.param.name}_`;
  return terms.map((t) => ({ ...t, terms: t.terms.map((x) => prefix + x) }));
}

/**
 * The zero formula's model matrix on the kept rows (aliased columns dropped as for X), named b_zi_*,
 * and its random terms (`random`, present only when the formula has some).
 */
export function zeroFormulaMatrix(zf: ZeroFormula, cols: Columns, n: number, rows: Int32Array): { formula: ParamFormula<RandomTerm>; dropped: readonly string[] } {
  const mm = fixedMatrix(zf.terms.fixed, cols, n, rows);
  const name = zf.param.name;
  const random = zeroRandomTerms(zf, cols, n, rows);
  const formula: ParamFormula<RandomTerm> = { param: name, X: mm.X, p: mm.p, names: mm.columns.map((c) => `b_${name}_${termLabel(c)}`), formula: zf.text, ...(random.length ? { random } : {}) };
  return { formula, dropped: mm.dropped };
}
