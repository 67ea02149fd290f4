/**
 * Builds summary.json (DESIGN.md §Contracts) from the constrained draws, the sampler's information and
 * the Laplace estimates: one row per constrained parameter with the posterior summary (R posterior's
 * summarise_draws columns) beside the Laplace estimate and interval of the same name.
 */
import type { Draws } from '../../diagnostics/draws.js';
import { parameterMatrix } from '../../diagnostics/draws.js';
import { ebfmiPerChain } from '../../diagnostics/ebfmi.js';
import { nestedRhatThreshold, rhatNestedDraws } from '../../diagnostics/nested-rhat.js';
import { summarizeDraws, type VariableSummary } from '../../diagnostics/summary.js';
import { samplerWarnings } from '../../diagnostics/warnings.js';
import { quantilesBySelection } from '../../diagnostics/quantile.js';
import { modelPriorLines, type ModelSpec } from '../target/parameters.js';
import type { LaplaceInterval, ParameterSummary, SummaryJson } from '../report/schema.js';
import { SCHEMA_VERSION } from '../report/schema.js';
import { PACKAGE_VERSION } from '../version.js';
import { shortfallWarning, type HeldFigures } from './ess-target.js';

/** What the samplers report, in one shape for NUTS and ChEES. */
export interface SamplerRun {
  readonly engine: string;
  readonly sampler: 'nuts' | 'chees';
  readonly chains: number;
  readonly warmup: number;
  readonly draws: number;
  readonly seed: number;
  readonly seconds: { readonly warmup: number; readonly sampling: number };
  readonly divergences: number;
  readonly treedepthHits: number;
  readonly maxTreedepth: number;
  readonly stepSize: readonly number[];
  /** CmdStan sampler columns (lp__, energy__, ...), chain-major like the draws. */
  readonly samplerDraws: Draws;
  /** Many-chain runs (ChEES): the superchain of every chain, for nested R-hat per parameter. */
  readonly nestedRhat?: { readonly superchainIds: Int32Array; readonly chainsPerSuperchain: number };
  /** ChEES run to an ESS target: the target, the cap on draws per chain, and the last check. */
  readonly essTarget?: { readonly target: number; readonly cap: number; readonly check: HeldFigures | null };
  /** True when the user stopped the run (the target was not the reason it ended). */
  readonly stopped?: boolean;
  /** How to change the parameterization, for the warnings' advice (fit/centering.ts reparameterizeAdvice). */
  readonly reparameterize?: string;
  /** ChEES's target acceptance (the sampler's adaptDelta), for the divergence advice. */
  readonly targetAccept?: number;
  /** What the sampler itself warned of (ChEES: its initial step-size search giving up). */
  readonly warnings?: readonly string[];
}

/** The likelihood side of summary.json: per-parameter estimates and the fit statistics. */
export interface LaplaceSide {
  readonly byName: ReadonlyMap<string, LaplaceInterval>;
  readonly fit: NonNullable<SummaryJson['laplace']>;
  readonly warnings: readonly string[];
}

const NULL_POSTERIOR = {
  mean: null, sd: null, median: null, mad: null, q5: null, q95: null, lower: null, upper: null,
  rhat: null, rhat_nested: null, ess_bulk: null, ess_tail: null, mcse_mean: null, mcse_sd: null,
  mcse_q5: null, mcse_median: null, mcse_q95: null,
};

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function posteriorFields(v: VariableSummary, interval: [number, number]) {
  return {
    mean: finiteOrNull(v.mean), sd: finiteOrNull(v.sd), median: finiteOrNull(v.median), mad: finiteOrNull(v.mad),
    q5: finiteOrNull(v.q5), q95: finiteOrNull(v.q95), lower: finiteOrNull(interval[0]), upper: finiteOrNull(interval[1]), rhat: finiteOrNull(v.rhat), ess_bulk: finiteOrNull(v.ess_bulk),
    ess_tail: finiteOrNull(v.ess_tail), mcse_mean: finiteOrNull(v.mcse_mean), mcse_sd: finiteOrNull(v.mcse_sd),
    mcse_q5: finiteOrNull(v.mcse_q5), mcse_median: finiteOrNull(v.mcse_median), mcse_q95: finiteOrNull(v.mcse_q95),
  };
}

/** The central interval at `prob` of one parameter's draws (posterior's quantile2, R type 7). */
function centralInterval(draws: Draws, name: string, prob: number): [number, number] {
  const [lo, hi] = quantilesBySelection(parameterMatrix(draws, draws.names.indexOf(name)), [(1 - prob) / 2, (1 + prob) / 2]);
  return [lo, hi];
}

