/**
 * Hand-built Design objects for the model-layer tests (plain objects, as src/design/types.ts says),
 * simulated with seedrandom so the tests need neither buildDesign nor data files.
 */
import seedrandom from 'seedrandom';
import type { Design, RandomTerm } from '../../src/design/types.js';
import type { FamilyName, FamilyParamName, LinkName } from '../../models/families/types.js';
import { FAMILY_NAMES, familyFor, getFamily } from '../../models/families/getFamily.js';
import { getLink } from '../../models/links.js';
import { makeCovariance } from '../../src/design/covariance/make.js';
import type { CovarianceKind } from '../../src/formula/terms.js';

/** One random term to simulate: k columns (Intercept + slopes x1…), nLevels levels. */
export interface TermSpec {
  readonly group: string;
  readonly k: number;
  readonly nLevels: number;
  readonly correlated?: boolean;
  /** The covariance structure (default us, or diag when correlated is false). */
  readonly structure?: CovarianceKind;
  /** Level of row i (default: i mod nLevels). */
  readonly index?: (i: number) => number;
}

/** A simulated design: n rows, p fixed columns (intercept + N(0,1) covariates), the given terms. */
export function simulatedDesign(opts: { n: number; p: number; terms: TermSpec[]; family: FamilyName; link: LinkName; seed: string; offset?: boolean }): Design {
  const rng = seedrandom(opts.seed);
  const { n, p } = opts;
  const normal = () => Math.sqrt(-2 * Math.log(rng() || 1e-12)) * Math.cos(2 * Math.PI * rng());
  const X = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    X[i * p] = 1;
    for (let j = 1; j < p; j++) X[i * p + j] = normal();
  }
  const columns = ['(Intercept)', ...Array.from({ length: p - 1 }, (_, j) => `x${j + 1}`)];
  const random: RandomTerm[] = opts.terms.map((t) => {
    const index = Int32Array.from({ length: n }, (_, i) => (t.index ? t.index(i) : i % t.nLevels));
    const Z = new Float64Array(n * t.k);
    for (let i = 0; i < n; i++) for (let a = 0; a < t.k; a++) Z[i * t.k + a] = a === 0 ? 1 : X[i * p + Math.min(a, p - 1)];
    const terms = ['Intercept', ...Array.from({ length: t.k - 1 }, (_, a) => `x${Math.min(a + 1, p - 1)}`)];
    return {
      group: t.group, terms, columns: terms.map((s) => (s === 'Intercept' ? '(Intercept)' : s)), k: t.k,
      cov: makeCovariance(t.structure ?? (t.correlated === false ? 'diag' : 'us'), t.k, 'x'), levels: Array.from({ length: t.nLevels }, (_, j) => String(j + 1)), index, Z,
    };
  });
  const { family, meanLink } = familyFor(opts.family, opts.link);
  const link = getLink(meanLink);
  const withTrials = family.response.trials;
  const trials = withTrials === 'counts' ? Float64Array.from({ length: n }, () => 1 + Math.floor(rng() * 12)) : withTrials === 'one' ? new Float64Array(n).fill(1) : null;
  const effects = random.map((t) => Float64Array.from({ length: t.levels.length * t.k }, () => 0.3 * normal()));
  const offset = opts.offset ? Float64Array.from({ length: n }, () => 0.2 * rng()) : null;
  const y = new Float64Array(n);
  const base: Record<string, number> = { log: 0.8, identity: 3, sqrt: 1.8, logit: 0.2, probit: 0.1, cloglog: -0.3, inverse: 1.2 };
  for (let i = 0; i < n; i++) {
    let eta = base[opts.link] + (offset ? offset[i] : 0);
    for (let j = 1; j < p; j++) eta += 0.2 * X[i * p + j];
    random.forEach((t, ti) => {
      for (let a = 0; a < t.k; a++) eta += t.Z[i * t.k + a] * effects[ti][t.index[i] * t.k + a];
    });
    if (!link.validEta(eta)) eta = base[opts.link];
    const aux = family.params.flatMap((fp) => (fp.name === 'Intercept' ? THRESHOLDS : [PARAM_VALUES[fp.name]]));
    y[i] = family.simulate(rng, link.linkinv(eta), aux, trials ? trials[i] : 1);
    if (withTrials === null && !family.response.check(y[i])) y[i] = 1e-3; // e.g. a gamma draw that underflowed to 0
  }
  const groups: Record<string, number> = {};
  for (const t of random) groups[t.group] = t.levels.length;
  // a family whose parameters carry the intercept (ordinal thresholds): X without its intercept column
  const noIntercept = family.interceptInParams === true;
  const fixedX = noIntercept ? Float64Array.from({ length: n * (p - 1) }, (_, j) => X[Math.floor(j / (p - 1)) * p + 1 + (j % (p - 1))]) : X;
  const fixedColumns = noIntercept ? columns.slice(1) : columns;
  return {
    formula: 'simulated', family: opts.family, nobs: n, droppedRows: 0,
    response: { label: 'y', y, trials, ...(family.response.ordinal ? { categories: ['1', '2', '3', '4', '5'].slice(0, y.reduce((a, v) => Math.max(a, v), 0)) } : {}) },
    fixed: { X: fixedX, p: noIntercept ? p - 1 : p, columns: fixedColumns, names: fixedColumns.map((c) => (c === '(Intercept)' ? 'b_Intercept' : `b_${c}`)), dropped: [], hasIntercept: !noIntercept },
    random, offset, groups,
  };
}

