/**
 * Checks the model as the user types: the formula's syntax and terms by the library's parser (its
 * FormulaError carries the offset, shown with a caret under the formula), then, when a data set is
 * loaded, the design itself (unknown columns, a binomial response that is not cbind(), …) by the same
 * specify() the fit runs.
 */
import { FormulaError } from '../../base/errors.js';
import { termsOf } from '../../src/formula/terms.js';
import { specify } from '../../src/fit.js';
import type { FamilyName } from '../../models/families/types.js';

/** Result of a check: ok, or the message and (for a syntax error) the 0-based offset it points at. */
export type FormulaCheck = { ok: true } | { ok: false; message: string; pos?: number };

/** Data sets up to this many CSV characters are checked against the formula on every keystroke. */
const DESIGN_CHECK_CHARS = 2e6;

/** Checks `formula` (and, with data, the design). */
export function checkFormula(formula: string, data?: { csv: string; family: FamilyName; factors: readonly string[] }): FormulaCheck {
  try {
    termsOf(formula);
  } catch (e) {
    if (e instanceof FormulaError) return { ok: false, message: e.message, pos: e.pos };
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
  if (!data || data.csv.length > DESIGN_CHECK_CHARS) return { ok: true };
  try {
    specify({ formula, data: { csv: data.csv }, family: data.family, factors: data.factors });
    return { ok: true };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message.split('\n')[0] : String(e) };
  }
}

/** Shows a check under the formula box: the formula, a caret at the offset, and the message. */
export function showCheck(input: HTMLInputElement, out: HTMLElement, formula: string, c: FormulaCheck): void {
  input.classList.toggle('bad', !c.ok);
  input.setAttribute('aria-invalid', String(!c.ok));
  if (c.ok) {
    out.replaceChildren();
    return;
  }
  if (c.pos === undefined) {
    out.textContent = c.message;
    return;
  }
  const caret = document.createElement('span');
  caret.className = 'caret';
  caret.textContent = `${' '.repeat(c.pos)}^`;
  // the message repeats the formula after "at column N:"; show it once, above the caret
  const what = c.message.replace(/^formula: /, '').replace(/ at column \d+: [\s\S]*$/, '');
  out.replaceChildren(`${formula}\n`, caret, `\n${what} (column ${c.pos + 1})`);
}
