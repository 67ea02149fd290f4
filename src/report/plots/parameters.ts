/**
 * Which parameters a plot shows, and what a parameter's name says about its support. Names follow
 * DESIGN.md (brms): b_*, sd_*, cor_*, ar_* (an ar1 term's ρ), shape, sigma, r_group[level,term].
 */
import type { Draws } from '../../../diagnostics/draws.js';
import { familyParamSupport, isFamilyParamName } from '../../../models/families/params.js';

/** True for a random-effect name `r_group[level,term]`. */
export function isRandomEffect(name: string): boolean {
  return /^r_.*\[.*\]$/.test(name);
}

/**
 * Indices (into `draws.names`) of the parameters to plot: `names` in the order given, or every
 * non-random-effect parameter when omitted. Throws naming the first unknown parameter.
 */
export function plotParameterIndices(draws: Draws, names?: readonly string[]): number[] {
  if (!names) return draws.names.flatMap((n, i) => (isRandomEffect(n) ? [] : [i]));
  return names.map((n) => {
    const i = draws.names.indexOf(n);
    if (i < 0) throw new Error(`plot: parameter '${n}' is not in the draws; use one of ${draws.names.slice(0, 5).join(', ')}, ...`);
    return i;
  });
}

/** Support of a parameter from its name: sd_* ≥ 0; a family parameter's (shape, sigma, …; familyParamSupport); cor_* and ar_* lie in [−1, 1]. */
export function parameterSupport(name: string): { lower?: number; upper?: number } {
  if (name.startsWith('sd_')) return { lower: 0 };
  const base = name.includes('[') ? name.slice(0, name.indexOf('[')) : name;
  if (isFamilyParamName(base)) return { ...familyParamSupport(base) };
  if (name.startsWith('cor_') || name.startsWith('ar_')) return { lower: -1, upper: 1 };
  return {};
}