/** A seeded point q ~ N(0, s²) of dimension dim. */
export function randomPoint(dim: number, seed: string, s = 0.5): Float64Array {
  const rng = seedrandom(seed);
  return Float64Array.from({ length: dim }, () => s * Math.sqrt(-2 * Math.log(rng() || 1e-12)) * Math.cos(2 * Math.PI * rng()));
}

/** Every family × link pair of the family table (the density tests loop over them, so a new family is tested). */
export const FAMILY_LINKS: [FamilyName, LinkName][] = FAMILY_NAMES.flatMap((f) => getFamily(f).links.map((l): [FamilyName, LinkName] => [f, l]));

/** A value of each family parameter for simulation and test points (its natural scale). */
export const PARAM_VALUES: Readonly<Record<Exclude<FamilyParamName, 'Intercept'>, number>> = { sigma: 0.7, shape: 3, phi: 3, nu: 5, zi: 0.3, hu: 0.4 };

/** Ordinal thresholds for simulation (5 categories; the η of simulatedDesign is near 0). */
export const THRESHOLDS: readonly number[] = [-1.2, -0.2, 0.7, 1.8];

/**
 * Random-effect structures of the plain-JS density tests: scalar, nested, crossed, k = 2 uncorrelated
 * (diag), correlated k = 2 (us, beside a row-level term) and k = 3, and the one-correlation structures
 * cs and ar1 with k = 3 and 4, and toep with k = 4 (src/design/covariance).
 */
export const JS_STRUCTURES: Record<string, TermSpec[]> = {
  scalar: [{ group: 'g', k: 1, nLevels: 6 }],
  nested: [{ group: 'a', k: 1, nLevels: 4 }, { group: 'a:b', k: 1, nLevels: 12 }],
  crossed: [{ group: 'a', k: 1, nLevels: 5 }, { group: 'b', k: 1, nLevels: 6, index: (i) => Math.floor(i / 5) % 6 }],
  uncorrelated2: [{ group: 'g', k: 2, nLevels: 5, correlated: false }],
  correlated2: [{ group: 'g', k: 2, nLevels: 5 }, { group: 's', k: 1, nLevels: 12, index: (i) => i % 12 }],
  correlated3: [{ group: 'g', k: 3, nLevels: 4 }],
  cs3: [{ group: 'g', k: 3, nLevels: 5, structure: 'cs' }],
  ar1_4: [{ group: 'g', k: 4, nLevels: 5, structure: 'ar1' }, { group: 's', k: 1, nLevels: 12, index: (i) => i % 12 }],
  toep4: [{ group: 'g', k: 4, nLevels: 5, structure: 'toep' }],
};

