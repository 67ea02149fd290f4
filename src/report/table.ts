/**
 * The human summary table: the first thing a user reads after a fit. The same cells feed the text
 * table (`formatSummaryTable`) and the HTML table of report.html (html.ts), so both show the same
 * digits. Layout follows R's `print(brmsfit)` (posterior columns) beside `summary(glmer)` (Laplace).
 * The lines above and below the table are header.ts's; the fixed-width rendering is text-table.ts's.
 */
import { isFamilyParamName } from '../../models/families/params.js';
import type { ParameterSummary, SummaryJson } from './schema.js';
import {
  MISSING, decimalsFor, formatCount, formatFixed, formatRhat, formatSig, padStart,
} from './format.js';

import { fixedTestLines } from './tests-table.js';
import { labelled, renderTextTable, TABLE_WIDTH, type TableModel } from './text-table.js';
import { laplaceFitLines, summaryHeaderLines } from './header.js';

export { toJson } from './format.js';

/** Options of the human table. */
export interface TableOptions {
  /** Include the random effects r_*[level,term] rows (default false: they are in summary.json). */
  showRandom?: boolean;
  /**
   * One table with the posterior and Laplace columns side by side however wide (CLI --wide). Default:
   * side by side when that fits {@link TABLE_WIDTH} columns, else the Laplace columns in a table below.
   */
  wide?: boolean;
}

/** The interval level of a summary (summary.json before `prob` existed: the 95% Laplace interval). */
export function summaryProb(summary: SummaryJson): number {
  return summary.prob ?? 0.95;
}

/** A percentage as a header shows it: 95, 90, 97.5, 2.5. */
function pct(x: number): string {
  return String(Number((100 * x).toPrecision(6)));
}

/** "95% interval" for the summary's level. */
export function intervalHeader(summary: SummaryJson): string {
  return `${pct(summaryProb(summary))}% interval`;
}

/** Column label of the likelihood answer: "Laplace (ML)", or "REML" / "ML" for a gaussian lmer fit. */
export function likelihoodLabel(summary: SummaryJson): string {
  const m = summary.laplace?.method ?? '';
  return m.startsWith('REML') ? 'REML (lmer)' : m.startsWith('ML (') ? 'ML (lmer)' : 'Laplace (ML)';
}

/** True when the summary carries posterior results (a sampler ran, or the draws so far were summarized). */
export function hasPosterior(summary: SummaryJson): boolean {
  // the sampler block may be null while the draws so far are summarized (the web app's live table)
  return summary.parameters.some((p) => p.mean !== null);
}

/** The parameters a human table shows: all but r_* unless `showRandom`. */
export function tableParameters(summary: SummaryJson, opts: TableOptions = {}): ParameterSummary[] {
  return summary.parameters.filter((p) => opts.showRandom || p.class !== 'r');
}

/** Decimals for one row: 3 significant digits of its posterior sd, else of its Laplace spread. */
function rowDecimals(p: ParameterSummary): number {
  if (p.sd != null && Number.isFinite(p.sd) && p.sd > 0) return decimalsFor(p.sd);
  const l = p.laplace;
  if (l && l.lower != null && l.upper != null && Number.isFinite(l.upper - l.lower) && l.upper > l.lower) {
    return decimalsFor((l.upper - l.lower) / 3.92);
  }
  if (l && p.class === 'b' && l.se != null && Number.isFinite(l.se) && l.se > 0) return decimalsFor(l.se);
  if (l && Number.isFinite(l.estimate) && l.estimate !== 0) return decimalsFor(l.estimate);
  return 2;
}

/** "[lo, hi]" pieces of a Laplace interval (unpadded); both MISSING when there is none. */
function intervalParts(p: ParameterSummary, dec: number): [string, string] {
  const l = p.laplace;
  if (!l || (l.lower == null && l.upper == null)) return [MISSING, MISSING];
  return [formatFixed(l.lower, dec), formatFixed(l.upper, dec)];
}

/** Joins interval parts into aligned "[lo, hi]" cells. */
function intervalCells(parts: [string, string][]): string[] {
  const wl = Math.max(...parts.map((q) => q[0].length), 0);
  const wu = Math.max(...parts.map((q) => q[1].length), 0);
  return parts.map(([lo, hi]) =>
    lo === MISSING && hi === MISSING ? MISSING : `[${padStart(lo, wl)}, ${padStart(hi, wu)}]`);
}

