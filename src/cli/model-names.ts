/**
 * The --family and --link names of the command line: the project's names, case-insensitive, with the
 * aliases users bring from R and brms (each family's `aliases`: negbin, nbinom2, normal, ...); an unknown name lists the known ones.
 */
import { FAMILY_NAMES, getFamily } from '../../models/families/index.js';
import { LINK_NAMES } from '../../models/links.js';
import type { FamilyName, LinkName } from '../../models/families/types.js';
import { GlmmInputError } from '../../base/errors.js';

/** The family named by --family. */
export function familyOf(name: string): FamilyName {
  const lower = name.toLowerCase();
  const f = FAMILY_NAMES.find((g) => getFamily(g).aliases.includes(lower)) ?? lower;
  if (!(FAMILY_NAMES as readonly string[]).includes(f)) throw new GlmmInputError(`unknown family '${name}'; use one of ${FAMILY_NAMES.join(', ')}`);
  return f as FamilyName;
}

/** The link named by --link (undefined: the family's default). */
export function linkOf(name: string | undefined): LinkName | undefined {
  if (name === undefined) return undefined;
  const lower = name.toLowerCase();
  if (!(LINK_NAMES as readonly string[]).includes(lower)) throw new GlmmInputError(`unknown link '${name}'; use one of ${LINK_NAMES.join(', ')}`);
  return lower as LinkName;
}
