/** Re-exports of the family table. */
export { familyFor, getFamily, nestsFamily, FAMILY_NAMES } from './getFamily.js';
export { NO_PARAMS, familyLayout, familyValuesByName, familyValueNames, familyCoordNames, constrainFamily, unconstrainFamily, familyStart, familyLogJacobian, slotValueNames } from './layout.js';
export type { FamilyLayout, ParamSlot } from './layout.js';
export { LOG_TRANSFORM, LOGIT_TRANSFORM, ORDERED_TRANSFORM } from './constraints.js';
export type { Constraint } from './constraints.js';
export { pearsonChisq } from './pearson.js';
export type { Family, FamilyName, FamilyParam, FamilyParamName, FamilyValues, JsLikelihood, Link, LinkName, RowLikelihood } from './types.js';
