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
import { buildModel, type ModelOptions, type ModelSpec } from '../target/parameters.js';
import type { LaplaceRun } from './laplace-run.js';

/** Median ratio of the conditional sd to the population sd below which a term is centred. */
export const CENTRE_BELOW = 0.3;

/** A centred term whose median ratio is above this is advised to go non-centred when sampling struggles. */
export const ADVISE_CENTRE_BELOW = 0.5;

/**
 * Median condSd/sd per scalar grouping factor that can be centred alone (a group with another term,
 * e.g. (1|g) + (0+x|g), is centred only as a whole and is left out), from the Laplace fit.
 */
export function informationRatios(design: Design, laplace: LaplaceRun | null): Map<string, number> {
  const out = new Map<string, number>();
  if (!laplace || laplace.error) return out;
  // the conditional sds: glmer's ranef, or lmer's (scalar terms) in the run's intervals
  const condSd = (group: string, term: string): number[] => laplace.glmm
    ? laplace.glmm.ranef.filter((r) => r.group === group && r.term === term).map((r) => r.condSd)
    : [...laplace.intervals].filter(([name]) => name.startsWith(`r_${group}[`) && name.endsWith(`,${term}]`)).map(([, iv]) => iv.se ?? NaN);
  for (const t of design.random) {
    if (t.k !== 1) continue;
    if (design.random.filter((u) => u.group === t.group).length > 1) continue;
    const sd = laplace.estimates[`sd_${t.group}__${t.terms[0]}`];
    if (!(sd > 1e-4)) continue;
    const ratios = condSd(t.group, t.terms[0]).map((c) => c / sd).filter(Number.isFinite).sort((a, b) => a - b);
    if (ratios.length === 0) continue;
    out.set(t.group, ratios.length % 2 ? ratios[(ratios.length - 1) / 2] : (ratios[ratios.length / 2 - 1] + ratios[ratios.length / 2]) / 2);
  }
  return out;
}

/** Grouping factors to centre (scalar terms only; correlated terms stay non-centred). */
export function chooseCentering(design: Design, laplace: LaplaceRun | null): string[] {
  return [...informationRatios(design, laplace)].filter(([, r]) => r < CENTRE_BELOW).map(([g]) => g);
}

/**
 * The parameterization advice of the sampler warnings as a command that exists: `--centered none` when
 * some random effects were sampled centred; else `--centered G` for the best-informed scalar term when the
 * data shrink its spread below half (median condSd/sd < 0.5, so centring is plausible); else nothing
 * (non-centred is the usual cure and is already in use).
 */
export function reparameterizeAdvice(spec: ModelSpec, laplace: LaplaceRun | null): string {
  const centred = [...new Set(spec.terms.filter((t) => t.centered).map((t) => t.group))];
  if (centred.length > 0) return `sample every random effect non-centred with --centered none (now centred: ${centred.join(', ')})`;
  const best = [...informationRatios(spec.design, laplace)].filter(([, r]) => r < ADVISE_CENTRE_BELOW).sort((a, b) => a[1] - b[1])[0];
  return best ? `sample the random effects of ${best[0]} centred with --centered ${best[0]} (the data inform its levels: median conditional sd ${best[1].toFixed(2)} of its sd)` : '';
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
