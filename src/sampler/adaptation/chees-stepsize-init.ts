/**
 * ChEES's initial step size: Stan's base_hmc.hpp init_stepsize (../shared/reference/algorithms.md §1.3)
 * with the many-chain acceptance in place of one chain's. `accept(ε)` is the harmonic mean over chains of
 * one leapfrog step's acceptance min(1, exp ΔH) from the starts, with fresh momenta at every call (a
 * divergence or a NaN counts as 0, as Stan reads a NaN ΔH as −∞); it stands for Stan's test ΔH > log 0.8.
 * From ε = 1: direction up if the acceptance exceeds 0.8, else down; then (the first pass re-tests ε)
 * stop where the acceptance crosses 0.8, else double (up) or halve (down) ε, and return the ε where it
 * crossed, as Stan does. Where Stan throws (ε > 1e7, "posterior is improper"; ε = 0, "no acceptably small
 * step size") the search gives up with a warning and the last ε tried, for the ChEES adaptation to
 * move from.
 */

/** Stan's target acceptance of the search (its log 0.8 on ΔH). */
export const STEP_SIZE_SEARCH_TARGET = 0.8;
/** Stan's upper bound of the search: above it the posterior is improper. */
export const STEP_SIZE_MAX = 1e7;

/** The search's answer: the step size, the acceptance evaluations it took, a warning if it gave up. */
export interface StepSizeSearch {
  readonly stepSize: number;
  readonly calls: number;
  readonly warning: string | null;
}

/** Runs the search with `accept(ε)` (see the module comment). */
export function searchStepSize(accept: (eps: number) => number): StepSizeSearch {
  const target = STEP_SIZE_SEARCH_TARGET;
  let calls = 0;
  const a = (e: number) => {
    calls++;
    const x = accept(e);
    return Number.isNaN(x) ? 0 : x; // Stan reads a NaN ΔH as −∞
  };
  let eps = 1;
  const up = a(eps) > target;
  for (;;) {
    const x = a(eps);
    if (up ? !(x > target) : !(x < target)) return { stepSize: eps, calls, warning: null };
    const next = up ? eps * 2 : eps / 2;
    if (next > STEP_SIZE_MAX || next === 0) {
      const why = up
        ? `the acceptance stayed above ${target} up to step size ${eps} (Stan stops here: the posterior may be improper; check the priors)`
        : `the acceptance stayed below ${target} down to step size ${eps} (Stan stops here: no acceptably small step size; the log density may be discontinuous or not finite at the start)`;
      return { stepSize: eps, calls, warning: `ChEES's initial step-size search gave up: ${why}.` };
    }
    eps = next;
  }
}
