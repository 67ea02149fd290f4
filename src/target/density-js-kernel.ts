/**
 * The plain-JS density's kernel (density-js.ts has the formulas): what it reads of a model as plain data
 * (numbers, prior tables and typed arrays, so that a worker thread can rebuild it from a message with
 * the arrays in shared memory: density-js-threads.ts), and one chain's value and gradient from it.
 */
import type { PriorDist } from '../../models/priors.js';
import type { FamilyName, LinkName } from '../../models/families/types.js';
import { makeCovariance } from '../design/covariance/make.js';
import type { CovarianceKind } from '../design/covariance/types.js';
import { correlatedBackward, correlatedEffects, type JsTerm } from './density-js-terms.js';
import { getFamily } from '../../models/families/getFamily.js';
import { fillRow, formulaIndex, formulaLayout, hasFormulas, pullRow, type ParamFormula } from '../../models/families/formula-layout.js';
import { familyBlock, priorTerm } from './family-block.js';
import { addEffects, addScaled, addUnit, crossprod, fixedEta, rowsManyCoordinates, rowsOneCoordinate, scatterUnit, scatterZ } from './density-js-loops.js';
import type { ModelSpec } from './parameters.js';

/**
 * A random-effect term as data: its layout, index and Z columns, sd priors, its covariance structure by
 * kind and label (makeCovariance rebuilds it in a worker); corOffset −1 unless correlated.
 */
export interface JsTermData {
  readonly k: number;
  readonly covKind: CovarianceKind;
  readonly covLabel: string;
  /** The structure's correlation prior (non-LKJ), rebuilt with it in a worker. */
  readonly corPrior: PriorDist | null;
  readonly nLevels: number;
  readonly centered: boolean;
  readonly sdOffset: number;
  readonly zOffset: number;
  readonly index: Int32Array;
  readonly Z: Float64Array;
  readonly sdPriors: readonly PriorDist[];
  readonly corOffset: number;
  readonly lkjEta: number;
  /** The parameter formula (index in the formula layout's formulas) whose row coordinate the term adds to, or −1 for η. */
  readonly formula: number;
}

/** What the kernel reads of a ModelSpec (jsDensityCovers holds): plain data, structured-cloneable. */
export interface JsDensityData {
  readonly dim: number;
  readonly p: number;
  readonly n: number;
  readonly family: FamilyName;
  readonly link: LinkName;
  /** n × p row-major. */
  readonly X: Float64Array;
  readonly offset: Float64Array | null;
  readonly y: Float64Array;
  readonly trials: Float64Array | null;
  readonly bPriors: readonly PriorDist[];
  readonly terms: readonly JsTermData[];
  /** First coordinate of the family parameters' block (its layout comes from the family and y), and their priors (null: replaced). */
  readonly familyOffset: number;
  readonly familyPriors: readonly (PriorDist | null)[];
  /** Family parameters with their own linear predictor (design.paramFormulas without their random terms, which are `terms` with `formula` ≥ 0; formula-layout.ts). */
  readonly paramFormulas: readonly ParamFormula[];
}

/** The kernel's data of `spec` (arrays shared, not copied). */
export function jsDensityData(spec: ModelSpec): JsDensityData {
  const { design } = spec;
  const fl = spec.familyBlock.formulas;
  return {
    dim: spec.dim, p: spec.p, n: design.nobs, family: spec.family, link: spec.link,
    X: design.fixed.X, offset: design.offset, y: design.response.y, trials: design.response.trials,
    bPriors: spec.bPriors,
    terms: spec.terms.map((t) => ({
      k: t.k, nLevels: t.nLevels, centered: t.centered, sdOffset: t.sdOffset, zOffset: t.zOffset, index: t.index, Z: t.Z,
      sdPriors: t.sdPriors, corOffset: t.correlated ? t.corOffset : -1, lkjEta: t.lkjEta, covKind: t.cov.kind, covLabel: t.cov.label, corPrior: t.cov.corPrior,
      formula: t.param ? formulaIndex(fl, t.param) : -1,
    })),
    familyOffset: spec.familyBlock.offset,
    familyPriors: spec.familyBlock.priors,
    // the formulas' random terms are in `terms` (their covariance objects are not structured-cloneable)
    paramFormulas: (design.paramFormulas ?? []).map(({ random: _random, ...f }) => f),
  };
}

/**
 * Chains c0..c1 of a batched call: logp[c] = kernel + constant, or −∞ with a zero gradient where the
 * value or a gradient entry is not finite (the sampler's divergence).
 */
