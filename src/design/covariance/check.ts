/** Data checks of the structured terms (ar1, toep), one-line errors naming the term. */
import { GlmmInputError } from '../../../base/errors.js';
import type { RandomSpec } from '../../formula/terms.js';

/** The variable a structure's one correlation is named after: the lhs terms' labels ("visit"). */
export function structureLabel(spec: RandomSpec): string {
  return spec.lhs.terms.map((t) => t.label).join('_') || 'Intercept';
}

/**
 * ar1(t + 0 | g) and toep(t + 0 | g) (glmmTMB): one factor t, no intercept, whose levels are equally
 * spaced times in order — R_ab = ρ^|a−b| (ρ_|a−b| for toep) counts steps between levels, so numeric
 * levels with a gap or unequal spacing (1, 2, 4) would be a silently wrong model. Non-numeric levels
 * are taken in factor order.
 */
function checkTimeFactor(spec: RandomSpec, columns: readonly string[]): void {
  const kind = spec.structure;
  const t = spec.lhs.terms;
  if (spec.lhs.intercept || t.length !== 1 || t[0].vars.length !== 1) {
    throw new GlmmInputError(`${spec.text}: ${kind}() needs one time factor and no intercept, as in ${kind}(week + 0 | patient)`);
  }
  const label = t[0].label;
  const levels = columns.map((c) => (c.startsWith(label) ? c.slice(label.length) : c));
  if (columns.length < 2 || columns.some((c) => !c.startsWith(label)) || (columns.length === 1 && columns[0] === label)) {
    throw new GlmmInputError(`${spec.text}: ${kind}() needs '${label}' to be a factor (its levels are the times); declare it with --factor ${label}`);
  }
  const times = levels.map(Number);
  if (!times.every(Number.isFinite)) return;
  const step = times[1] - times[0];
  for (let i = 2; i < times.length; i++) {
    if (Math.abs(times[i] - times[i - 1] - step) > 1e-9 * Math.max(1, Math.abs(step))) {
      throw new GlmmInputError(`${spec.text}: ${kind}() needs equally spaced levels of '${label}' but they are ${levels.join(', ')} (a gap or unequal spacing); recode them as consecutive steps or use cs() or us()`);
    }
  }
}

/** The data checks of a term's structure (the time structures ar1 and toep; none for us, diag, cs). */
export function checkStructureData(spec: RandomSpec, columns: readonly string[]): void {
  if (spec.structure === 'ar1' || spec.structure === 'toep') checkTimeFactor(spec, columns);
}