/** The posterior's central interval at the summary's level (q5/q95 for a summary.json without it). */
function posteriorInterval(p: ParameterSummary): [number | null, number | null] {
  return p.lower !== undefined ? [p.lower, p.upper] : [p.q5, p.q95];
}

/**
 * The parameter table as cells: posterior mean, sd, the central interval at the summary's level with
 * the median between its limits, R-hat, bulk/tail ESS and the Laplace estimate with its interval at the
 * same level; Laplace columns only (estimate, SE, interval) when no sampler ran, or with `laplace:
 * 'none'` the posterior columns alone (the Laplace table then goes below, {@link laplaceTableModel}).
 */
export function summaryTableModel(summary: SummaryJson, opts: TableOptions & { laplace?: 'beside' | 'none' } = {}): TableModel {
  if (!hasPosterior(summary)) return laplaceTableModel(summary, opts);
  const params = tableParameters(summary, opts);
  const decs = params.map(rowDecimals);
  const intervals = intervalCells(params.map((p, i) => intervalParts(p, decs[i])));
  const lap = opts.laplace !== 'none' && (summary.laplace !== null || params.some((p) => p.laplace !== null));
  const prob = summaryProb(summary);
  const footnotes: string[] = [];
  // many-chain runs (ChEES): nested R-hat first, the classic R-hat beside it, labelled
  const thr = summary.sampler?.rhat_nested_threshold ?? null;
  const nested = thr !== null;
  const columns = ['Parameter', 'Mean', 'SD', `Q${pct((1 - prob) / 2)}`, 'Median', `Q${pct((1 + prob) / 2)}`, ...(nested ? ['nR-hat'] : []), 'R-hat', 'ESS-bulk', 'ESS-tail'];
  const last = columns.length - 1;
  const spans: [string, number, number][] = [['Posterior (HMC)', 1, last]];
  if (lap) {
    columns.push('Estimate', intervalHeader(summary));
    spans.push([likelihoodLabel(summary), last + 1, last + 2]);
  }
  const rows = params.map((p, i) => {
    const d = decs[i];
    const [lo, hi] = posteriorInterval(p);
    const cells = [p.name, formatFixed(p.mean, d), formatFixed(p.sd, d), formatFixed(lo, d),
      formatFixed(p.median, d), formatFixed(hi, d), ...(nested ? [formatRhat(p.rhat_nested)] : []), formatRhat(p.rhat), formatCount(p.ess_bulk),
      formatCount(p.ess_tail)];
    if (lap) cells.push(p.laplace ? formatFixed(p.laplace.estimate, d) : MISSING, intervals[i]);
    return cells;
  });
  if (nested) {
    const m = Math.round(1 / (thr * thr - 1 - 1e-4));
    footnotes.push(`nR-hat: nested R-hat (Margossian et al. 2024), the convergence check of many short chains; trust it ≤ ${thr.toFixed(3)} (${m} chains per superchain). R-hat: the classic one, which reads high on short chains (README, "Reading the output").`);
  }
  if (lap) footnotes.push(`Laplace ${pct(prob)}% intervals: Wald for b_*, profile likelihood for sd_*/cor_*.`, ...tIntervalNote(summary));
  return { columns, spans, rows, footnotes };
}

/** The likelihood answer's table: estimate, SE and interval at the summary's level per parameter. */
export function laplaceTableModel(summary: SummaryJson, opts: TableOptions = {}): TableModel {
  const params = tableParameters(summary, opts);
  const decs = params.map(rowDecimals);
  const intervals = intervalCells(params.map((p, i) => intervalParts(p, decs[i])));
  const footnotes: string[] = [];
  const rows = params.map((p, i) => {
    const d = decs[i];
    const se = p.laplace?.se ?? null;
    const seText = se == null ? MISSING : p.class === 'b' ? formatFixed(se, d) : formatSig(se, 3);
    return [p.name, p.laplace ? formatFixed(p.laplace.estimate, d) : MISSING, seText, intervals[i]];
  });
  if (params.some((p) => p.class !== 'b' && p.laplace?.se != null)) {
    footnotes.push('SE of sd_* is the Wald SE of log(sd); sd_*/cor_* intervals are profile likelihood.');
    // a family parameter's own coefficients (b_zi_*, --zi '~ x') are on its link scale already
    const coef = params.filter((p) => isFamilyParamName(p.class) && p.name.startsWith('b_') && p.laplace?.se != null).map((p) => p.name);
    const fam = params.filter((p) => isFamilyParamName(p.class) && !p.name.startsWith('b_') && p.laplace?.se != null).map((p) => p.name);
    if (fam.length) footnotes.push(`SE of ${fam.join(', ')}: on the scale the fit estimates it (log; logit for zi, hu; log(nu − 1) for nu).`);
    if (coef.length) footnotes.push(`${[...new Set(coef.map((n) => `${n.split('_').slice(0, 2).join('_')}_*`))].join(', ')}: coefficients of the zero part (--zi) on the logit scale, Hessian SE.`);
  } else if (params.some((p) => p.class !== 'b' && p.laplace?.lower != null)) {
    footnotes.push('Intervals: Wald for b_*, profile likelihood for sd_*/cor_*.');
  }
  footnotes.push(...tIntervalNote(summary));
  return { columns: ['Parameter', 'Estimate', 'SE', intervalHeader(summary)], spans: [[likelihoodLabel(summary), 1, 3]], rows, footnotes };
}

