/** Re-exports of the family table. */
export { auxName, getFamily, familyParam, nestsFamily, FAMILY_NAMES } from './getFamily.js';
export { pearsonChisq } from './pearson.js';
export type { Family, FamilyName, FamilyParam, FamilyParamName, JsLikelihood, Link, LinkName, RowLikelihood } from './types.js';
