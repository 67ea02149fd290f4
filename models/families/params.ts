/** The names family parameters can have (brms's), as data: prior classes and parameter classes read them. */

/**
 * Names of family parameters, as brms's (`sigma`, `shape`, `phi`, `nu`; the zero-inflation and hurdle probabilities `zi`, `hu`),
 * and `Intercept` for the ordinal thresholds (brms's prior class of `b_Intercept[k]`), which is not in FAMILY_PARAM_NAMES:
 * as a prior class and in the output it is the intercept's (`Intercept ~ ...`, b_Intercept[1..K−1]).
 */
export type FamilyParamName = 'shape' | 'sigma' | 'phi' | 'nu' | 'zi' | 'hu' | 'Intercept';

export const FAMILY_PARAM_NAMES: readonly FamilyParamName[] = ['shape', 'sigma', 'phi', 'nu', 'zi', 'hu'];

/** The range of each name's values (brms's: positive dispersions, unit-interval mixing probabilities). */
const SUPPORT: Readonly<Record<FamilyParamName, { readonly lower?: number; readonly upper?: number }>> = {
  shape: { lower: 0 }, sigma: { lower: 0 }, phi: { lower: 0 }, nu: { lower: 1 }, zi: { lower: 0, upper: 1 }, hu: { lower: 0, upper: 1 }, Intercept: {},
};

/** The support of family parameter `name` (for plots and checks by name). */
export function familyParamSupport(name: FamilyParamName): { readonly lower?: number; readonly upper?: number } {
  return SUPPORT[name];
}

/** Whether `s` names a family parameter. */
export function isFamilyParamName(s: string): s is FamilyParamName {
  return (FAMILY_PARAM_NAMES as readonly string[]).includes(s);
}
