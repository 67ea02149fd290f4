/**
 * `glmm fit` and `glmm laplace`: read the CSV, fit, print the table (or summary.json with --json) and,
 * with --out DIR, write summary.json, the draws CSVs (one draws.csv with `.chain` and `.superchain`
 * columns for ChEES, one draws_chainK.csv per chain for NUTS or `--draws-csv per-chain`; src/fit/io.ts),
 * trace.svg and report.html, through a temporary directory moved into place at the end
 * (src/fit/out-dir.ts). A progress bar goes to stderr while sampling, only when stderr is a TTY and not
 * --json. SIGINT/SIGTERM stop the sampling and keep the draws so far (src/cli/interrupt.ts).
 */
import { fitOutputFiles, type DrawsLayout } from '../fit/io.js';
import { openOutDir, type OutDir } from '../fit/out-dir.js';
import { markIncomplete, reportInput } from '../fit/report-input.js';
import { familyOf, linkOf } from './model-names.js';
import { fit, laplaceOnly, type GlmmFit } from '../fit.js';
import { readCsvFile } from '../data/read.js';
import { formatSummaryTable, toJson } from '../report/table.js';
import type { SummaryJson } from '../report/schema.js';
import type { FitArgs, LaplaceArgs, ModelArgs } from './args.js';
import { progressBar } from './progress.js';
import type { ReportJob } from './report-worker.js';
import { Worker } from 'node:worker_threads';
import { keptNote, SIGNAL_EXIT, watchInterrupts } from './interrupt.js';
import { checkLooFitArgs, fitLooOutputs } from './fit-loo.js';

function modelInput(a: ModelArgs) {
  return {
    formula: a.formula, data: readCsvFile(a.data, { factors: a.factors, sep: a.sep, na: a.na }), family: familyOf(a.family), link: linkOf(a.link),
    factors: a.factors, weights: a.weights, levels: a.levels, zi: a.zi, priors: a.priors, prob: a.prob,
    ddf: a.ddf, means: a.means, profile: a.profile ? undefined : false,
  };
}

/** The HTML report and trace plot (d3): imported only when --out asks for them. */
async function reportModules() {
  const [{ renderReport }, { tracePlot }] = await Promise.all([import('../report/html.js'), import('../report/plots/trace.js')]);
  return { renderReport, tracePlot };
}

/** A report worker (report-worker.ts), started before the fit so that the report's modules load meanwhile. */
function startReportWorker(): Worker | null {
  try {
    const w = new Worker(new URL('./report-worker.js', import.meta.url));
    w.unref();
    return w;
  } catch {
    return null;
  }
}

/** Renders trace.svg and report.html in the worker, or here when there is none or it fails. */
async function renderOutputs(worker: Worker | null, job: ReportJob): Promise<{ trace: string; report: string }> {
  if (worker) {
    const reply = await new Promise<{ trace?: string; report?: string; error?: string }>((resolve) => {
      worker.once('message', resolve);
      worker.once('error', (e) => resolve({ error: e.message }));
      worker.postMessage(job);
    });
    if (reply.trace !== undefined && reply.report !== undefined) return { trace: reply.trace, report: reply.report };
  }
  const { renderReport, tracePlot } = await reportModules();
  return { trace: tracePlot(job.draws), report: renderReport({ summary: job.summary, draws: job.draws, ppc: job.ppc }) };
}

/** Writes --out files of a posterior fit into `out` (committed by the caller). */
async function writeFitOutputs(out: OutDir, f: GlmmFit, seed: number, layout: DrawsLayout | undefined, worker: Worker | null): Promise<void> {
  const rendering = renderOutputs(worker, reportInput(f, seed)); // the worker renders while the draws are written
  rendering.catch(() => undefined); // a write error below must not leave this rejection unhandled; awaited after
  for (const file of fitOutputFiles(f, layout)) out.write(file);
  const rendered = await rendering;
  out.write({ name: 'trace.svg', content: rendered.trace });
  out.write({ name: 'report.html', content: rendered.report });
}


/** What a command prints and its exit code (0, or 130/143 after SIGINT/SIGTERM). */
export interface CommandResult {
  readonly stdout: string;
  /** one line for stderr (the interrupt notice), or '' */
  readonly stderr: string;
  readonly code: number;
}