export function evaluateChains(kernel: JsKernel, constant: number, dim: number, q: Float64Array, logp: Float64Array, grad: Float64Array, c0: number, c1: number): void {
  for (let c = c0; c < c1; c++) {
    const v = kernel(q, c * dim, grad) + constant;
    let ok = Number.isFinite(v);
    for (let i = 0; ok && i < dim; i++) ok = Number.isFinite(grad[c * dim + i]);
    logp[c] = ok ? v : -Infinity;
    if (!ok) grad.fill(0, c * dim, (c + 1) * dim);
  }
}

/** a[from..to) = 0: a loop, cheaper than fill's builtin call on the few entries of a term. */
function zero(a: Float64Array, from: number, to: number): void {
  for (let i = from; i < to; i++) a[i] = 0;
}

/**
 * One chain's log density without its constant at q[o..o+dim), gradient into grad[o..o+dim): the kernel
 * of `data`, with its own scratch (so every thread builds its own).
 */
export type JsKernel = (q: Float64Array, o: number, grad: Float64Array) => number;

/** Builds the kernel of `data` (module comment of density-js.ts). */
export function jsKernel(data: JsDensityData): JsKernel {
  const { p, n, X, offset } = data;
  const lik = getFamily(data.family).jsLikelihood(data.link, data.y, data.trials ?? new Float64Array(n).fill(1));
  const row = lik.row;
  const bPrior = data.bPriors.map((d) => priorTerm(d, false));
  const terms: JsTerm[] = data.terms.map((t) => ({
    k: t.k, nLevels: t.nLevels, centered: t.centered, sdOffset: t.sdOffset, zOffset: t.zOffset, index: t.index, Z: t.Z,
    prior: t.sdPriors.map((d) => priorTerm(d, true)), sd: new Float64Array(t.k),
    cov: makeCovariance(t.covKind, t.k, t.covLabel, t.corPrior), corOffset: t.corOffset, lkjEta: t.lkjEta,
    L: new Float64Array(t.k * t.k), dL: new Float64Array(t.k * t.k), r: new Float64Array(t.corOffset >= 0 ? t.nLevels * t.k : 0),
  }));
  const fl = formulaLayout(getFamily(data.family), data.y, data.paramFormulas);
  if (hasFormulas(fl) && lik.paramOnly) throw new Error(`compileJsDensity: the ${data.family} family's parameter-only terms take one value per parameter, not a formula`);
  const layout = fl.block;
  const m = layout.dim;
  const block = m > 0 ? familyBlock(layout, data.familyPriors, lik.paramOnly).evaluate : null;
  const ur = new Float64Array(fl.row.dim);
  const fOff = data.familyOffset;
  const uf = new Float64Array(m);
  const gf = new Float64Array(m);
  const eta = new Float64Array(n);
  const g = new Float64Array(n);
  const out = new Float64Array(Math.max(3, 2 + m, 2 + fl.row.dim));
  const nt = terms.length;
  // each sd coordinate's e^u once per call (a structure's sds may share one: sdIndex)
  const sdValues = terms.map((t) => new Float64Array(t.prior.length));
  const sdIndex = terms.map((t) => Int32Array.from({ length: t.k }, (_, a) => t.cov.sdIndex(a)));
  // a parameter formula's random terms: their part of the formula's row coordinate (ez) and its gradient (gz), per formula
  const target = data.terms.map((t) => t.formula);
  const ez = fl.formulas.map((_, fi) => (target.includes(fi) ? new Float64Array(n) : null));
  const gz = ez.map((e) => (e ? new Float64Array(n) : null));
  const rowCoord = fl.formulas.map((f) => 2 + f.rowOffset);
  const withEz = ez.some((e) => e !== null);

  /** Priors on β, sd and the family block (with the Jacobians): value, gradient written into grad[o..]; uf holds the block's u. */
  const priors = (q: Float64Array, o: number, grad: Float64Array): number => {
    let s = 0;
    for (let j = 0; j < p; j++) {
      bPrior[j](q[o + j], out);
      s += out[0];
      grad[o + j] = out[1];
    }
    for (let ti = 0; ti < nt; ti++) {
      const t = terms[ti];
      const xs = sdValues[ti];
      for (let a = 0; a < t.prior.length; a++) {
        const u = q[o + t.sdOffset + a];
        const x = Math.exp(u);
        xs[a] = x;
        t.prior[a](x, out);
        s += out[0] + u;
        grad[o + t.sdOffset + a] = out[1] * x + 1;
      }
      const idx = sdIndex[ti];
      for (let a = 0; a < t.k; a++) t.sd[a] = xs[idx[a]];
      if (t.corOffset >= 0) {
        t.cov.factor(q, o + t.corOffset, t.L);
        zero(grad, o + t.corOffset, o + t.corOffset + t.cov.nReal);
      }
    }
    if (block) {
      s += block(uf, gf);
      for (let k = 0; k < m; k++) grad[o + fOff + k] = gf[k];
    }
    return s;
  };

  // the hot loops below run row-major over X and special-case scalar terms with Z = 1 (intercepts):
  // 4.5 → 2.9 ms per call of 256 chains on brms's epilepsy (236 rows, p = 6, same minutes)
  const offset0 = offset ?? new Float64Array(n);
  const beta = new Float64Array(p);
  const unitZ = terms.map((t) => t.k === 1 && t.Z.every((v) => v === 1));

  /** η at q[o..] into `eta`, and a parameter formula's random part into its ez. */
  const linearPredictor = (q: Float64Array, o: number): void => {
    for (let j = 0; j < p; j++) beta[j] = q[o + j];
    fixedEta(X, beta, offset0, eta, n, p);
    for (const e of ez) if (e) zero(e, 0, n);
    for (let ti = 0; ti < terms.length; ti++) {
      const t = terms[ti];
      const acc = target[ti] < 0 ? eta : (ez[target[ti]] as Float64Array); // η, or its formula's random part
      const base = o + t.zOffset;
      if (t.corOffset >= 0) {
        correlatedEffects(t, q, base);
        addEffects(acc, t.Z, t.r, t.index, t.k, n);
      } else if (unitZ[ti]) addUnit(acc, q, base, t.index, t.centered ? 1 : t.sd[0], n);
      else addScaled(acc, q, base, t.index, t.Z, t.k, t.sd, t.centered, n);
    }
  };

  /** The random effects' prior and the chain rule from G (already in grad) to z or r and log sd. */
  const effects = (t: JsTerm, q: Float64Array, o: number, grad: Float64Array): number => {
    if (t.corOffset >= 0) return correlatedBackward(t, q, o, grad);
    const base = o + t.zOffset;
    let s = 0;
    for (let a = 0; a < t.k; a++) {
      const x = t.sd[a];
      let sum = 0;
      if (t.centered) {
        const prec = 1 / (x * x);
        for (let j = 0; j < t.nLevels; j++) {
          const r = q[base + j * t.k + a];
          sum += r * r;
          grad[base + j * t.k + a] -= r * prec;
        }
        s += -0.5 * sum * prec - t.nLevels * Math.log(x);
        grad[o + t.sdOffset + a] += sum * prec - t.nLevels;
      } else {
        let dsd = 0;
        for (let j = 0; j < t.nLevels; j++) {
          const m = base + j * t.k + a;
          const z = q[m];
          sum += z * z;
          dsd += grad[m] * z; // G·z, before scaling G by sd
          grad[m] = grad[m] * x - z;
        }
        s += -0.5 * sum;
        grad[o + t.sdOffset + a] += dsd * x;
      }
    }
    return s;
  };

  /** log p without the constant at point q[o..o+dim), gradient into grad[o..]. */
  return (q: Float64Array, o: number, grad: Float64Array): number => {
    for (let k = 0; k < m; k++) uf[k] = q[o + fOff + k];
    let s = priors(q, o, grad);
    linearPredictor(q, o);
    if (hasFormulas(fl)) {
      // row i's family coordinates from the block (a formula's X_p[i,·] β_p), its gradient pulled back to the block
      gf.fill(0);
      for (let i = 0; i < n; i++) {
        row(i, eta[i], fillRow(fl, uf, 0, i, ur, false, withEz ? ez : undefined), out);
        s += out[0];
        g[i] = out[1];
        pullRow(fl, out, 2, i, gf);
        if (withEz) for (let fi = 0; fi < gz.length; fi++) if (gz[fi]) (gz[fi] as Float64Array)[i] = out[rowCoord[fi]];
      }
      for (let k = 0; k < m; k++) grad[o + fOff + k] += gf[k];
    } else if (m <= 1) {
      // one family coordinate or none (out[2] stays 0): the common case without an inner loop
      s = rowsOneCoordinate(row, eta, uf, out, g, n, s);
      if (m === 1) grad[o + fOff] += out[2];
    } else {
      gf.fill(0);
      s = rowsManyCoordinates(row, eta, uf, out, g, gf, m, n, s);
      for (let k = 0; k < m; k++) grad[o + fOff + k] += gf[k];
    }
    crossprod(X, g, beta, n, p); // beta reused: Xᵀg
    for (let j = 0; j < p; j++) grad[o + j] += beta[j];
    for (let ti = 0; ti < terms.length; ti++) {
      const t = terms[ti];
      const base = o + t.zOffset;
      const { k, index, Z } = t;
      // ∂ℓ_i/∂ of the row value the term adds to: η's g, or its formula's coordinate
      const gi = target[ti] < 0 ? g : (gz[target[ti]] as Float64Array);
      zero(grad, base, base + t.nLevels * k);
      if (unitZ[ti]) scatterUnit(grad, base, index, gi, n);
      else scatterZ(grad, base, index, Z, k, gi, n);
      s += effects(t, q, o, grad);
    }
    return s;
  };
}
