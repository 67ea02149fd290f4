/** The family table: one entry per FamilyName (DESIGN.md: one table serves every consumer). */
import type { Family, FamilyName } from './types.js';
import { poisson } from './poisson.js';
import { bernoulli, binomial } from './binomial.js';
import { negbinomial } from './negbinomial.js';
import { gaussian } from './gaussian.js';
import { gamma } from './gamma.js';

const FAMILIES: Readonly<Record<FamilyName, Family>> = { poisson, binomial, bernoulli, negbinomial, gaussian, gamma };

/** Every family name, in a stable order. */
export const FAMILY_NAMES: readonly FamilyName[] = ['poisson', 'binomial', 'bernoulli', 'negbinomial', 'gaussian', 'gamma'];

/** The family named `name` (R's family objects; brms names). */
export function getFamily(name: FamilyName): Family {
  const f = FAMILIES[name];
  if (!f) throw new Error(`unknown family '${String(name)}'`);
  return f;
}
