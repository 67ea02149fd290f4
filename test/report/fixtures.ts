/**
 * Hand-built fixtures for the report tests: synthetic draws from a seeded rng (AR(1) chains around
 * known centres, so every plot has something to show) and a SummaryJson whose posterior columns are
 * computed from those draws and whose Laplace columns are made-up but plausible values.
 */
import seedrandom from 'seedrandom';
import type { Draws } from '../../diagnostics/draws.js';
import type { ParameterSummary, SummaryJson } from '../../src/report/schema.js';
import { renderReport } from '../../src/report/html.js';

/** The fixed (non-r_) parameters of the fixture, with centre, spread and support transform. */
export const FIXED = [
  { name: 'b_Intercept', centre: 1.2, scale: 0.25, tf: (v: number) => v },
  { name: 'b_trt1', centre: -0.45, scale: 0.12, tf: (v: number) => v },
  { name: 'sd_block__Intercept', centre: Math.log(0.6), scale: 0.3, tf: Math.exp },
  { name: 'sd_lot__Intercept', centre: Math.log(0.3), scale: 0.5, tf: Math.exp },
  { name: 'sd_lot__amount', centre: Math.log(0.15), scale: 0.4, tf: Math.exp },
  { name: 'cor_lot__Intercept__amount', centre: 0.2, scale: 0.5, tf: Math.tanh },
  { name: 'shape', centre: Math.log(4), scale: 0.15, tf: Math.exp },
] as const;

export const BLOCK_LEVELS = 8;
export const LOT_LEVELS = 5;

/** Names in DESIGN's order: fixed, then r_block[1..8,Intercept], r_lot[1..5,Intercept], r_lot[1..5,amount]. */
export function fixtureNames(): string[] {
  const names: string[] = FIXED.map((f) => f.name);
  for (let l = 1; l <= BLOCK_LEVELS; l++) names.push(`r_block[${l},Intercept]`);
  for (const term of ['Intercept', 'amount']) for (let l = 1; l <= LOT_LEVELS; l++) names.push(`r_lot[${l},${term}]`);
  return names;
}

