/** The family table: one entry per FamilyName (DESIGN.md: one table serves every consumer). */
import type { Family, FamilyName, Link, LinkName } from './types.js';
import { getLink } from '../links.js';
import { poisson } from './poisson.js';
import { bernoulli, binomial } from './binomial.js';
import { negbinomial } from './negbinomial.js';
import { gaussian } from './gaussian.js';
import { gamma } from './gamma.js';
import { lognormal } from './lognormal.js';
import { beta } from './beta.js';
import { betabinomial } from './betabinomial.js';
import { student } from './student.js';
import { cumulative } from './cumulative.js';
import { hurdleNegbinomial, hurdlePoisson, zinegbinomial, zipoisson } from './zero-modified.js';

const FAMILIES: Readonly<Record<FamilyName, Family>> = { poisson, binomial, bernoulli, negbinomial, gaussian, gamma, lognormal, beta, betabinomial, student, zipoisson, zinegbinomial, hurdle_poisson: hurdlePoisson, hurdle_negbinomial: hurdleNegbinomial, cumulative };

/** Every family name, in a stable order. */
export const FAMILY_NAMES: readonly FamilyName[] = ['poisson', 'binomial', 'bernoulli', 'negbinomial', 'gaussian', 'gamma', 'lognormal', 'beta', 'betabinomial', 'student', 'zipoisson', 'zinegbinomial', 'hurdle_poisson', 'hurdle_negbinomial', 'cumulative'];

/** The family named `name` (R's family objects; brms names). */
export function getFamily(name: FamilyName): Family {
  const f = FAMILIES[name];
  if (!f) throw new Error(`unknown family '${String(name)}'`);
  return f;
}

/** Whether family `outer` nests `inner` on the boundary of its parameter (Family.nests), with the LRT's note; null otherwise. */
export function nestsFamily(inner: string, outer: string): NonNullable<Family['nests']> | null {
  const o = (FAMILIES as Readonly<Record<string, Family>>)[outer];
  return o?.nests && o.nests.family === inner ? o.nests : null;
}

/**
 * The family as fitted with `link` and the link its functions see μ through: the family itself and
 * `link` for every family whose link is its mean's; for a latent-link family (cumulative) the family
 * specialised to `link` and its `meanLink` (μ = η). Every consumer pairing a family with the model's
 * link goes through here.
 */
export function familyFor(name: FamilyName, link: LinkName): { readonly family: Family; readonly meanLink: LinkName; readonly link: Link } {
  const f = getFamily(name);
  const meanLink = f.forLink ? f.meanLink ?? link : link;
  return { family: f.forLink ? f.forLink(link) : f, meanLink, link: getLink(meanLink) };
}
