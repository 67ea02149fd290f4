/** Re-exports of the family table. */
export { getFamily, FAMILY_NAMES } from './getFamily.js';
export { pearsonChisq } from './pearson.js';
export type { Family, FamilyName, Link, LinkName } from './types.js';
