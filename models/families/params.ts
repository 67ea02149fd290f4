/** The names family parameters can have (brms's), as data: prior classes and parameter classes read them. */

/** Names of family parameters, as brms's (`sigma`, `shape`, `phi`, `nu`). */
export type FamilyParamName = 'shape' | 'sigma' | 'phi' | 'nu';

export const FAMILY_PARAM_NAMES: readonly FamilyParamName[] = ['shape', 'sigma', 'phi', 'nu'];

/** Whether `s` names a family parameter. */
export function isFamilyParamName(s: string): s is FamilyParamName {
  return (FAMILY_PARAM_NAMES as readonly string[]).includes(s);
}
