/**
 * `glmm fit` and `glmm laplace`: read the CSV, fit, print the table (or summary.json with --json) and,
 * with --out DIR, write summary.json, one draws_chainK.csv per chain (CmdStan layout), trace.svg and
 * report.html. A progress bar goes to stderr while sampling, only when stderr is a TTY and not --json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { saveFit } from '../fit/io.js';
import { interruptedWarning, reportInput } from '../fit/report-input.js';
import { FAMILY_NAMES } from '../../models/families/index.js';
import { LINK_NAMES } from '../../models/links.js';
import type { FamilyName, LinkName } from '../../models/families/types.js';
import { GlmmInputError } from '../../base/errors.js';
import { fit, laplaceOnly, type GlmmFit } from '../fit.js';
import { readCsvFile } from '../data/read.js';
import { formatSummaryTable, toJson } from '../report/table.js';
import type { SummaryJson } from '../report/schema.js';
import type { FitArgs, LaplaceArgs, ModelArgs } from './args.js';
import { progressBar } from './progress.js';
import { checkLooFitArgs, fitLooOutputs } from './fit-loo.js';

function familyOf(name: string): FamilyName {
  const alias: Record<string, FamilyName> = { negbin: 'negbinomial', nbinom2: 'negbinomial', normal: 'gaussian' };
  const lower = name.toLowerCase();
  const f = alias[lower] ?? lower;
  if (!(FAMILY_NAMES as readonly string[]).includes(f)) throw new GlmmInputError(`unknown family '${name}'; use one of ${FAMILY_NAMES.join(', ')}`);
  return f as FamilyName;
}

function linkOf(name: string | undefined): LinkName | undefined {
  if (name === undefined) return undefined;
  const lower = name.toLowerCase();
  if (!(LINK_NAMES as readonly string[]).includes(lower)) throw new GlmmInputError(`unknown link '${name}'; use one of ${LINK_NAMES.join(', ')}`);
  return lower as LinkName;
}

function modelInput(a: ModelArgs) {
  return {
    formula: a.formula, data: readCsvFile(a.data, { factors: a.factors, sep: a.sep, na: a.na }), family: familyOf(a.family), link: linkOf(a.link),
    factors: a.factors, priors: a.priors, prob: a.prob,
  };
}

function outDir(dir: string): string {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new GlmmInputError(`--out ${dir}: cannot create the directory (${(e as NodeJS.ErrnoException).code ?? 'error'}); choose a writable path`);
  }
  return dir;
}

/** The HTML report and trace plot need jsdom (slow to load): imported only when --out asks for them. */
async function reportModules() {
  const [{ renderReport }, { tracePlot }] = await Promise.all([import('../report/html.js'), import('../report/plots/trace.js')]);
  return { renderReport, tracePlot };
}

/** Writes --out files of a posterior fit. */
async function writeFitOutputs(dir: string, f: GlmmFit, seed: number): Promise<void> {
  saveFit(dir, f);
  const { renderReport, tracePlot } = await reportModules();
  const input = reportInput(f, seed);
  writeFileSync(join(dir, 'trace.svg'), tracePlot(input.draws));
  writeFileSync(join(dir, 'report.html'), renderReport(input));
}

/** `glmm fit`: returns what goes to stdout. */
export async function runFit(a: FitArgs): Promise<string> {
  const bar = !a.json && process.stderr.isTTY ? progressBar(process.stderr) : null;
  let interrupted = false;
  const onSigint = () => {
    interrupted = true;
  };
  process.once('SIGINT', onSigint);
  try {
    const input = modelInput(a);
    if (a.out) outDir(a.out); // an unwritable --out fails now, not after the sampling
    const opts = {
      ...input, chains: a.chains, warmup: a.warmup, draws: a.draws, seed: a.seed, adaptDelta: a.adaptDelta,
      maxTreedepth: a.maxTreedepth, metric: a.metric, init: a.init, sampler: a.sampler, backend: a.backend, laplace: !a.noLaplace,
      centered: a.centered,
    };
    checkLooFitArgs(a.looOut, a.out);
    const f = await fit({ ...opts, onProgress: bar?.update, shouldStop: () => interrupted });
    bar?.done();
    if (f.stopped) f.summary.warnings.push(interruptedWarning(f.draws.nDraws));
    if (a.out) await writeFitOutputs(a.out, f, f.summary.sampler?.seed ?? 1);
    const comparison = await fitLooOutputs(f, opts, a.looOut, a.out);
    const text = a.json ? toJson(f.summary) : formatSummaryTable(f.summary, { showRandom: a.showRandom, wide: a.wide });
    return a.json || comparison === '' ? text : `${text}\n\n${comparison}`;
  } finally {
    bar?.done();
    process.removeListener('SIGINT', onSigint);
  }
}

/** `glmm laplace`: returns what goes to stdout. */
export async function runLaplace(a: LaplaceArgs): Promise<string> {
  const input = modelInput(a);
  if (a.out) outDir(a.out);
  const r = laplaceOnly({ ...input, nAGQ: a.nAGQ, reml: a.reml });
  const summary: SummaryJson = r.summary;
  if (a.out) {
    const { renderReport } = await reportModules();
    writeFileSync(join(a.out, 'summary.json'), toJson(summary) + '\n');
    writeFileSync(join(a.out, 'report.html'), renderReport({ summary }));
  }
  return a.json ? toJson(summary) : formatSummaryTable(summary, { showRandom: a.showRandom, wide: a.wide });
}

