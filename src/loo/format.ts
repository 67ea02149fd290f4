/**
 * Terminal text and JSON of PSIS-LOO (as loo's print.psis_loo, pareto_k_table) and of model
 * comparisons (loo_compare beside AIC/BIC/LRT). JSON keys are loo's names.
 */
import { toJson } from '../report/format.js';
import type { KfoldResult } from './kfold.js';
import type { LooResult } from './loo.js';
import type { ModelComparison } from './models.js';
import type { WaicResult } from './waic.js';

/** JSON schema version of `glmm loo --json` and `glmm compare --json`. */
export const LOO_SCHEMA_VERSION = 1;

const f1 = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : 'NA');
const pad = (s: string, w: number) => s.padStart(w);

function estimateRows(rows: [string, number, number][]): string[] {
  const w = Math.max(...rows.map(([n]) => n.length));
  const cells = rows.map(([n, e, s]) => [n.padEnd(w), f1(e), f1(s)]);
  const we = Math.max(8, ...cells.map((c) => c[1].length)), ws = Math.max(5, ...cells.map((c) => c[2].length));
  return [`${''.padEnd(w)} ${pad('Estimate', we)} ${pad('SE', ws)}`, ...cells.map(([n, e, s]) => `${n} ${pad(e, we)} ${pad(s, ws)}`)];
}

/** loo's pareto_k_table with the sample-size threshold: counts, percentages, minimum ESS of the good ones. */
export function paretoKTable(r: LooResult): string[] {
  const k = r.pointwise.pareto_k, t = r.k_threshold, N = k.length;
  const bins: [string, string, (x: number) => boolean][] = [
    [`(-Inf, ${t.toFixed(2)}]`, '(good)', (x) => x <= t],
    [`(${t.toFixed(2)}, 1]`, '(bad)', (x) => x > t && x <= 1],
    ['(1, Inf)', '(very bad)', (x) => x > 1],
  ];
  if (k.every((x) => x <= t)) return [`All Pareto k estimates are good (k < ${t.toFixed(2)}).`];
  const out = ['Pareto k diagnostic values:', `${''.padEnd(14)} ${''.padEnd(10)} ${pad('Count', 5)} ${pad('Pct.', 7)} ${pad('Min. ESS', 8)}`];
  for (const [range, label, inBin] of bins) {
    const idx = [...k.keys()].filter((i) => inBin(k[i]));
    const ess = label === '(good)' && idx.length > 0 ? String(Math.round(Math.min(...idx.map((i) => r.pointwise.n_eff[i])))) : '—';
    out.push(`${pad(range, 14)} ${label.padEnd(10)} ${pad(String(idx.length), 5)} ${pad(((100 * idx.length) / N).toFixed(1) + '%', 7)} ${pad(ess, 8)}`);
  }
  return out;
}

/** The text of `glmm loo`: estimates, MCSE, Pareto k table, WAIC, warnings. */
export function formatLoo(r: LooResult & { waic?: WaicResult; group?: string | null }, chains?: { nChains: number; nDraws: number }): string {
  const [S, N] = r.dims;
  const what = r.group ? `${N} levels of ${r.group} (log-likelihood summed within each)` : `${N} observations`;
  const lines = [`PSIS-LOO from ${S} draws${chains ? ` (${chains.nChains} chains × ${chains.nDraws})` : ''} of ${what}.`, ''];
  lines.push(...estimateRows([['elpd_loo', r.elpd_loo, r.se_elpd_loo], ['p_loo', r.p_loo, r.se_p_loo], ['looic', r.looic, r.se_looic]]));
  lines.push('------', `MCSE of elpd_loo is ${f1(r.mcse_elpd_loo)}.`);
  const re = r.pointwise.r_eff;
  lines.push(`MCSE and ESS estimates assume MCMC draws (r_eff in [${f1(Math.min(...re))}, ${f1(Math.max(...re))}]).`, '');
  lines.push(...paretoKTable(r));
  if (r.waic) {
    const w = r.waic;
    lines.push('', ...estimateRows([['elpd_waic', w.elpd_waic, w.se_elpd_waic], ['p_waic', w.p_waic, w.se_p_waic], ['waic', w.waic, w.se_waic]]));
  }
  const warnings = [...r.warnings, ...(r.waic?.warnings ?? [])];
  if (warnings.length > 0) lines.push('', ...warnings.map((w) => `Warning: ${w}`));
  return lines.join('\n');
}

/** `glmm loo --json`: loo's names, per-observation arrays in row order, WAIC beside. */
export function looJson(r: LooResult & { waic?: WaicResult; group?: string | null; labels?: readonly string[] }): string {
  const w = r.waic;
  return toJson({
    schema_version: LOO_SCHEMA_VERSION,
    elpd_loo: r.elpd_loo, se_elpd_loo: r.se_elpd_loo, p_loo: r.p_loo, se_p_loo: r.se_p_loo, looic: r.looic, se_looic: r.se_looic,
    mcse_elpd_loo: r.mcse_elpd_loo, draws: r.dims[0], observations: r.dims[1], k_threshold: r.k_threshold, group: r.group ?? null,
    labels: r.labels, pareto_k: r.pointwise.pareto_k, n_eff: r.pointwise.n_eff, r_eff: r.pointwise.r_eff,
    elpd_loo_pointwise: r.pointwise.elpd_loo, p_loo_pointwise: r.pointwise.p_loo, mcse_elpd_loo_pointwise: r.pointwise.mcse_elpd_loo,
    bad_k: r.bad_k.map((i) => i + 1),
    waic: w ? { elpd_waic: w.elpd_waic, se_elpd_waic: w.se_elpd_waic, p_waic: w.p_waic, se_p_waic: w.se_p_waic, waic: w.waic, se_waic: w.se_waic, p_waic_pointwise: w.pointwise.p_waic } : null,
    warnings: [...r.warnings, ...(w?.warnings ?? [])],
  });
}

