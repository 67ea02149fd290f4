/**
 * The library's model-comparison calls on fits (brms/loo vocabulary): the pointwise log-likelihood
 * (`log_lik`), PSIS-LOO with WAIC beside it (`loo`, `waic`), leave-one-group-out, and `compare` of two
 * or more fits (loo_compare beside AIC/BIC/LRT). K-fold refits are `kfold` (kfold.ts).
 */
import type { Draws } from '../../diagnostics/draws.js';
import { GlmmInputError } from '../../base/errors.js';
import type { FitLike } from '../fit/api.js';
import type { SummaryJson } from '../report/schema.js';
import { rowGroups, sumByGroup } from './group.js';
import type { KfoldResult } from './kfold.js';
import { logLikNames, pointwiseLogLik } from './loglik.js';
import { posteriorLinpred } from '../fit/api.js';
import { psisLoo, type LooResult } from './loo.js';
import { compareModels, type ComparedModel, type ModelComparison } from './models.js';
import { waic as waicOf, type WaicResult } from './waic.js';

function needDraws(f: FitLike): Draws {
  if (!f.draws) throw new GlmmInputError('this fit has no posterior draws (Laplace only); LOO and WAIC need fit()');
  return f.draws;
}

/** A custom family's pointwise log-likelihood through its `logLikRow` on each draw's η. */
function customLogLik(f: FitLike, draws: Draws): Draws {
  const fam = f.spec.user?.family as NonNullable<NonNullable<FitLike['spec']['user']>['family']>;
  if (!fam.logLikRow) throw new GlmmInputError(`family '${fam.name}' has no logLikRow; give customFamily.logLikRow(y, eta, p, row) for loo and waic`);
  const eta = posteriorLinpred(f);
  const y = f.spec.design.response.y;
  const P = draws.names.length, n = y.length, S = draws.nChains * draws.nDraws;
  const named = draws.names.flatMap((name, j) => (name.startsWith('r_') ? [] : [[name, j] as const]));
  const data = new Float64Array(S * n);
  for (let s = 0; s < S; s++) {
    const p: Record<string, number> = {};
    for (const [name, j] of named) p[name] = draws.data[s * P + j];
    for (let i = 0; i < n; i++) data[s * n + i] = fam.logLikRow(y[i], eta.data[s * n + i], p, i);
  }
  return { nChains: draws.nChains, nDraws: draws.nDraws, names: logLikNames(n), data };
}

/** S × N pointwise log-likelihood of the fit's rows (brms `log_lik`), Draws named log_lik.1..N; a custom family's through its logLikRow. */
export function logLik(f: FitLike): Draws {
  if (f.spec.user?.family) return customLogLik(f, needDraws(f));
  return pointwiseLogLik({ design: f.spec.design, family: f.spec.family, link: f.spec.link }, needDraws(f));
}

/** PSIS-LOO (and WAIC) of a fit; with `group`, leave-one-group-out on log-likelihoods summed by level. */
export interface LooOutput extends LooResult {
  readonly waic: WaicResult;
  /** The grouping left out, or null for single observations. */
  readonly group: string | null;
  /** Column labels: observation numbers or `g=level`. */
  readonly labels: readonly string[];
}

/** brms `loo(fit)` (r_eff from the chains), or leave-one-group-out with `{ group: 'block' }`. */
export function loo(f: FitLike, opts: { group?: string } = {}): LooOutput {
  let ll = logLik(f);
  if (opts.group) ll = sumByGroup(ll, rowGroups(f.spec.design, f.frame, opts.group));
  const names = opts.group ? ll.names : undefined;
  const units = opts.group ? 'groups' : 'observations';
  const r = psisLoo(ll, { units, labels: names });
  return { ...r, waic: waicOf(ll, { units, labels: names }), group: opts.group ?? null, labels: opts.group ? ll.names : ll.names.map((_, i) => String(i + 1)) };
}

/** brms `waic(fit)`. */
export function waic(f: FitLike): WaicResult {
  return waicOf(logLik(f));
}

/** A fit to compare, with a label and optionally its K-fold result. */
export interface CompareEntry {
  readonly label: string;
  readonly fit: FitLike & { readonly summary: SummaryJson };
  readonly kfold?: KfoldResult;
}

function entryOf(x: CompareEntry | (FitLike & { summary: SummaryJson }), i: number): CompareEntry {
  return 'fit' in x && 'label' in x ? x : { label: `model${i + 1}`, fit: x as FitLike & { summary: SummaryJson } };
}

/**
 * Compares fits of the same rows: loo_compare by K-fold when every entry has one, else by PSIS-LOO
 * (Laplace-only fits take part in AIC/BIC/LRT only), beside AIC, BIC and the LRT of nested pairs.
 */
export function compare(...fits: (CompareEntry | (FitLike & { summary: SummaryJson }))[]): ModelComparison {
  const entries = fits.map(entryOf);
  const byKfold = entries.every((e) => e.kfold);
  const models: ComparedModel[] = entries.map((e) => {
    if (byKfold) {
      const k = e.kfold as KfoldResult;
      return { label: e.label, summary: e.fit.summary, elpd: { label: e.label, elpd: k.elpd_kfold, se: k.se_elpd_kfold, pointwise: k.pointwise.elpd_kfold } };
    }
    if (!e.fit.draws) return { label: e.label, summary: e.fit.summary, elpd: null };
    const r = psisLoo(logLik(e.fit));
    return { label: e.label, summary: e.fit.summary, elpd: { label: e.label, elpd: r.elpd_loo, se: r.se_elpd_loo, pointwise: r.pointwise.elpd_loo, paretoK: r.pointwise.pareto_k, kThreshold: r.k_threshold } };
  });
  return compareModels(models, byKfold ? 'kfold' : 'loo');
}