/** Width of a rendered table (its longest line). */
function tableWidth(text: string): number {
  return Math.max(...text.split('\n').map((l) => l.length));
}

/**
 * The parameter table(s) as text: posterior beside Laplace when that fits {@link TABLE_WIDTH} columns
 * (or `wide`), else the posterior table and the Laplace table below it.
 */
export function parameterTables(summary: SummaryJson, opts: TableOptions = {}): string {
  const beside = renderTextTable(summaryTableModel(summary, opts));
  const hasLaplace = summary.laplace !== null || tableParameters(summary, opts).some((p) => p.laplace !== null);
  if (opts.wide || !hasPosterior(summary) || !hasLaplace || tableWidth(beside) <= TABLE_WIDTH) return beside;
  return renderTextTable(summaryTableModel(summary, { ...opts, laplace: 'none' })) + '\n\n' + renderTextTable(laplaceTableModel(summary, opts));
}

/** An lmer fit's b_* intervals use t with Kenward–Roger or Satterthwaite df (lmerTest), not z. */
function tIntervalNote(summary: SummaryJson): string[] {
  const ddf = summary.laplace?.ddf;
  if (ddf === undefined || ddf === 'asymptotic') return [];
  return [`${likelihoodLabel(summary)}: b_* intervals are t with ${ddf === 'kenward-roger' ? 'Kenward–Roger' : 'Satterthwaite'} df (and SE) as lmerTest; sd_*/sigma profiles use the ML deviance as lme4's confint.`];
}

/** The share-of-zeros check of a count response (summary.json `ppc.zeros`) in one line, or null. */
export function zeroShareLine(summary: SummaryJson): string | null {
  const z = summary.ppc?.zeros;
  if (!z) return null;
  const f = (v: number) => v.toFixed(3);
  return `Share of zeros: observed ${f(z.observed)}; posterior predictive ${f(z.replicated.mean)} [${f(z.replicated.lower)}, ${f(z.replicated.upper)}] (${pct(summaryProb(summary))}%, ${z.draws} replicates); P(replicated ≥ observed) = ${z.p_greater.toFixed(2)}`;
}

/**
 * The human summary table (what `glmm fit` prints): header lines, the parameter table (posterior
 * beside Laplace, or Laplace only), the Laplace fit statistics, notes, then the warnings one per line.
 */
export function formatSummaryTable(summary: SummaryJson, opts: TableOptions = {}): string {
  const out: string[] = [];
  out.push(...labelled(summaryHeaderLines(summary)));
  out.push('');
  out.push(parameterTables(summary, opts));
  if (!opts.showRandom && summary.parameters.some((p) => p.class === 'r')) {
    const n = summary.parameters.filter((p) => p.class === 'r').length;
    out.push(`(${n} random effects r_*[level,term] not shown; they are in summary.json.)`);
  }
  const lap = laplaceFitLines(summary);
  if (lap.length) {
    out.push('', `${likelihoodLabel(summary)} fit:`);
    out.push(...labelled(lap, '  '));
  }
  out.push(...fixedTestLines(summary, likelihoodLabel(summary)));
  const zeros = zeroShareLine(summary);
  if (zeros) out.push('', zeros);
  if (summary.notes?.length) {
    out.push('', 'Notes:');
    for (const n of summary.notes) out.push(`  ${n}`);
  }
  out.push('', summary.warnings.length ? 'Warnings:' : 'Warnings: none');
  for (const w of summary.warnings) out.push(`  - ${w}`);
  return out.join('\n') + '\n';
}
