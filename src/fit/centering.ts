/**
 * Chooses the parameterization of each random-effect term from the data (DESIGN.md §Numerics): a
 * term whose levels are each well informed by the data is sampled centred, the others non-centred.
 * Non-centred (b = sd·z) suits weak data per level (the funnel of a centred term then traps NUTS);
 * centred suits strong data per level (the non-centred form then couples z with sd and mixes badly —
 * Stan took 24 CPU-minutes on 100,000 rows × 1,000 groups non-centred). Betancourt & Girolami (2015),
 * "Hamiltonian Monte Carlo for hierarchical models": centre when the likelihood of each group
 * dominates its prior. The Laplace fit measures exactly that: the conditional sd of each b_j against
 * the population sd. A scalar term is centred when the median ratio condSd_j / sd is below 0.3
 * (the data shrink the prior's spread to under a third for the typical level). Measured with ChEES
 * (1024 chains, Laplace starts, min bulk-ESS per CPU-second): the 100,000-row model (ratio ≈ 0.17)
 * needs centring (non-centred, Stan took 24 CPU-minutes for ESS 71; centred we reach 8× Stan's rate),
 * while Beitler–Landis's clinic (ratio 0.37, with clinic:t nested in it) mixed 2× worse centred
 * (441 against 865 per CPU-s; n* 213 against 52), so the earlier threshold 0.5 was too eager.
 */
import type { Design } from '../design/types.js';
import { buildModel, type ModelOptions, type ModelSpec } from '../model/parameters.js';
import type { LaplaceRun } from './laplace-run.js';

/** Median ratio of the conditional sd to the population sd below which a term is centred. */
export const CENTRE_BELOW = 0.3;

/** Grouping factors to centre (scalar terms only; correlated terms stay non-centred). */
export function chooseCentering(design: Design, laplace: LaplaceRun | null): string[] {
  const fitted = laplace?.glmm;
  if (!fitted || laplace?.error) return [];
  const out: string[] = [];
  for (const t of design.random) {
    if (t.k !== 1) continue;
    // a group with another term (e.g. (1|g) + (0+x|g)) is centred only as a whole: skip it
    if (design.random.filter((u) => u.group === t.group).length > 1) continue;
    const sd = laplace.estimates[`sd_${t.group}__${t.terms[0]}`];
    if (!(sd > 1e-4)) continue;
    const ratios = fitted.ranef.filter((r) => r.group === t.group && r.term === t.terms[0]).map((r) => r.condSd / sd).filter(Number.isFinite).sort((a, b) => a - b);
    if (ratios.length === 0) continue;
    const med = ratios.length % 2 ? ratios[(ratios.length - 1) / 2] : (ratios[ratios.length / 2 - 1] + ratios[ratios.length / 2]) / 2;
    if (med < CENTRE_BELOW) out.push(t.group);
  }
  return out;
}

/**
 * The model to sample: `spec` (built non-centred) rebuilt with the grouping factors `centered`, or with
 * those chooseCentering picks from the Laplace fit when `centered` is not given. `build` is what `spec`
 * was built with (family, link, priors).
 */
export function samplingSpec(spec: ModelSpec, laplace: LaplaceRun | null, build: Omit<ModelOptions, 'centered'>, centered?: readonly string[]): { spec: ModelSpec; centered: readonly string[] } {
  const chosen = centered ?? chooseCentering(spec.design, laplace);
  return { spec: chosen.length === 0 ? spec : buildModel(spec.design, { ...build, centered: chosen }), centered: chosen };
}
