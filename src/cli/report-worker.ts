/**
 * The --out plots and report.html rendered in a worker thread. The CLI starts it when the fit starts,
 * so that loading d3 and the report's modules runs on the other core while the main thread fits, and
 * only the rendering (~0.2–0.3 s for RCBD) remains at the end. Messages: in, the
 * {@link ReportJob}; out, `{ trace, report }` (SVG and HTML text) or `{ error }`.
 */
import { parentPort } from 'node:worker_threads';
import type { Draws } from '../../diagnostics/draws.js';
import type { SummaryJson } from '../report/schema.js';

/** What the worker renders: the summary, the plotted chains and the predictive check. */
export interface ReportJob {
  readonly summary: SummaryJson;
  readonly draws: Draws;
  readonly ppc: { readonly y: Float64Array; readonly yrep: Float64Array; readonly nDraws: number };
}

const modules = Promise.all([import('../report/html.js'), import('../report/plots/trace.js')]);

parentPort?.on('message', (job: ReportJob) => {
  modules.then(([{ renderReport }, { tracePlot }]) => {
    const trace = tracePlot(job.draws);
    const report = renderReport({ summary: job.summary, draws: job.draws, ppc: job.ppc });
    parentPort?.postMessage({ trace, report });
  }).catch((e: unknown) => parentPort?.postMessage({ error: e instanceof Error ? e.message : String(e) }));
});