/**
 * The families with a zero part (a unit-interval parameter, zi or hu) and their links: the ones a
 * `--zi '~ x'` formula applies to.
 */
export const ZERO_PART_LINKS: [FamilyName, LinkName][] = FAMILY_LINKS.filter(([f]) => getFamily(f).params.some((p) => p.constraint.kind === 'unit'));

/**
 * `d` with a formula for its zero part (as `--zi '~ x1 + z'`): an intercept, the design's x1 and a
 * seeded N(0, 1) column z, named b_<zi|hu>_Intercept, _x1, _z.
 */
export function withZeroFormula(d: Design, seed: string): Design {
  const fam = getFamily(d.family);
  const param = fam.params.find((p) => p.constraint.kind === 'unit');
  if (!param) throw new Error(`${d.family} has no zero part`);
  const rng = seedrandom(seed);
  const n = d.nobs;
  const p = 3;
  const X = new Float64Array(n * p);
  const px = d.fixed.p;
  for (let i = 0; i < n; i++) {
    X[i * p] = 1;
    X[i * p + 1] = px > 1 ? d.fixed.X[i * px + 1] : rng() - 0.5;
    X[i * p + 2] = Math.sqrt(-2 * Math.log(rng() || 1e-12)) * Math.cos(2 * Math.PI * rng());
  }
  return { ...d, paramFormulas: [{ param: param.name, X, p, names: ['Intercept', 'x1', 'z'].map((c) => `b_${param.name}_${c}`) }] };
}

/**
 * `d` with a zero formula that has random terms (as `--zi '~ x1 + z + (1|g) + (1 + z|h)'`): withZeroFormula's
 * X, and per `terms` a RandomTerm labelled <zi|hu>_Intercept, <zi|hu>_z (k = 2: Z's second column is z),
 * group g (levels i mod nLevels) or h (levels ⌊i/3⌋ mod nLevels).
 */
export function withZeroRandom(d: Design, seed: string, terms: readonly TermSpec[]): Design {
  const withX = withZeroFormula(d, seed);
  const pf = (withX.paramFormulas as NonNullable<Design['paramFormulas']>)[0];
  const n = d.nobs;
  const random: RandomTerm[] = terms.map((t) => {
    const index = Int32Array.from({ length: n }, (_, i) => (t.index ? t.index(i) : i % t.nLevels));
    const Z = new Float64Array(n * t.k);
    for (let i = 0; i < n; i++) for (let a = 0; a < t.k; a++) Z[i * t.k + a] = a === 0 ? 1 : pf.X[i * pf.p + 2];
    const labels = ['Intercept', 'z'].slice(0, t.k);
    return {
      group: t.group, terms: labels.map((l) => `${pf.param}_${l}`), columns: labels.map((l) => (l === 'Intercept' ? '(Intercept)' : l)), k: t.k,
      cov: makeCovariance(t.structure ?? (t.correlated === false ? 'diag' : 'us'), t.k, 'x'), levels: Array.from({ length: t.nLevels }, (_, j) => String(j + 1)), index, Z,
    };
  });
  return { ...withX, paramFormulas: [{ ...pf, random }] };
}

/** Zero-part random structures of the engine tests: a scalar term on the count part's group, a correlated k = 2 term on another. */
export const ZERO_RANDOM: Record<string, TermSpec[]> = {
  scalar: [{ group: 'g', k: 1, nLevels: 6 }],
  correlated: [{ group: 'g', k: 1, nLevels: 6 }, { group: 'h', k: 2, nLevels: 5, index: (i) => Math.floor(i / 3) % 5 }],
};