/** `glmm fit`: what goes to stdout and stderr, and the exit code. */
export async function runFit(a: FitArgs): Promise<CommandResult> {
  const bar = !a.json && process.stderr.isTTY ? progressBar(process.stderr) : null;
  let out: OutDir | null = null;
  const interrupts = watchInterrupts(() => bar?.done());
  let worker: Worker | null = null;
  try {
    const input = modelInput(a);
    if (a.out) out = openOutDir(a.out); // an unwritable or busy --out fails now, not after the sampling
    const opts = {
      ...input, chains: a.chains, warmup: a.warmup, draws: a.draws, ess: a.ess, seed: a.seed, adaptDelta: a.adaptDelta,
      maxTreedepth: a.maxTreedepth, metric: a.metric, init: a.init, sampler: a.sampler, backend: a.backend, threads: a.threads, laplace: !a.noLaplace,
      centered: a.centered,
    };
    checkLooFitArgs(a.looOut, a.out);
    if (a.eachResponse) {
      const { runEachResponse } = await import('./each-response.js');
      return await runEachResponse(a, { ...opts, data: input.data }, out, interrupts);
    }
    if (a.out) worker = startReportWorker();
    const f = await fit({ ...opts, onProgress: bar?.update, shouldStop: () => interrupts.signal() !== null });
    const signal = interrupts.signal();
    if (f.stopped && f.draws.nDraws === 0) {
      // stopped during warmup: nothing worth keeping
      bar?.done();
      out?.abort();
      return { stdout: '', stderr: `error: ${signal ?? 'stop'} during warmup: no draws were kept${a.out ? `; ${a.out} keeps its previous files` : ''}`, code: signal ? SIGNAL_EXIT[signal] : 1 };
    }
    if (f.stopped) markIncomplete(f, signal ?? 'stopped');
    if (out) {
      bar?.phase(`writing ${a.out}: draws, summary.json, trace.svg, report.html…`);
      await writeFitOutputs(out, f, f.summary.sampler?.seed ?? 1, a.drawsCsv, worker);
    }
    bar?.done();
    // log_lik, loo, K-fold files go into the same temporary directory and move into place with the rest
    let comparison: string;
    try {
      comparison = await fitLooOutputs(f, opts, a.looOut, out?.path, a.many, () => interrupts.signal() !== null);
    } catch (e) {
      if (!(e instanceof Error && e.name === 'KfoldStopped')) throw e;
      return { stdout: '', stderr: `error: ${signal ?? interrupts.signal() ?? 'stop'}: ${e.message}${keptNote(a.many.results)}${a.out ? `; ${a.out} keeps its previous files` : ''}`, code: SIGNAL_EXIT[interrupts.signal() ?? 'SIGINT'] };
    }
    out?.commit();
    const text = a.json ? toJson(f.summary) : formatSummaryTable(f.summary, { showRandom: a.showRandom, wide: a.wide });
    const stdout = a.json || comparison === '' ? text : `${text}\n\n${comparison}`;
    if (!signal) return { stdout, stderr: '', code: 0 };
    const kept = f.stopped ? `the ${f.draws.nDraws} draws per chain done so far` : 'all the draws (sampling had finished)';
    return { stdout, stderr: `error: ${signal}: stopped; kept ${kept}${a.out ? ` in ${a.out}` : ''}, summary marked incomplete`, code: SIGNAL_EXIT[signal] };
  } finally {
    bar?.done();
    out?.abort();
    interrupts.dispose();
    void worker?.terminate();
  }
}

/** `glmm laplace`: returns what goes to stdout. */
export async function runLaplace(a: LaplaceArgs, onEvaluation?: (step: string, evaluations: number, best: number) => void): Promise<string> {
  const input = modelInput(a);
  const out = a.out ? openOutDir(a.out) : null;
  try {
    const r = laplaceOnly({ ...input, nAGQ: a.nAGQ, reml: a.reml, onEvaluation });
    const summary: SummaryJson = r.summary;
    if (out) {
      const { renderReport } = await reportModules();
      out.write({ name: 'summary.json', content: toJson(summary) + '\n' });
      out.write({ name: 'report.html', content: renderReport({ summary }) });
      out.commit();
    }
    return a.json ? toJson(summary) : formatSummaryTable(summary, { showRandom: a.showRandom, wide: a.wide });
  } finally {
    out?.abort();
  }
}

