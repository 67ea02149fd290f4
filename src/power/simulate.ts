/**
 * A data set simulated from the assumed model (simr's `simulate` step; Green & MacLeod 2016, *Methods
 * Ecol. Evol.* 7:493): random effects b_j ~ N(0, Σ_t) per level of each term, Σ_t = D R D from the
 * assumed sds (`sd_block__Intercept`) and correlations (`cor_g__a__b`, default 0), η = Xβ + Zb + offset,
 * and y from the family's own generator (models/families: the one table PIRLS and prediction use) at
 * μ = g⁻¹(η) with the family parameter (`sigma`, `shape`) and the binomial trials.
 */
import { GlmmInputError } from '../../base/errors.js';
import { familyFor, familyLayout, familyValueNames, familyValuesByName, getFamily, slotValueNames } from '../../models/families/index.js';
import { rnormStd } from '../../models/families/random.js';
import type { FamilyName, LinkName } from '../../models/families/types.js';
import type { Design } from '../design/types.js';
import { cholesky } from '../linalg/cholesky.js';

/** Assumed parameter values by DESIGN name: b_*, sd_*, cor_*, sigma / shape. */
export type AssumedValues = Readonly<Record<string, number>>;

/** The names the model needs values for (cor_* optional, default 0). */
export function parameterNames(design: Design, family: FamilyName): { required: string[]; optional: string[] } {
  const required = [...design.fixed.names];
  const optional: string[] = [];
  for (const t of design.random) {
    for (const term of t.cov.sdTerms(t.terms)) required.push(`sd_${t.group}__${term}`);
    for (const c of t.cov.correlationParams(t.group, t.terms)) optional.push(c.name);
  }
  required.push(...familyValueNames(familyLayout(getFamily(family), design.response.y)));
  return { required, optional };
}

/** Every needed value given, every given value used, sds and family parameters positive. */
export function checkValues(design: Design, family: FamilyName, values: AssumedValues): void {
  const { required, optional } = parameterNames(design, family);
  const missing = required.filter((n) => values[n] === undefined);
  if (missing.length) throw new GlmmInputError(`power: no assumed value for ${missing.join(', ')}; add --set ${missing[0]}=VALUE (the model's parameters: ${required.join(', ')})`);
  const known = new Set([...required, ...optional]);
  const unknown = Object.keys(values).filter((n) => !known.has(n));
  if (unknown.length) throw new GlmmInputError(`power: --set ${unknown[0]} is not a parameter of this model; its parameters are ${[...required, ...optional].join(', ')}`);
  const famRanges = new Map(familyLayout(getFamily(family), design.response.y).slots.flatMap((sl) => slotValueNames(sl).map((n) => [n, sl.param.constraint] as const)));
  for (const [n, v] of Object.entries(values)) {
    if (!Number.isFinite(v)) throw new GlmmInputError(`power: --set ${n}=${v}: expected a finite number`);
    if (n.startsWith('sd_') && v < 0) throw new GlmmInputError(`power: --set ${n}=${v}: must be ≥ 0`);
    const c = famRanges.get(n);
    if (c && c.kind !== 'ordered' && !(v > c.lower && v < c.upper)) throw new GlmmInputError(`power: --set ${n}=${v}: must be ${c.upper === Infinity ? `> ${c.lower}` : `in (${c.lower}, ${c.upper})`}`);
    if ((n.startsWith('cor_') || n.startsWith('ar_')) && !(v > -1 && v < 1)) throw new GlmmInputError(`power: --set ${n}=${v}: a correlation must be in (−1, 1)`);
  }
}

/** Lower Cholesky factor of term t's Σ = D R D. */
function termFactor(t: Design['random'][number], values: AssumedValues): Float64Array {
  const k = t.k;
  const sdTerms = t.cov.sdTerms(t.terms);
  const sd = t.terms.map((_, a) => values[`sd_${t.group}__${sdTerms[t.cov.sdIndex(a)]}`]);
  // the structure's correlation parameters (default 0) → its correlation matrix R
  const R = t.cov.correlationMatrix(t.cov.correlationParams(t.group, t.terms).map((c) => values[c.name] ?? 0), 0);
  const S = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) S[a * k + b] = sd[a] * sd[b] * R[a * k + b];
  // a zero sd makes Σ singular: its pivot is floored (its effects are 0), other failures are the user's
  const L = cholesky(S, k) ?? (sd.some((v) => v === 0) ? cholesky(S, k, { floor: 1e-300 }) : null);
  if (!L) throw new GlmmInputError(`power: the assumed sds and correlations of (${t.terms.join(' + ')} | ${t.group}) do not make a positive semi-definite covariance`);
  return L;
}

/** The linear predictor of one simulated data set (a draw of the random effects from `rng`). */
export function simulateEta(design: Design, values: AssumedValues, rng: () => number): Float64Array {
  const { X, p, names } = design.fixed;
  const n = design.nobs;
  const eta = Float64Array.from({ length: n }, (_, i) => design.offset?.[i] ?? 0);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) eta[i] += X[i * p + j] * values[names[j]];
  for (const t of design.random) {
    const L = termFactor(t, values);
    const k = t.k;
    const b = new Float64Array(t.levels.length * k);
    const z = new Float64Array(k);
    for (let l = 0; l < t.levels.length; l++) {
      for (let a = 0; a < k; a++) z[a] = rnormStd(rng);
      for (let a = 0; a < k; a++) for (let c = 0; c <= a; c++) b[l * k + a] += L[a * k + c] * z[c];
    }
    for (let i = 0; i < n; i++) for (let a = 0; a < k; a++) eta[i] += t.Z[i * k + a] * b[t.index[i] * k + a];
  }
  return eta;
}

/**
 * A simulated response per design row: counts, 0/1, values, or for a binomial with trials the
 * proportion of successes (the response of a `--weights n` model).
 */
export function simulateResponse(design: Design, family: FamilyName, link: LinkName, values: AssumedValues, rng: () => number): Float64Array {
  const { family: fam, link: g } = familyFor(family, link);
  const aux = familyValuesByName(familyLayout(fam, design.response.y), values);
  const trials = design.response.trials;
  const eta = simulateEta(design, values, rng);
  return Float64Array.from(eta, (e, i) => {
    const n = trials?.[i] ?? 1;
    const y = fam.simulate(rng, g.linkinv(e), aux, n);
    return fam.response.trials === 'counts' ? y / n : y;
  });
}
