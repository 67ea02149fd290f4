/**
 * Notes printed under the summary table. Where the ML fit is singular (an sd estimated at the boundary
 * 0, as lme4 reports), the posterior usually is not: say how much posterior mass the sd has near 0 and
 * where its median lies, so the user sees what the data do and do not rule out.
 */
import type { Draws } from '../../diagnostics/draws.js';
import { parameterMatrix } from '../../diagnostics/draws.js';
import { quantileSorted } from '../../diagnostics/quantile.js';
import type { ModelSpec } from '../target/parameters.js';
import type { LaplaceRun } from './laplace-run.js';
import { SINGULAR_TOL } from '../design/theta.js';

function fmt(x: number): string {
  return x >= 0.01 ? x.toFixed(2) : x.toPrecision(2);
}

/** One note per sd that the Laplace fit put at 0. */
export function singularNotes(spec: ModelSpec, draws: Draws, laplace: LaplaceRun | null): string[] {
  if (!laplace || laplace.error) return [];
  const notes: string[] = [];
  for (const p of spec.params) {
    if (p.class !== 'sd') continue;
    const est = laplace.estimates[p.name];
    if (est === undefined || !(est < SINGULAR_TOL)) continue;
    const j = draws.names.indexOf(p.name);
    if (j < 0) continue;
    const x = parameterMatrix(draws, j);
    const s = Float64Array.from(x).sort();
    const [q5, q50, q95] = [0.05, 0.5, 0.95].map((pr) => quantileSorted(s, pr));
    const cut = 0.1 * q50;
    let below = 0;
    for (const v of x) if (v < cut) below++;
    notes.push(
      `${p.name}: the ML estimate is 0 (a singular fit), but the posterior median is ${fmt(q50)} (90% interval ${fmt(q5)} to ${fmt(q95)}) ` +
        `with ${(100 * below / x.length).toFixed(1)}% of its mass below ${fmt(cut)} (a tenth of the median): the data do not pin this sd at 0; ` +
        `they are consistent with a range of values, and the posterior answer carries that uncertainty into the other estimates.`,
    );
  }
  return notes;
}
