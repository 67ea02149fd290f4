/**
 * The prior of one correlation parameter ρ of a structured term (ar1's ρ: brms class `ar`; cs's
 * common correlation: class `cor`), on its range (lo, hi): `uniform(a, b)` with lo ≤ a < b ≤ hi
 * (the default is the whole range) or `normal(μ, σ)` truncated to (lo, hi) and renormalised, as Stan
 * does for a bounded parameter with a normal prior (brms's bounded `ar` class, Bürkner 2017).
 * The sampler's transform maps an unconstrained y onto the prior's support, ρ = a + (b − a)·logistic(y),
 * so a narrower uniform range is a change of that map, not a wall in the density.
 */
import { GlmmInputError } from '../../../base/errors.js';
import { LOG_SQRT_2PI } from '../../../base/constants.js';
import { pnorm, qnorm } from '../../../base/normal.js';
import { formatDist, type PriorDist } from '../../../models/priors.js';

export interface ScalarCorPrior {
  readonly dist: PriorDist;
  /** The prior in brms syntax. */
  readonly text: string;
  /** The support (a, b) the sampler's transform maps onto. */
  readonly lower: number;
  readonly upper: number;
  /** log p(ρ) without `constant`, and its derivative in ρ. */
  kernel(rho: number): number;
  dkernel(rho: number): number;
  /** The constant of log p (−log(b − a); the normal's constant and truncation). */
  readonly constant: number;
  /** One draw from p (inverse CDF). */
  draw(u: number): number;
}

/** The prior p of a correlation whose range is (lo, hi); `where` (the statement) names it in an error. */
export function scalarCorPrior(p: PriorDist, lo: number, hi: number, where: string): ScalarCorPrior {
  const range = `(${lo === -1 ? '-1' : lo.toPrecision(4)}, ${hi})`;
  const fail = (what: string): never => {
    throw new GlmmInputError(`prior '${where}': ${what}`);
  };
  if (p.dist === 'uniform') {
    if (p.lower < lo - 1e-12 || p.upper > hi + 1e-12) fail(`${formatDist(p)} reaches outside the correlation's range ${range}; give bounds inside it`);
    const a = Math.max(lo, p.lower), b = Math.min(hi, p.upper);
    return { dist: p, text: formatDist(p), lower: a, upper: b, kernel: () => 0, dkernel: () => 0, constant: -Math.log(b - a), draw: (u) => a + (b - a) * u };
  }
  if (p.dist === 'normal') {
    const { mu, sigma } = p;
    const pa = pnorm((lo - mu) / sigma), pb = pnorm((hi - mu) / sigma);
    if (!(pb - pa > 1e-300)) fail(`${formatDist(p)} puts no mass on the correlation's range ${range}`);
    return {
      dist: p, text: formatDist(p), lower: lo, upper: hi,
      kernel: (rho) => -0.5 * ((rho - mu) / sigma) ** 2,
      dkernel: (rho) => -(rho - mu) / (sigma * sigma),
      constant: -LOG_SQRT_2PI - Math.log(sigma) - Math.log(pb - pa),
      draw: (u) => Math.min(hi, Math.max(lo, mu + sigma * qnorm(pa + (pb - pa) * u))),
    };
  }
  return fail(`a correlation takes uniform(lower, upper) or normal(mu, sigma), not ${formatDist(p)}`);
}
