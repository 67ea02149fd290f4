/** Data checks of the structured terms (cs, ar1), one-line errors naming the term. */
import { GlmmInputError } from '../../../base/errors.js';
import type { RandomSpec } from '../../formula/terms.js';

/** The variable a structure's one correlation is named after: the lhs terms' labels ("visit"). */
export function structureLabel(spec: RandomSpec): string {
  return spec.lhs.terms.map((t) => t.label).join('_') || 'Intercept';
}

/**
 * ar1(t + 0 | g) (glmmTMB): one factor t, no intercept, whose levels are equally spaced times in
 * order — R_ab = ρ^|a−b| counts steps between levels, so numeric levels with a gap or unequal
 * spacing (1, 2, 4) would be a silently wrong model. Non-numeric levels are taken in factor order.
 */
export function checkAr1(spec: RandomSpec, columns: readonly string[]): void {
  const t = spec.lhs.terms;
  if (spec.lhs.intercept || t.length !== 1 || t[0].vars.length !== 1) {
    throw new GlmmInputError(`${spec.text}: ar1() needs one time factor and no intercept, as in ar1(week + 0 | patient)`);
  }
  const label = t[0].label;
  const levels = columns.map((c) => (c.startsWith(label) ? c.slice(label.length) : c));
  if (columns.length < 2 || columns.some((c) => !c.startsWith(label)) || (columns.length === 1 && columns[0] === label)) {
    throw new GlmmInputError(`${spec.text}: ar1() needs '${label}' to be a factor (its levels are the times); declare it with --factor ${label}`);
  }
  const times = levels.map(Number);
  if (!times.every(Number.isFinite)) return;
  const step = times[1] - times[0];
  for (let i = 2; i < times.length; i++) {
    if (Math.abs(times[i] - times[i - 1] - step) > 1e-9 * Math.max(1, Math.abs(step))) {
      throw new GlmmInputError(`${spec.text}: ar1() needs equally spaced levels of '${label}' but they are ${levels.join(', ')} (a gap or unequal spacing); recode them as consecutive steps or use cs() or us()`);
    }
  }
}
