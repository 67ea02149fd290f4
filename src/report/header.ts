/**
 * The lines above and below the parameter table: the model, data and sampler header, and the
 * likelihood fit's statistics (text table and report.html alike).
 */
import type { SummaryJson } from './schema.js';
import { formatFixed, formatSeconds } from './format.js';
import { TABLE_WIDTH } from './text-table.js';

/** Sampler display names. */
const SAMPLER_NAMES: Record<string, string> = { nuts: 'NUTS', chees: 'ChEES-HMC' };

/** Header lines: formula, family/link, observations, groups, priors, sampler. */
export function summaryHeaderLines(summary: SummaryJson): [string, string][] {
  const m = summary.model;
  const lines: [string, string][] = [
    ['Formula', m.formula],
    ...(m.param_formulas ?? []).map((f): [string, string] => ['', `${f.param} ${f.formula} (logit scale, --zi)`]),
    ['Family', `${m.family} (link = ${m.link})`],
    ['Data', `${m.nobs} observations` + (m.dropped_rows > 0 ? ` (${m.dropped_rows} ${m.dropped_rows === 1 ? 'row' : 'rows'} dropped for missing values)` : ' (no rows dropped)')],
  ];
  const groups = Object.entries(m.groups);
  if (groups.length) lines.push(['Groups', groups.map(([g, n]) => `${g}: ${n} levels`).join('; ')]);
  m.priors.forEach((pr, i) => lines.push([i === 0 ? 'Priors' : '', pr]));
  const s = summary.sampler;
  if (s) {
    const name = SAMPLER_NAMES[s.sampler] ?? s.sampler;
    const ebfmi = s.ebfmi.filter(Number.isFinite);
    lines.push(['Sampler',
      `${name} (${s.engine}), ${s.chains} chains × ${s.draws} draws after ${s.warmup} warmup, seed ${s.seed}` +
      (s.ess_target != null ? ` (sampled to bulk/tail ESS ≥ ${s.ess_target})` : '')]);
    // ChEES has no tree depth; NUTS's E-BFMI goes on its own line when the line would pass 100 columns
    const run = `${formatSeconds(s.seconds.warmup)} warmup + ${formatSeconds(s.seconds.sampling)} sampling; ` +
      `${s.divergences} divergent transitions` + (s.sampler === 'chees' ? '' : `; ${s.treedepth_hits} max-treedepth hits`);
    const bfmi = ebfmi.length ? `E-BFMI min ${Math.min(...ebfmi).toFixed(2)}` : '';
    if (bfmi && run.length + bfmi.length + 2 > TABLE_WIDTH - 10) lines.push(['', run], ['', bfmi]);
    else lines.push(['', bfmi ? `${run}; ${bfmi}` : run]);
  } else {
    lines.push(['Sampler', 'none (Laplace fit only)']);
  }
  return lines;
}

/** The Laplace-fit lines: logLik, deviance = −2 logLik, AIC, BIC, Pearson χ²/df, convergence, singularity. */
export function laplaceFitLines(summary: SummaryJson): [string, string][] {
  const l = summary.laplace;
  if (!l) return [];
  const f2 = (x: number) => formatFixed(x, 2);
  // an observation-level effect (one level per row) absorbs any overdispersion: χ²/df then says nothing
  const obsLevel = Object.entries(summary.model.groups).find(([, k]) => k >= summary.model.nobs)?.[0];
  const pearson = obsLevel
    ? `not meaningful here ('${obsLevel}' has one level per observation and absorbs any overdispersion)`
    : formatFixed(l.pearson_chisq_df, 3);
  return [
    ['Method', `${l.method}; ${l.converged ? 'converged' : 'NOT converged'}`],
    ['logLik', f2(l.logLik)],
    ['deviance', `${f2(l.deviance)}  (−2 logLik)`],
    ['AIC', f2(l.aic)],
    ['BIC', f2(l.bic)],
    ['Pearson χ²/df', pearson],
    ['Singular', l.singular ? 'yes (a variance component is estimated at its boundary)' : 'no'],
  ];
}