/** The text of a K-fold result. */
export function formatKfold(k: KfoldResult): string {
  const lines = [`${k.K}-fold cross-validation${k.group ? ` leaving out levels of ${k.group}` : ''} (${k.pointwise.elpd_kfold.length} observations, ${k.K} refits).`, ''];
  const rows: [string, number, number][] = [['elpd_kfold', k.elpd_kfold, k.se_elpd_kfold]];
  if (Number.isFinite(k.p_kfold)) rows.push(['p_kfold', k.p_kfold, k.se_p_kfold]);
  rows.push(['kfoldic', k.kfoldic, k.se_kfoldic]);
  return [...lines, ...estimateRows(rows)].join('\n');
}

function table(head: string[], rows: string[][]): string[] {
  const w = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (r: string[]) => r.map((c, j) => (j === 0 ? c.padEnd(w[j]) : pad(c, w[j]))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)];
}

const p4 = (p: number) => (!Number.isFinite(p) ? 'NA' : p < 1e-4 ? '<1e-4' : p.toFixed(4));

/** One block of the comparison: a title, a table, lines under it. */
interface Section {
  readonly title: string;
  readonly head: string[];
  readonly rows: string[][];
  readonly lines: string[];
}

function sections(c: ModelComparison): Section[] {
  const out: Section[] = [];
  if (c.elpd) {
    out.push({
      title: `Expected log predictive density (${c.criterion === 'kfold' ? 'K-fold' : c.criterion === 'waic' ? 'WAIC' : 'PSIS-LOO'}), best first (loo_compare):`,
      head: ['model', 'elpd_diff', 'se_diff', 'p_worse', 'elpd', 'se_elpd', 'diagnostics'],
      rows: c.elpd.map((r) => [r.model, f1(r.elpd_diff), f1(r.se_diff), Number.isFinite(r.p_worse) ? r.p_worse.toFixed(2) : '', f1(r.elpd), f1(r.se_elpd), [r.diag_diff, r.diag_elpd].filter((s) => s).join('; ')]),
      lines: [],
    });
  }
  if (c.ic) {
    out.push({
      title: 'Likelihood (Laplace ML), information criteria:',
      head: ['model', 'df', 'logLik', 'AIC', 'dAIC', 'BIC', 'dBIC', 'weight'],
      rows: c.ic.map((r) => [r.label, String(r.df), r.logLik.toFixed(2), r.aic.toFixed(1), r.deltaAic.toFixed(1), r.bic.toFixed(1), r.deltaBic.toFixed(1), r.aicWeight.toFixed(3)]),
      lines: [],
    });
  }
  if (c.lrt.length > 0) {
    out.push({
      title: 'Likelihood-ratio tests of nested pairs:',
      head: ['smaller', 'larger', 'Chisq', 'df', 'p', 'p (boundary)', 'use'],
      rows: c.lrt.map((t) => [t.smaller, t.larger, t.chisq.toFixed(3), String(t.df), p4(t.p), p4(t.pBoundary), t.recommended === 'pBoundary' ? 'boundary' : 'χ²']),
      lines: c.lrt.map((t) => `${t.smaller} vs ${t.larger}: ${t.note}`),
    });
  }
  if (c.notes.length > 0) out.push({ title: 'Notes:', head: [], rows: [], lines: c.notes });
  return out;
}

/** The text of `glmm compare`: the elpd table, the AIC/BIC table, the LRTs and notes. */
export function formatComparison(c: ModelComparison): string {
  return sections(c).map((s) => [s.title, ...(s.head.length > 0 ? table(s.head, s.rows) : []), ...s.lines.map((l) => `  ${l}`)].join('\n')).join('\n\n');
}

/** `glmm compare --json`. */
export function comparisonJson(c: ModelComparison): string {
  return toJson({ schema_version: LOO_SCHEMA_VERSION, ...c });
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A self-contained HTML page of the comparison (the report's section of `glmm compare --html FILE`). */
export function comparisonHtml(c: ModelComparison, title = 'Model comparison'): string {
  const body = sections(c).map((s) => {
    const tbl = s.head.length === 0 ? '' : `<table><thead><tr>${s.head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${s.rows.map((r) => `<tr>${r.map((v) => `<td>${esc(v)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
    return `<section><h2>${esc(s.title.replace(/:$/, ''))}</h2>${tbl}${s.lines.map((l) => `<p>${esc(l)}</p>`).join('')}</section>`;
  });
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>body{font-family:system-ui,sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse}td,th{padding:.2em .8em;border-bottom:1px solid #ddd;text-align:right}td:first-child,th:first-child{text-align:left}</style></head><body><h1>${esc(title)}</h1>${body.join('\n')}</body></html>\n`;
}
