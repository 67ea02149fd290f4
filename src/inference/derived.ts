/**
 * Derived quantities: any function of the parameters, per posterior draw (the Bayesian answer:
 * brms's `posterior_samples` + a transform, posterior's `mutate_variables`) with a posterior summary,
 * and its likelihood-side counterpart, the delta method (Wald SE of f(θ̂) from the vcov of θ̂;
 * as car::deltaMethod / emmeans) with a numerical gradient.
 */
import { GlmmInputError } from '../../base/errors.js';
import type { Draws } from '../../diagnostics/draws.js';
import { summarizeVariable } from '../../diagnostics/summary.js';
import { quantile } from '../../diagnostics/quantile.js';
import { qnorm } from '../../base/normal.js';

/**
 * f evaluated at every draw: `out[c·nDraws + d]` is chain c, draw d (the iterations × chains
 * column-major layout diagnostics/summary.ts uses). `p` maps every parameter name (b_Intercept,
 * sd_block__Intercept, r_block[3,Intercept], ...) to that draw's value. `name` is used in messages.
 */
export function deriveDraws(draws: Draws, name: string, f: (p: Record<string, number>) => number): Float64Array {
  const { nChains, nDraws, names, data } = draws;
  const P = names.length;
  const S = nChains * nDraws;
  const out = new Float64Array(S);
  const p: Record<string, number> = {};
  for (let s = 0; s < S; s++) {
    for (let j = 0; j < P; j++) p[names[j]] = data[s * P + j];
    const v = f(p);
    if (typeof v !== 'number') throw new GlmmInputError(`derived quantity '${name}' returned ${typeof v}, not a number; return one number per draw`);
    out[s] = v;
  }
  return out;
}

/** The one-column Draws of a derived quantity, so it can join summaries, CSVs and plots. */
export function derivedAsDraws(values: Float64Array, name: string, dims: { nChains: number; nDraws: number }): Draws {
  const { nChains, nDraws } = dims;
  if (values.length !== nChains * nDraws) throw new Error(`derived '${name}': ${values.length} values for ${nChains} × ${nDraws} draws`);
  const data = new Float64Array(values.length);
  // values are [chain][draw] already, which for one parameter is the Draws layout.
  data.set(values);
  return { nChains, nDraws, names: [name], data };
}

/** Posterior summary of a derived quantity. */
export interface DerivedSummary {
  readonly mean: number;
  readonly sd: number;
  readonly q5: number;
  readonly median: number;
  readonly q95: number;
  /** R type-7 quantiles at the requested probabilities (`quantile(x, probs)`), in order. */
  readonly quantiles: readonly { readonly p: number; readonly value: number }[];
  /** posterior's rhat, ess_bulk, ess_tail, mcse_mean (NaN with one draw or a constant). */
  readonly rhat: number;
  readonly ess_bulk: number;
  readonly ess_tail: number;
  readonly mcse_mean: number;
}

/**
 * Summary of per-draw values (from deriveDraws) as posterior's summarise_draws gives it (mean, sd,
 * median, q5, q95 by R type-7 quantiles, rhat, ess, mcse), plus any requested quantiles.
 */
export function summarizeDerived(values: Float64Array, dims: { nChains: number; nDraws: number }, probs: readonly number[] = []): DerivedSummary {
  if (values.length !== dims.nChains * dims.nDraws) throw new Error(`summarizeDerived: ${values.length} values for ${dims.nChains} × ${dims.nDraws} draws`);
  const v = summarizeVariable('derived', values, dims.nDraws);
  return {
    mean: v.mean,
    sd: v.sd,
    q5: v.q5,
    median: v.median,
    q95: v.q95,
    quantiles: probs.map((p) => ({ p, value: quantile(values, p) })),
    rhat: v.rhat,
    ess_bulk: v.ess_bulk,
    ess_tail: v.ess_tail,
    mcse_mean: v.mcse_mean,
  };
}

/** The delta-method answer: estimate f(θ̂), its SE and a Wald interval. */
export interface DeltaResult {
  readonly estimate: number;
  readonly se: number;
  readonly lower: number;
  readonly upper: number;
  /** ∂f/∂θ at θ̂, in the order of `names`. */
  readonly gradient: Float64Array;
}

/**
 * Delta method (e.g. Casella & Berger §5.5.4; car::deltaMethod): Var f(θ̂) ≈ ∇fᵀ V ∇f, with the
 * gradient by central differences, step hᵢ = ε^(1/3)·max(|θ̂ᵢ|, 1) (ε = 2⁻⁵², the step that balances
 * truncation O(h²) and rounding O(ε/h) error; Nocedal & Wright §8.1), so the gradient has ~10
 * correct digits for a smooth f. `names` gives the order of the rows/columns of `vcov` (a p × p
 * nested array or p² row-major array); parameters of `estimate` not in `names` are held fixed.
 * Interval: estimate ± z·se with z = Φ⁻¹(1 − (1 − level)/2), level 0.95 by default.
 */
export function deltaMethod(f: (p: Record<string, number>) => number, estimate: Readonly<Record<string, number>>, vcov: readonly (readonly number[])[] | Float64Array, names: readonly string[], level = 0.95): DeltaResult {
  const k = names.length;
  const V = (i: number, j: number): number => (vcov instanceof Float64Array ? vcov[i * k + j] : vcov[i][j]);
  if (vcov instanceof Float64Array ? vcov.length !== k * k : vcov.length !== k) throw new GlmmInputError(`deltaMethod: vcov must be ${k} × ${k} to match names`);
  for (const n of names) if (!(n in estimate)) throw new GlmmInputError(`deltaMethod: parameter '${n}' is in names but not in the estimates`);
  const p: Record<string, number> = { ...estimate };
  const est = f(p);
  const g = new Float64Array(k);
  const cbrtEps = Math.cbrt(2 ** -52);
  names.forEach((n, i) => {
    const x = estimate[n];
    const h = cbrtEps * Math.max(Math.abs(x), 1);
    // (x + h) − x is exact in floating point only for representable steps; use the realised step.
    const xp = x + h;
    const xm = x - h;
    p[n] = xp;
    const fp = f(p);
    p[n] = xm;
    const fm = f(p);
    p[n] = x;
    g[i] = (fp - fm) / (xp - xm);
  });
  let v = 0;
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) v += g[i] * V(i, j) * g[j];
  const se = Math.sqrt(Math.max(v, 0));
  const z = qnorm(1 - (1 - level) / 2);
  return { estimate: est, se, lower: est - z * se, upper: est + z * se, gradient: g };
}
