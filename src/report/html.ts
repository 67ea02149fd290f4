/**
 * report.html: one self-contained file that opens offline (inline CSS and inline SVG; no scripts,
 * fonts, images or style sheets from anywhere) with the summary table, the notes and warnings, and
 * every plot in a `<section id=…>` with a caption saying what to look for.
 */
import type { Draws } from '../../diagnostics/draws.js';
import type { SummaryJson } from './schema.js';
import { hasPosterior, summaryTableModel, zeroShareLine } from './table.js';
import { laplaceFitLines, summaryHeaderLines } from './header.js';
import type { TableModel } from './text-table.js';
import { tracePlot } from './plots/trace.js';
import { rankPlot } from './plots/rank.js';
import { densityPlot, laplaceByName } from './plots/density.js';
import { caterpillarPlot } from './plots/caterpillar.js';
import { ppcPlot } from './plots/ppc.js';
import type { PosteriorPredictive } from './plots/ppc.js';

/** What {@link renderReport} takes. */
export interface ReportInput {
  summary: SummaryJson;
  /** Constrained draws (DESIGN names); null/absent for a Laplace-only fit (no trace/rank/density). */
  draws?: Draws | null;
  /** Posterior predictive draws and the observed y, for the PPC section. */
  ppc?: PosteriorPredictive | null;
  /** Page title (default: "GLMM fit: <formula>"). */
  title?: string;
  /** Parameters for the trace, rank and density plots (default: all but r_*). */
  parameters?: readonly string[];
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Captions: what each plot shows and what to look for. */
export const CAPTIONS: Record<string, string> = {
  trace: 'Each chain\'s draws over the iterations after warmup. Look for chains that overlap as one stationary band (a "hairy caterpillar"); a chain sitting apart, trending, or stuck for long stretches means the chains have not converged (compare nR-hat, or R-hat for a NUTS run, in the table).',
  rank: 'Draws of all chains ranked together, then binned per chain (Vehtari et al. 2021). Every chain\'s line should stay inside the grey band, the 99% range of a bin count if all chains sample the same distribution; a chain high at one end and low at the other has a different location, a ∪ or ∩ shape a different scale.',
  density: 'Kernel density of the posterior draws (all chains) with the Laplace maximum-likelihood estimate (dashed line) and its 95% interval (grey band). With enough data the two agree; a variance component whose posterior keeps mass away from an ML estimate at 0 is a singular fit the posterior resolves differently.',
  caterpillar: 'Each level\'s posterior median and 90% interval, sorted. Levels whose interval excludes 0 (dashed line) stand apart from the average; diamonds are lme4-style Laplace conditional modes. Intervals squeezed towards 0 show shrinkage by the group sd.',
  'ppc-zeros': 'The share of rows with y = 0 against its distribution over data replicated from the posterior predictive: P(replicated ≥ observed) near 0 says the model predicts too few zeros (zero inflation or a hurdle may be missing), near 1 too many.',
  ppc: 'Observed data against data replicated from the posterior predictive distribution. About 90% of the observed points should fall inside their 90% intervals, and the observed distribution should look like a typical replicate; systematic misses (too many zeros, a heavier tail) point at the family or the linear predictor.',
};

/** Inline style sheet of the report (no external resources). */
export const REPORT_CSS = `
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #222; background: #fff; margin: 0 auto; padding: 24px 32px 48px; max-width: 1220px; line-height: 1.45; }
h1 { font-size: 1.6rem; margin: 0 0 4px; }
h2 { font-size: 1.25rem; margin: 32px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.subtitle { color: #666; margin: 0 0 16px; }
dl.model { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0 0 16px; }
dl.model dt { font-weight: 600; color: #555; }
dl.model dd { margin: 0; font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.92rem; }
table { border-collapse: collapse; font-size: 0.9rem; margin: 8px 0; }
th, td { padding: 3px 10px; }
thead th { border-bottom: 1px solid #999; text-align: right; white-space: nowrap; }
thead tr.spans th { border-bottom: 1px solid #ccc; text-align: center; color: #555; font-weight: 600; }
th.name, td.name { text-align: left; }
td { text-align: right; font-variant-numeric: tabular-nums; white-space: pre; }
td.name { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
tbody tr:nth-child(even) { background: #f6f7f9; }
.footnote { color: #666; font-size: 0.85rem; margin: 2px 0; }
ul.warnings li { color: #8a4b00; }
ul.notes li { color: #234; }
.none { color: #2a7a2a; }
figure { margin: 8px 0; }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption { color: #555; font-size: 0.92rem; max-width: 1100px; margin-top: 6px; }
details { margin: 8px 0; }
`;

/** The parameter table as HTML (`<table id=…>`, one `<tbody>` row per parameter). */
export function htmlTable(t: TableModel, id: string): string {
  const head: string[] = [];
  if (t.spans.length) {
    const cells: string[] = [];
    let col = 0;
    for (const [label, a, b] of t.spans) {
      if (a > col) cells.push(`<th colspan="${a - col}"></th>`);
      cells.push(`<th colspan="${b - a + 1}">${escapeHtml(label)}</th>`);
      col = b + 1;
    }
    if (col < t.columns.length) cells.push(`<th colspan="${t.columns.length - col}"></th>`);
    head.push(`<tr class="spans">${cells.join('')}</tr>`);
  }
  head.push(`<tr>${t.columns.map((c, j) => `<th${j === 0 ? ' class="name"' : ''}>${escapeHtml(c)}</th>`).join('')}</tr>`);
  const body = t.rows.map((r) => `<tr>${r.map((c, j) => (j === 0 ? `<td class="name">${escapeHtml(c)}</td>` : `<td>${escapeHtml(c)}</td>`)).join('')}</tr>`);
  const foot = t.footnotes.map((f) => `<p class="footnote">${escapeHtml(f)}</p>`).join('\n');
  return `<table id="${id}" class="summary-table">\n<thead>${head.join('')}</thead>\n<tbody>\n${body.join('\n')}\n</tbody>\n</table>\n${foot}`;
}

export function definitionList(lines: [string, string][], cls: string): string {
  return `<dl class="${cls}">${lines.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;
}

/** A self-contained page: the report's head (title, viewport, REPORT_CSS) around `body`. */
export function htmlPage(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

function figureSection(id: string, heading: string, svg: string): string {
  return `<section id="${id}">\n<h2>${escapeHtml(heading)}</h2>\n<figure>\n${svg}\n<figcaption>${escapeHtml(CAPTIONS[id])}</figcaption>\n</figure>\n</section>`;
}

/**
 * The self-contained report.html: summary (model, sampler, parameter table, Laplace fit), notes,
 * warnings, then the sections trace, rank, density (when draws are given), caterpillar (when the
 * summary has random effects with posterior summaries) and ppc (when given).
 */
export function renderReport(input: ReportInput): string {
  const { summary, draws, ppc } = input;
  const title = input.title ?? `GLMM fit: ${summary.model.formula}`;
  const parts: string[] = [];
  parts.push(`<header><h1>${escapeHtml(title)}</h1><p class="subtitle">${escapeHtml(
    `${summary.model.family} (${summary.model.link} link), ${summary.model.nobs} observations · ` +
    `${hasPosterior(summary) ? 'posterior (HMC) beside the Laplace ML fit' : 'Laplace ML fit only'} · glmm-hmc ${summary.package_version} · `)}` +
    `<a href="#warnings">${summary.warnings.length ? `${summary.warnings.length} warning${summary.warnings.length > 1 ? 's' : ''}` : 'no warnings'}</a></p></header>`);
  const lines = summaryHeaderLines(summary).map(([k, v]) => [k || ' ', v] as [string, string]);
  const lap = laplaceFitLines(summary);
  const randomRows = summary.parameters.filter((p) => p.class === 'r').length;
  parts.push(`<section id="summary">\n<h2>Summary</h2>\n${definitionList(lines, 'model')}\n` +
    `${htmlTable(summaryTableModel(summary), 'parameters')}\n` +
    (lap.length ? `<h3>Laplace (ML) fit</h3>\n${definitionList(lap, 'model laplace')}\n` : '') +
    (randomRows ? `<details><summary>Random effects (${randomRows})</summary>\n${htmlTable(
      { ...summaryTableModel({ ...summary, parameters: summary.parameters.filter((p) => p.class === 'r') }, { showRandom: true }), footnotes: [] },
      'random-effects')}\n</details>\n` : '') +
    '</section>');
  if (summary.notes?.length) {
    parts.push(`<section id="notes">\n<h2>Notes</h2>\n<ul class="notes">${summary.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>\n</section>`);
  }
  parts.push(`<section id="warnings">\n<h2>Warnings</h2>\n` + (summary.warnings.length
    ? `<ul class="warnings">${summary.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>`
    : '<p class="none">No warnings.</p>') + '\n</section>');
  if (draws) {
    const opts = { parameters: input.parameters, title: '' };
    parts.push(figureSection('trace', 'Trace plots', tracePlot(draws, opts)));
    parts.push(figureSection('rank', 'Rank plots (all chains ranked together)', rankPlot(draws, opts)));
    parts.push(figureSection('density', 'Posterior densities and Laplace (ML) estimates', densityPlot(draws, { ...opts, laplace: laplaceByName(summary) })));
  }
  const cat = caterpillarPlot(summary, { title: '' });
  if (cat) parts.push(figureSection('caterpillar', 'Random effects: posterior median and 90% interval per level', cat));
  if (ppc) parts.push(figureSection('ppc', 'Posterior predictive check', ppcPlot(ppc, { title: '' })));
  const zeros = zeroShareLine(summary);
  if (zeros) parts.push(`<section id="ppc-zeros">\n<h2>Share of zeros</h2>\n<p class="ppc-zeros">${escapeHtml(zeros)}</p>\n<p class="caption">${escapeHtml(CAPTIONS['ppc-zeros'])}</p>\n</section>`);
  return htmlPage(title, parts.join('\n'));
}
