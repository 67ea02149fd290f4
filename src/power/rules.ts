/**
 * The test whose power is estimated, applied to one fit of one simulated data set (simr's `test`):
 * - Laplace (lme4's answer): `wald` of a coefficient (z, or t on the Kenward–Roger/Satterthwaite df of
 *   an lmer fit) or of a term of a gaussian model (the Type III F test of summary.json's anova);
 *   `lrt`: the ML deviance of the model against a `null` model, χ² on the difference in parameters
 *   (lme4's anova(m0, m1); a variance at its boundary makes it conservative);
 * - posterior: `prob`, P(effect > 0) > threshold (default 0.95; `direction: 'less'` for P(effect < 0));
 *   `rope`, the central interval at `prob` lies wholly outside the region of practical equivalence
 *   [lo, hi] (Kruschke 2018, *Adv. Methods Pract. Psychol. Sci.* 1:270, with the equal-tailed interval).
 */
import { GlmmInputError } from '../../base/errors.js';
import { getFamily } from '../../models/families/index.js';
import { pchisqUpper, ptTwoSided } from '../../base/distributions.js';
import { pnorm } from '../../base/normal.js';
import type { Design } from '../design/types.js';
import type { SummaryJson } from '../report/schema.js';
import type { Draws } from '../../diagnostics/draws.js';

/** The test of a power run. */
export type PowerTest =
  | { readonly rule: 'wald'; readonly effect: string; readonly alpha?: number }
  | { readonly rule: 'lrt'; readonly null: string; readonly alpha?: number }
  | { readonly rule: 'prob'; readonly effect: string; readonly threshold?: number; readonly direction?: 'greater' | 'less' }
  | { readonly rule: 'rope'; readonly effect: string; readonly rope: readonly [number, number]; readonly prob?: number };

/** Whether the rule reads a posterior (else the Laplace answer). */
export function isPosteriorRule(t: PowerTest): boolean {
  return t.rule === 'prob' || t.rule === 'rope';
}

/** One line saying what is tested, for the table and the JSON. */
export function describeTest(t: PowerTest): string {
  if (t.rule === 'wald') return `Wald test of ${t.effect}, p < ${t.alpha ?? 0.05}`;
  if (t.rule === 'lrt') return `likelihood-ratio test against ${t.null} (ML), p < ${t.alpha ?? 0.05}`;
  if (t.rule === 'prob') return `P(${t.effect} ${t.direction === 'less' ? '<' : '>'} 0) > ${t.threshold ?? 0.95} (posterior)`;
  return `the ${100 * (t.prob ?? 0.95)}% central interval of ${t.effect} outside the ROPE [${t.rope[0]}, ${t.rope[1]}] (posterior)`;
}

/** A test that cannot apply to the model is the user's error, caught before any simulation. */
export function checkTest(t: PowerTest, design: Design): void {
  if (t.rule === 'lrt') return;
  const names = design.fixed.names;
  if (t.effect.startsWith('b_')) {
    if (!names.includes(t.effect)) throw new GlmmInputError(`power: --test ${t.effect} is not a coefficient of the model; its coefficients are ${names.join(', ')}`);
    return;
  }
  if (t.rule !== 'wald') throw new GlmmInputError(`power: the posterior rules test one coefficient; name it as b_… (${names.join(', ')})`);
  if (!getFamily(design.family).linearMixed) throw new GlmmInputError(`power: a Wald test of the term ${t.effect} is the F test of a gaussian model; for a ${design.family} GLMM name a coefficient (${names.join(', ')}) or use --rule lrt --null FORMULA`);
}

/** What one simulated data set gave: the decision, the estimate and p (null where the rule has none). */
export interface SimOutcome {
  readonly reject: boolean;
  readonly estimate: number | null;
  readonly p: number | null;
}

/** The rule on a Laplace/lmer summary (and, for lrt, the null model's). */
export function laplaceDecision(t: PowerTest, s: SummaryJson, nullFit?: { summary: SummaryJson; nPar: number }, nPar?: number): SimOutcome {
  const alpha = t.rule === 'wald' || t.rule === 'lrt' ? t.alpha ?? 0.05 : 0.05;
  if (t.rule === 'lrt') {
    const l1 = s.laplace?.logLik, l0 = nullFit?.summary.laplace?.logLik;
    if (l1 === undefined || l0 === undefined || nPar === undefined || !nullFit) throw new Error('the LRT needs both fits\' log-likelihoods');
    const stat = Math.max(0, 2 * (l1 - l0));
    const p = pchisqUpper(stat, nPar - nullFit.nPar);
    return { reject: p < alpha, estimate: stat, p };
  }
  if (t.rule !== 'wald') throw new Error(`rule ${t.rule} reads a posterior`);
  if (!t.effect.startsWith('b_')) {
    const row = s.anova?.rows.find((r) => r.term === t.effect);
    if (!row) throw new GlmmInputError(`power: no F test of the term ${t.effect} (the anova terms: ${(s.anova?.rows ?? []).map((r) => r.term).join(', ')})`);
    return { reject: row.p < alpha, estimate: row.F, p: row.p };
  }
  const par = s.parameters.find((q) => q.name === t.effect)?.laplace;
  if (!par || par.se === null || !(par.se > 0)) return { reject: false, estimate: par?.estimate ?? null, p: null };
  const stat = par.estimate / par.se;
  const p = par.df !== undefined ? ptTwoSided(stat, par.df) : 2 * pnorm(-Math.abs(stat));
  return { reject: p < alpha, estimate: par.estimate, p };
}

/** The rule on posterior draws of the effect. */
export function posteriorDecision(t: PowerTest, draws: Draws): SimOutcome {
  if (t.rule !== 'prob' && t.rule !== 'rope') throw new Error(`rule ${t.rule} reads the Laplace answer`);
  const j = draws.names.indexOf(t.effect);
  const P = draws.names.length, S = draws.nChains * draws.nDraws;
  const x = Float64Array.from({ length: S }, (_, s) => draws.data[s * P + j]).sort();
  const mean = x.reduce((a, b) => a + b, 0) / S;
  if (t.rule === 'prob') {
    const above = x.filter((v) => (t.direction === 'less' ? v < 0 : v > 0)).length / S;
    return { reject: above > (t.threshold ?? 0.95), estimate: mean, p: above };
  }
  const tail = (1 - (t.prob ?? 0.95)) / 2;
  const q = (u: number) => { const h = (S - 1) * u, lo = Math.floor(h); return x[lo] + (h - lo) * ((x[Math.min(lo + 1, S - 1)] ?? x[lo]) - x[lo]); };
  const lower = q(tail), upper = q(1 - tail);
  return { reject: upper < t.rope[0] || lower > t.rope[1], estimate: mean, p: null };
}
