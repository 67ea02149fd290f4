/**
 * What `glmm fit` does for model comparison (src/loo) after the fit: `--log-lik` writes
 * log_lik_chainK.csv and log_lik_rows.csv into --out; `--loo` and `--loo-group g` print PSIS-LOO (and
 * WAIC) by observation or by level of g (loo.json, loo_group.json); `--kfold K [--kfold-group g]`
 * refits K times and prints elpd_kfold (kfold.json). Returns the text to print after the summary.
 * src/loo loads only when one of these is asked for (a plain fit starts faster without its 13 modules).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FitOptions, GlmmFit } from '../fit.js';
import { toJson } from '../report/format.js';
import type { LooFitArgs, ManyArgs } from './args.js';
import { UsageError } from './flag-values.js';
import { jobsBar } from './progress.js';
import { defaultWorkers } from '../pool/pool.js';

/** Usage errors before any sampling: --log-lik needs --out. */
export function checkLooFitArgs(a: LooFitArgs, out: string | undefined): void {
  if (a.logLik && !out) throw new UsageError('--log-lik writes log_lik_chainK.csv into the --out directory; add --out DIR');
}

/** Runs the requested comparison outputs; returns their text ('' when none was asked). */
export async function fitLooOutputs(f: GlmmFit, opts: FitOptions, a: LooFitArgs, out: string | undefined, many: ManyArgs, shouldStop: () => boolean): Promise<string> {
  if (!a.logLik && !a.loo && !a.looGroup && a.kfold === undefined) return '';
  const [{ logLik, loo }, { formatKfold, formatLoo, looJson }, { saveLogLik }, { kfold }] = await Promise.all([
    import('../loo/api.js'), import('../loo/format.js'), import('../loo/io.js'), import('../loo/kfold.js')]);
  const parts: string[] = [];
  if (a.logLik && out) saveLogLik(out, logLik(f), f.design, `glmm pointwise log-likelihood: ${f.summary.model.formula} (${f.summary.model.family}, ${f.summary.model.link})`);
  if (a.loo) {
    const r = loo(f);
    parts.push(formatLoo(r, f.draws));
    if (out) writeFileSync(join(out, 'loo.json'), looJson(r) + '\n');
  }
  if (a.looGroup) {
    const r = loo(f, { group: a.looGroup });
    parts.push(formatLoo(r, f.draws));
    if (out) writeFileSync(join(out, 'loo_group.json'), looJson(r) + '\n');
  }
  if (a.kfold !== undefined) {
    const bar = process.stderr.isTTY ? jobsBar(process.stderr, 'K-fold', 'refits') : null;
    try {
      const k = await kfold(opts, { K: a.kfold, group: a.kfoldGroup, seed: opts.seed, workers: many.workers ?? defaultWorkers(), results: many.results, resume: many.resume, onProgress: bar?.update, shouldStop }, f);
      parts.push(formatKfold(k));
      if (out) writeFileSync(join(out, 'kfold.json'), toJson(k) + '\n');
    } finally {
      bar?.done();
    }
  }
  return parts.join('\n\n');
}