/** Standard normal from a seedrandom generator (Box–Muller). */
export function normal(rng: () => number): number {
  const u = 1 - rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** Synthetic draws: each parameter an AR(1) chain (ρ = 0.6) on the unconstrained scale, then transformed. */
export function makeDraws(nChains = 4, nDraws = 200, seed = 'report-fixture'): Draws {
  const rng = seedrandom(seed);
  const names = fixtureNames();
  const P = names.length;
  const data = new Float64Array(nChains * nDraws * P);
  const rho = 0.6;
  const spec = names.map((n, p) => (p < FIXED.length ? FIXED[p] : { name: n, centre: 0.4 * Math.sin(p * 1.7), scale: 0.3, tf: (v: number) => v }));
  for (let c = 0; c < nChains; c++) {
    for (let p = 0; p < P; p++) {
      const { centre, scale, tf } = spec[p];
      let z = normal(rng);
      for (let d = 0; d < nDraws; d++) {
        z = rho * z + Math.sqrt(1 - rho * rho) * normal(rng);
        data[(c * nDraws + d) * P + p] = tf(centre + scale * z);
      }
    }
  }
  return { nChains, nDraws, names, data };
}

/** R type-7 quantile of an unsorted array. */
export function quantile(x: ArrayLike<number>, q: number): number {
  const s = Float64Array.from(x).sort();
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  return s[lo] + (h - lo) * (s[Math.min(lo + 1, s.length - 1)] - s[lo]);
}

/** Column of parameter p, all chains. */
export function column(d: Draws, p: number): Float64Array {
  const out = new Float64Array(d.nChains * d.nDraws);
  for (let k = 0; k < out.length; k++) out[k] = d.data[k * d.names.length + p];
  return out;
}

/** Made-up Laplace values for the fixed parameters (estimate, se, lower, upper). */
export const LAPLACE: Record<string, [number, number | null, number | null, number | null]> = {
  b_Intercept: [1.18, 0.24, 0.71, 1.65],
  b_trt1: [-0.43, 0.11, -0.65, -0.21],
  sd_block__Intercept: [0.52, 0.35, 0.21, 1.05],
  sd_lot__Intercept: [0, null, 0, 0.81],
  sd_lot__amount: [0.12, 0.6, 0.01, 0.4],
  cor_lot__Intercept__amount: [1, null, -1, 1],
  shape: [4.3, 0.2, 3.1, 5.9],
};

/** A SummaryJson for the fixture draws; `posterior: false` gives the Laplace-only form. */
export function makeSummary(draws: Draws, posterior = true): SummaryJson {
  const parameters: ParameterSummary[] = draws.names.map((name, p) => {
    const x = column(draws, p);
    const mean = x.reduce((a, b) => a + b, 0) / x.length;
    const sd = Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / (x.length - 1));
    const m = /^r_(\w+)\[(\d+),(\w+)\]$/.exec(name);
    const lap = LAPLACE[name];
    const cls = m ? 'r' : name.startsWith('b_') ? 'b' : name.startsWith('sd_') ? 'sd' : name.startsWith('cor_') ? 'cor' : 'shape';
    const [group, term, term2] = m ? [m[1], m[3], null]
      : name.startsWith('sd_') ? [name.slice(3).split('__')[0], name.split('__')[1], null]
        : name.startsWith('cor_') ? [name.slice(4).split('__')[0], name.split('__')[1], name.split('__')[2]]
          : [null, name.startsWith('b_') ? name.slice(2) : null, null];
    return {
      name, class: cls as ParameterSummary['class'], group, term, term2, level: m ? m[2] : null,
      mean: posterior ? mean : null, sd: posterior ? sd : null, median: posterior ? quantile(x, 0.5) : null,
      mad: null, q5: posterior ? quantile(x, 0.05) : null, q95: posterior ? quantile(x, 0.95) : null,
      lower: posterior ? quantile(x, 0.025) : null, upper: posterior ? quantile(x, 0.975) : null,
      rhat: posterior ? 1.001 + 0.001 * (p % 5) : null, rhat_nested: null, ess_bulk: posterior ? 412.3 + 37 * p : null,
      ess_tail: posterior ? 388.9 + 11 * p : null, mcse_mean: null, mcse_sd: null, mcse_q5: null, mcse_median: null, mcse_q95: null,
      laplace: lap ? { estimate: lap[0], se: lap[1], lower: lap[2], upper: lap[3] }
        : m ? { estimate: 0.9 * mean, se: null, lower: null, upper: null } : null,
    };
  });
  return {
    schema_version: 1,
    package_version: '0.1.0',
    prob: 0.95,
    model: {
      formula: 'count ~ trt + (1 | block) + (1 + amount | lot)',
      family: 'negbinomial', link: 'log', nobs: 120, dropped_rows: 2,
      groups: { block: BLOCK_LEVELS, lot: LOT_LEVELS },
      priors: ['Intercept ~ normal(0, 5)', 'b ~ normal(0, 5)', 'sd ~ student_t(3, 0, 2.5)', 'cor ~ lkj(1)', 'shape ~ gamma(0.01, 0.01)'],
    },
    sampler: posterior ? {
      engine: 'tfjs-wasm', sampler: 'nuts', chains: draws.nChains, warmup: 1000, draws: draws.nDraws, seed: 42,
      seconds: { warmup: 3.21, sampling: 4.077 }, divergences: 2, treedepth_hits: 0, ebfmi: [0.91, 0.87, 1.02, 0.95],
      step_size: [0.31, 0.29, 0.33, 0.3], rhat_nested_threshold: null, ess_target: null,
    } : null,
    parameters,
    laplace: { logLik: -312.4567, deviance: 624.9134, aic: 640.9134, bic: 663.2134, converged: true, singular: true, method: 'laplace', pearson_chisq_df: 1.0734 },
    warnings: ['2 divergent transitions after warmup: increase adapt_delta (e.g. --adapt-delta 0.95).',
      'Singular ML fit: sd_lot__Intercept is estimated at 0 (boundary).'],
    notes: ['sd_lot__Intercept: ML estimate 0 (singular); posterior P(sd < 0.05) = 0.04.'],
  };
}

/** report.html of the fixture: draws, summary and a continuous-y PPC (for the jsdom and Chromium tests). */
export function fixtureReport(nDraws = 200): string {
  const draws = makeDraws(4, nDraws);
  const summary = makeSummary(draws);
  const rng = seedrandom('html-ppc');
  const nobs = 80;
  const S = 100;
  const y = new Float64Array(nobs);
  const yrep = new Float64Array(S * nobs);
  for (let i = 0; i < nobs; i++) {
    const m = 2 + normal(rng);
    y[i] = m + 0.5 * normal(rng);
    for (let s = 0; s < S; s++) yrep[s * nobs + i] = m + 0.5 * normal(rng);
  }
  return renderReport({ summary, draws, ppc: { y, yrep, nDraws: S } });
}

/** Sections of report.html with their plot classes. */
export const PLOT_SECTIONS = ['trace', 'rank', 'density', 'caterpillar', 'ppc'] as const;

