/**
 * The pointwise log-likelihood log p(y_i | θ_s) for every draw s and observation i (brms `log_lik`,
 * Stan's `log_lik` generated quantity), in float64 from the constrained draws with the family table's
 * logLik (models/families/: every family and link, every constant, the binomial's log C(n, y)
 * included as R's dbinom). Rows are the fit's rows or new rows that carry the response
 * (newdataRows), whose unseen grouping levels get effects drawn from N(0, Σ) per draw (brms
 * sample_new_levels = "gaussian").
 */
import type { Draws } from '../../diagnostics/draws.js';
import { familyFor } from '../../models/families/getFamily.js';
import { familyValueNames } from '../../models/families/layout.js';
import { formulaLayout, hasFormulas, rowValues } from '../../models/families/formula-layout.js';
import type { FamilyName, LinkName } from '../../models/families/types.js';
import type { Design } from '../design/types.js';
import { GlmmInputError } from '../../base/errors.js';
import { fitRows, type NewRows } from '../inference/newdata.js';
import { formulaExtraDraws, linearPredictorDraws } from '../inference/predict.js';

/** Column names of the log-likelihood matrix: log_lik.1 … log_lik.n (CmdStan's CSV spelling). */
export function logLikNames(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `log_lik.${i + 1}`);
}

/** What {@link pointwiseLogLik} needs of a fit. */
export interface LogLikModel {
  readonly design: Design;
  readonly family: FamilyName;
  readonly link: LinkName;
}

/**
 * S × n matrix of log p(y_i | θ_s) as Draws named log_lik.1..n (chain-major, the draws' chains):
 * η from the draws (all random effects), μ = g⁻¹(η), the family's parameters (shape, sigma, …) per draw.
 * `rows` (default the fit's rows) must hold the response; `rng` draws new levels' effects.
 */
export function pointwiseLogLik(m: LogLikModel, draws: Draws, opts: { rows?: NewRows; rng?: () => number } = {}): Draws {
  const rows = opts.rows ?? fitRows(m.design);
  const y = opts.rows ? rows.y : m.design.response.y;
  const trials = opts.rows ? rows.trials : m.design.response.trials;
  if (!y) throw new GlmmInputError('the rows have no response column; the log-likelihood needs the observed response');
  const { family, link } = familyFor(m.family, m.link);
  const eta = linearPredictorDraws(m.design, draws, { newdata: rows, rng: opts.rng });
  const n = rows.nobs;
  const S = draws.nChains * draws.nDraws;
  const fl = formulaLayout(family, m.design.response.y, m.design.paramFormulas);
  if (opts.rows && hasFormulas(fl)) throw new GlmmInputError('new rows with a --zi formula are not supported yet (its model matrix is the fit\'s rows); use the fit\'s own rows');
  const famNames = familyValueNames(fl.block);
  const famIdx = famNames.map((name) => {
    const j = draws.names.indexOf(name);
    if (j < 0) throw new GlmmInputError(`the draws have no '${name}' column; pass the constrained draws of the ${m.family} fit`);
    return j;
  });
  const P = draws.names.length;
  const out = new Float64Array(S * n);
  const block = new Float64Array(famIdx.length);
  const extra = formulaExtraDraws(m.design, fl, draws);
  let at = rowValues(fl, block);
  for (let s = 0; s < S; s++) {
    for (let k = 0; k < famIdx.length; k++) block[k] = draws.data[s * P + famIdx[k]];
    if (extra) at = rowValues(fl, block, extra(s));
    for (let i = 0; i < n; i++) {
      const e = eta.data[s * n + i];
      const v = link.validEta(e) ? family.logLik(y[i], link.linkinv(e), at(i), trials ? trials[i] : 1) : -Infinity;
      out[s * n + i] = Number.isNaN(v) ? -Infinity : v;
    }
  }
  return { nChains: draws.nChains, nDraws: draws.nDraws, names: logLikNames(n), data: out };
}
