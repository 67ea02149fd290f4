/**
 * `glmm loo FILE.csv|DIR...` (PSIS-LOO and WAIC from any CmdStan-layout CSVs with log_lik columns, or
 * from `glmm fit --log-lik --out DIR`; `--loo-group g` for leave-one-group-out) and `glmm compare
 * DIR DIR...` (loo_compare beside AIC/BIC/LRT, from --out directories; `--html FILE` writes the page).
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { GlmmInputError } from '../../base/errors.js';
import { comparisonHtml, comparisonJson, formatComparison, formatLoo, looJson } from '../loo/format.js';
import { sumByGroup } from '../loo/group.js';
import { groupsFromCsv, loadLogLik, logLikFiles } from '../loo/io.js';
import { psisLoo } from '../loo/loo.js';
import { compareModels, type ComparedModel, type Criterion } from '../loo/models.js';
import { readLogLik } from '../loo/read.js';
import { waic } from '../loo/waic.js';
import type { SummaryJson } from '../report/schema.js';
import { UsageError } from './flag-values.js';

function parse(argv: string[], options: Record<string, { type: 'string' | 'boolean' }>) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split('\n')[0].replace(/\. To specify a positional argument.*$/, '').replace(/\.$/, '')} (see glmm --help)`);
  }
}

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();

/** `glmm loo`: returns what goes to stdout. */
export function runLoo(argv: string[]): string {
  if (argv.some((a) => a === '--kfold' || a === '--kfold-group')) throw new UsageError('K-fold refits the model, so it runs with the fit: glmm fit --data … --formula … --family … --kfold K --kfold-group g [--out DIR]');
  const { values, positionals } = parse(argv, { json: { type: 'boolean' }, 'loo-group': { type: 'string' }, data: { type: 'string' }, variable: { type: 'string' } });
  if (positionals.length === 0) throw new UsageError('glmm loo needs CSV files with log_lik columns (one per chain) or a glmm fit --out directory');
  const dir = positionals.length === 1 && isDir(positionals[0]) ? positionals[0] : null;
  let ll = dir ? loadLogLik(dir) : readLogLik(positionals, (values.variable as string | undefined) ?? 'log_lik');
  const g = values['loo-group'] as string | undefined;
  if (!g && values.data) throw new UsageError('--data is used with --loo-group only');
  if (g) {
    const src = (values.data as string | undefined) ?? (dir ? join(dir, 'log_lik_rows.csv') : undefined);
    if (!src) throw new UsageError('--loo-group with CSV files needs --data FILE.csv whose column holds each observation\'s group');
    ll = sumByGroup(ll, groupsFromCsv(src, g));
  }
  const labelled = { units: g ? 'groups' : 'observations', labels: g ? ll.names : undefined };
  const r = psisLoo(ll, labelled);
  const out = { ...r, waic: waic(ll, labelled), group: g ?? null, labels: g ? ll.names : ll.names.map((_, i) => String(i + 1)) };
  return values.json ? looJson(out) : formatLoo(out, ll);
}

function readJson<T>(path: string): T | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return null;
  }
}

/** One --out directory as a compared model: its summary and the chosen criterion's pointwise elpd. */
function modelFromDir(dir: string, label: string, criterion: Criterion, group?: string): ComparedModel {
  const summary = readJson<SummaryJson>(join(dir, 'summary.json'));
  if (!summary) throw new GlmmInputError(`${dir}: no readable summary.json; pass --out directories of glmm fit`);
  if (criterion === 'kfold') {
    const k = readJson<{ elpd_kfold: number; se_elpd_kfold: number; pointwise: { elpd_kfold: number[] } }>(join(dir, 'kfold.json'));
    if (!k) throw new GlmmInputError(`${dir}: no kfold.json; run glmm fit --kfold K --out ${dir} first, or compare by loo`);
    return { label, summary, elpd: { label, elpd: k.elpd_kfold, se: k.se_elpd_kfold, pointwise: k.pointwise.elpd_kfold } };
  }
  if (logLikFiles(dir).length === 0) return { label, summary, elpd: null };
  let ll = loadLogLik(dir);
  if (group) ll = sumByGroup(ll, groupsFromCsv(join(dir, 'log_lik_rows.csv'), group));
  if (criterion === 'waic') {
    const w = waic(ll);
    return { label, summary, elpd: { label, elpd: w.elpd_waic, se: w.se_elpd_waic, pointwise: w.pointwise.elpd_waic } };
  }
  const r = psisLoo(ll);
  return { label, summary, elpd: { label, elpd: r.elpd_loo, se: r.se_elpd_loo, pointwise: r.pointwise.elpd_loo, paretoK: r.pointwise.pareto_k, kThreshold: r.k_threshold } };
}

/** `glmm compare`: returns what goes to stdout (and writes --html FILE). */
export function runCompare(argv: string[]): string {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' }, html: { type: 'string' }, labels: { type: 'string' }, criterion: { type: 'string' }, 'loo-group': { type: 'string' } });
  if (positionals.length < 2) throw new UsageError('glmm compare needs two or more --out directories of glmm fit');
  for (const p of positionals) if (!isDir(p)) throw new GlmmInputError(`${p}: not a directory; pass --out directories of glmm fit`);
  const labels = values.labels ? (values.labels as string).split(',').map((s) => s.trim()) : positionals.map((p) => basename(p.replace(/\/+$/, '')));
  if (labels.length !== positionals.length) throw new UsageError(`--labels has ${labels.length} names for ${positionals.length} directories`);
  const crit = (values.criterion as string | undefined) ?? (positionals.every((p) => existsSync(join(p, 'kfold.json'))) ? 'kfold' : 'loo');
  if (!['loo', 'kfold', 'waic'].includes(crit)) throw new UsageError(`--criterion ${crit}: expected one of loo, kfold, waic`);
  const group = values['loo-group'] as string | undefined;
  const models = positionals.map((p, i) => modelFromDir(p, labels[i], crit as Criterion, group));
  const c = compareModels(models, group && crit === 'loo' ? 'loo-group' : (crit as Criterion));
  if (values.html) writeFileSync(values.html as string, comparisonHtml(c));
  return values.json ? comparisonJson(c) : formatComparison(c);
}

