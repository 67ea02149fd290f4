/**
 * `glmm fit` and `glmm laplace`: read the CSV, fit, print the table (or summary.json with --json) and,
 * with --out DIR, write summary.json, one draws_chainK.csv per chain (CmdStan layout), trace.svg and
 * report.html. A progress bar goes to stderr while sampling, only when stderr is a TTY and not --json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { saveFit } from '../fit/io.js';
import { getFamily, FAMILY_NAMES } from '../../models/families/index.js';
import { getLink, LINK_NAMES } from '../../models/links.js';
import type { FamilyName, LinkName } from '../../models/families/types.js';
import { GlmmInputError } from '../../base/errors.js';
import { fit, laplaceOnly, type GlmmFit } from '../fit.js';
import { readCsvFile } from '../data/read.js';
import { posteriorPredictive } from '../inference/predict.js';
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
    factors: a.factors, weights: a.weights, priors: a.priors, prob: a.prob,
    ddf: a.ddf, means: a.means, profile: a.profile ? undefined : false,
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
  // many-chain runs: plot the first PLOT_CHAINS chains (256 overlaid traces are unreadable and megabytes large)
  const shown = firstChains(f.draws, PLOT_CHAINS);
  writeFileSync(join(dir, 'trace.svg'), tracePlot(shown));
  const family = getFamily(f.spec.family);
  const yrep = posteriorPredictive(f.design, thin(f.draws, 400), family, getLink(f.spec.link), seedrandom(String(seed)));
  writeFileSync(join(dir, 'report.html'), renderReport({ summary: f.summary, draws: shown, ppc: { y: f.design.response.y, yrep: yrep.data, nDraws: yrep.nChains * yrep.nDraws } }));
}

/** Chains shown in trace.svg and report.html's trace, rank and density plots. */
const PLOT_CHAINS = 8;

/** The first `k` chains of the draws (all of them when there are at most k). */
function firstChains(d: GlmmFit['draws'], k: number): GlmmFit['draws'] {
  if (d.nChains <= k) return d;
  return { nChains: k, nDraws: d.nDraws, names: d.names, data: d.data.slice(0, k * d.nDraws * d.names.length) };
}

/** At most `max` draws spread over the chains (for the predictive check). */
function thin(d: GlmmFit['draws'], max: number): GlmmFit['draws'] {
  const total = d.nChains * d.nDraws;
  if (total <= max) return d;
  const P = d.names.length;
  const step = total / max;
  const data = new Float64Array(max * P);
  for (let i = 0; i < max; i++) data.set(d.data.subarray(Math.floor(i * step) * P, (Math.floor(i * step) + 1) * P), i * P);
  return { nChains: 1, nDraws: max, names: d.names, data };
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
    if (f.stopped) f.summary.warnings.push(`Sampling was interrupted: the summary uses the ${f.draws.nDraws} draws per chain completed.`);
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