/** Energy column of the sampler draws as one Float64Array, chain-major. */
function energyOf(s: Draws): Float64Array | null {
  const j = s.names.indexOf('energy__');
  return j < 0 ? null : parameterMatrix(s, j);
}

/**
 * Assembles summary.json. `draws` are constrained (names from spec.params); `run` null and `draws`
 * null give the Laplace-only form with the posterior fields null.
 */
export function buildSummary(
  spec: ModelSpec,
  draws: Draws | null,
  run: SamplerRun | null,
  laplace: LaplaceSide | null,
  extraWarnings: readonly string[] = [],
  prob = 0.95,
): SummaryJson {
  const d = spec.design;
  const rows = draws ? summarizeDraws(draws) : null;
  const byVar = new Map(rows?.map((r) => [r.variable, r]) ?? []);
  // nested R-hat of every constrained parameter (many-chain runs); null for NUTS
  const nested = draws && run?.nestedRhat && draws.nDraws > 0 ? rhatNestedDraws(draws, run.nestedRhat.superchainIds) : null;
  const nestedBy = new Map(nested ? draws!.names.map((n, i) => [n, nested[i]]) : []);
  const parameters: ParameterSummary[] = spec.params.map((p) => {
    const v = byVar.get(p.name);
    return {
      name: p.name, class: p.class, group: p.group, term: p.term, term2: p.term2, level: p.level,
      ...(v && draws ? { ...posteriorFields(v, centralInterval(draws, p.name, prob)), rhat_nested: nested ? finiteOrNull(nestedBy.get(p.name) ?? NaN) : null } : NULL_POSTERIOR),
      laplace: laplace?.byName.get(p.name) ?? null,
    };
  });
  const warnings: string[] = [...d.warnings ?? []];
  let ebfmi: number[] = [];
  if (run && draws) {
    const energy = energyOf(run.samplerDraws);
    ebfmi = energy ? Array.from(ebfmiPerChain(energy, run.samplerDraws.nDraws)) : [];
    warnings.push(...samplerWarnings({
      sampler: run.sampler === 'nuts' ? 'nuts' : 'many-chain',
      nChains: draws.nChains, nDraws: draws.nDraws,
      divergences: run.divergences, treedepthHits: run.treedepthHits, maxTreedepth: run.maxTreedepth,
      ebfmi: run.sampler === 'nuts' ? ebfmi : undefined,
      variables: (rows ?? []).filter((r) => !r.variable.startsWith('r_')),
      // the held parameters (not the random effects), as the classic R-hat and ESS warnings
      nestedRhat: nested && run.nestedRhat ? {
        names: draws.names.filter((n) => !n.startsWith('r_')),
        values: draws.names.flatMap((n, i) => (n.startsWith('r_') ? [] : [nested[i]])),
        chainsPerSuperchain: run.nestedRhat.chainsPerSuperchain,
      } : undefined,
      reparameterize: run.reparameterize,
      targetAccept: run.sampler === 'chees' ? run.targetAccept : undefined,
    }));
    warnings.push(...run.warnings ?? []);
    const et = run.essTarget;
    if (et?.check && !et.check.done && !run.stopped) warnings.push(shortfallWarning(et.check, draws.nDraws, et.target, run.reparameterize));
  }
  if (laplace) warnings.push(...laplace.warnings);
  warnings.push(...extraWarnings);
  return {
    schema_version: SCHEMA_VERSION,
    package_version: PACKAGE_VERSION,
    prob,
    model: {
      formula: d.formula, family: spec.user?.family ? `${spec.user.family.name} (custom, base ${spec.family})` : spec.family, link: spec.link, nobs: d.nobs, dropped_rows: d.droppedRows,
      groups: { ...d.groups }, priors: run ? modelPriorLines(spec) : [],
      ...(d.paramFormulas?.length ? { param_formulas: d.paramFormulas.map((f) => ({ param: f.param, formula: f.formula ?? '' })) } : {}),
      ...(d.response.categories ? { categories: [...d.response.categories] } : {}),
    },
    sampler: run && {
      engine: run.engine, sampler: run.sampler, chains: run.chains, warmup: run.warmup, draws: run.draws, seed: run.seed,
      seconds: { ...run.seconds }, divergences: run.divergences, treedepth_hits: run.treedepthHits,
      ebfmi, step_size: [...run.stepSize],
      rhat_nested_threshold: run.nestedRhat ? nestedRhatThreshold(run.nestedRhat.chainsPerSuperchain) : null,
      ess_target: run.essTarget?.target ?? null,
    },
    parameters,
    laplace: laplace?.fit ?? null,
    warnings,
  };
}
