/**
 * The results area: the parameter table (the report's htmlTable of summaryTableModel), live trace and
 * density plots (the report's tracePlot and densityPlot), the progress line, and at the end the
 * report itself (renderReport, shown in a frame and offered as report.html).
 */
import { htmlTable, renderReport } from '../../src/report/html.js';
import { summaryTableModel } from '../../src/report/table.js';
import { tracePlot } from '../../src/report/plots/trace.js';
import { densityPlot, laplaceByName } from '../../src/report/plots/density.js';
import type { SummaryJson } from '../../src/report/schema.js';
import { $ } from './form.js';
import type { FinalReport, LiveSnapshot } from './protocol.js';

/** Columns of the live plots (2 × 2 panels for the RCBD model's four parameters). */
const PLOT_COLUMNS = 2;

/** Live updates shown so far (the end-to-end test reads it from data-updates). */
let updates = 0;

/** Clears the results for a new run. */
export function resetView(): void {
  updates = 0;
  $('live').hidden = false;
  $('empty').hidden = true;
  $('plots').hidden = true;
  $('report').hidden = true;
  $('downloads').hidden = true;
  $('table').replaceChildren();
  $('trace').replaceChildren();
  $('density').replaceChildren();
  $('warnings').replaceChildren();
  $('table-title').hidden = true;
  $('table-title').textContent = '';
  $('table-note').hidden = true;
  $('live').dataset.updates = '0';
}

/** The progress line: phase, iterations, seconds, and the bar. */
export function showStatus(text: string, frac: number | null, phase: 'warmup' | 'sampling' | 'idle' | 'error' = 'idle'): void {
  $('status-text').textContent = text;
  $('status').classList.toggle('error', phase === 'error');
  const fill = $('bar-fill');
  fill.style.width = `${Math.round(100 * Math.max(0, Math.min(1, frac ?? 0)))}%`;
  fill.classList.toggle('warmup', phase === 'warmup');
}

function showTable(summary: SummaryJson, title: string, note: string): void {
  $('table-title').hidden = false;
  $('table-title').textContent = title;
  $('table-note').hidden = note === '';
  $('table-note').textContent = note;
  $('table').innerHTML = htmlTable(summaryTableModel(summary), 'parameters');
}

function showWarnings(ws: readonly string[]): void {
  $('warnings').replaceChildren(...ws.map((w) => Object.assign(document.createElement('li'), { textContent: w })));
}

/** The Laplace answer alone (before the first draws). */
export function showLaplace(summary: SummaryJson, seconds: number): void {
  showTable(summary, 'Laplace (maximum-likelihood) answer', `glmer's answer in ${seconds.toFixed(2)} s; the posterior columns fill in as the chains run.`);
  showWarnings(summary.warnings);
}

/** A live snapshot: table, trace and density plots. */
export function showLive(s: LiveSnapshot): void {
  updates++;
  $('live').dataset.updates = String(updates);
  showTable(s.summary, s.warmup ? 'Warmup in progress: provisional posterior' : 'Sampling in progress: posterior so far',
    `Posterior columns from ${s.window}; they change until sampling ends.`);
  $('plots').hidden = false;
  $('trace-caption').textContent = s.warmup
    ? `Trace during warmup (first ${s.trace.nChains} chains; chains should come together)`
    : `Trace after warmup (first ${s.trace.nChains} chains)`;
  $('trace').innerHTML = tracePlot(s.trace, { title: '', ncol: PLOT_COLUMNS, xLabel: s.warmup ? 'warmup iteration' : 'iteration (after warmup)' });
  $('density').innerHTML = densityPlot(s.density, { title: '', ncol: PLOT_COLUMNS, laplace: laplaceByName(s.summary) });
  showWarnings(s.summary.warnings);
}

/** The finished fit: the report in a frame (same table, plots and warnings as report.html); returns its HTML. */
export function showFinal(r: FinalReport): string {
  const html = renderReport({ summary: r.summary, draws: r.draws, ppc: r.ppc });
  $('live').hidden = true;
  const frame = $<HTMLIFrameElement>('report');
  frame.hidden = false;
  frame.onload = () => {
    const doc = frame.contentDocument;
    if (!doc) return;
    // inside the page the report sits in a narrower column than on its own: tighter margins and table
    doc.head.append(Object.assign(doc.createElement('style'), { textContent: 'body { padding: 4px 8px 24px; } table { font-size: 0.82rem; } th, td { padding: 3px 7px; }' }));
    frame.style.height = `${doc.documentElement.scrollHeight + 20}px`;
  };
  frame.srcdoc = html;
  $('downloads').hidden = false;
  return html;
}

/** Stopped before any draw: the Laplace table stays, with the reason. */
export function showNoDraws(summary: SummaryJson | null, message: string): void {
  if (summary) showTable(summary, 'Laplace (maximum-likelihood) answer', message);
  else $('table-note').textContent = message;
}
