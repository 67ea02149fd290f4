/**
 * Penalized iteratively reweighted least squares for the conditional modes (lme4's `pwrssUpdate`,
 * Bates et al. 2015 JSS §5; lme4 src/external.cpp). Maximizes Σ log p(y|μ) − ½‖u‖² over u (β fixed,
 * the nAGQ = 1 stage) or over (u, β) (nAGQ = 0), by Newton/Fisher-scoring steps with step halving.
 * Weights (the family's `pirlsWeights`): Fisher (expected) weights μ'(η)²/V(μ) as lme4 for
 * poisson/binomial/bernoulli; observed weights −∂² log p/∂η² as glmmTMB (TMB's exact Laplace) for the
 * families with a parameter. The two agree for canonical links.
 */
import type { Design } from '../design/types.js';
import type { Family, FamilyValues, Link } from '../../models/families/types.js';
import { NO_PARAMS } from '../../models/families/layout.js';
import { formulaLayout, rowValues } from '../../models/families/formula-layout.js';
import type { PenalizedSystem } from './system.js';
import type { Factored } from './system.js';
import { solveSpd } from '../linalg/cholesky.js';

/** Everything PIRLS needs that does not change with θ. */
export interface PirlsModel {
  readonly design: Design;
  readonly family: Family;
  readonly link: Link;
  readonly weights: 'expected' | 'observed';
  /** Trials per row (ones when the family has none). */
  readonly trials: Float64Array;
  /**
   * For the parameter-free families (`satMu` set: poisson, binomial, bernoulli): log p(y | μ) + devResid(y, μ)/2 per
   * row, which does not depend on μ (the saturated log-likelihood), so that log p = sat − devResid/2
   * inside the PIRLS loop avoids lgamma/lchoose per row and iteration. Null otherwise.
   */
  readonly sat: Float64Array | null;
  /** Row i's family values from the block's natural values (a parameter with a formula varies by row: models/families/formula-layout.ts). */
  readonly rowAux: (aux: FamilyValues) => (i: number) => FamilyValues;
}

/** The result at the conditional mode. */
export interface PirlsResult {
  readonly u: Float64Array;
  readonly beta: Float64Array;
  readonly eta: Float64Array;
  readonly mu: Float64Array;
  /** Σ log p(y_i | μ_i) with all constants. */
  readonly sumLogLik: number;
  /** ‖u‖². */
  readonly sqrL: number;
  /** Factor of the penalized system at the mode (weights at the mode). */
  readonly factor: Factored;
  readonly converged: boolean;
  readonly iterations: number;
}

/** Builds a PirlsModel (trials default to 1). */
export function pirlsModel(design: Design, family: Family, link: Link): PirlsModel {
  const trials = design.response.trials ?? new Float64Array(design.nobs).fill(1);
  let sat: Float64Array | null = null;
  const ref = family.satMu;
  if (ref !== null) {
    const y = design.response.y;
    sat = Float64Array.from(y, (yi, i) => family.logLik(yi, ref, NO_PARAMS, trials[i]) + family.devResid(yi, ref, NO_PARAMS, trials[i]) / 2);
  }
  const fl = formulaLayout(family, design.response.y, design.paramFormulas);
  return { design, family, link, weights: family.pirlsWeights, trials, sat, rowAux: (aux) => rowValues(fl, aux) };
}

/** Whether the link is the family's canonical one (observed = expected weights). */
export function isCanonical(m: PirlsModel): boolean {
  return m.family.canonicalLink === m.link.name;
}

/** Fixed part η₀ = offset + Xβ. */
export function fixedEta(design: Design, beta: ArrayLike<number>, out: Float64Array): void {
  const { X, p } = design.fixed;
  const off = design.offset;
  for (let i = 0; i < design.nobs; i++) {
    let v = off ? off[i] : 0;
    for (let j = 0; j < p; j++) v += X[i * p + j] * beta[j];
    out[i] = v;
  }
}

/**
 * Per-row log p, score s = ∂ log p/∂η and weight w at η (mu written too). Returns Σ log p, or −∞ if
 * some η gives an invalid μ.
 */
export function rowTerms(
  m: PirlsModel,
  auxBlock: FamilyValues,
  eta: Float64Array,
  mu: Float64Array,
  s: Float64Array | null,
  w: Float64Array | null,
  kind: 'expected' | 'observed' = m.weights,
): number {
  const { family: f, link } = m;
  const y = m.design.response.y;
  const tr = m.trials;
  const sat = m.sat;
  const at = m.rowAux(auxBlock);
  let sum = 0;
  for (let i = 0; i < eta.length; i++) {
    const aux = at(i);
    const e = eta[i];
    if (!link.validEta(e)) return -Infinity;
    const mi = link.linkinv(e);
    if (!f.validMu(mi)) return -Infinity;
    mu[i] = mi;
    sum += sat ? sat[i] - 0.5 * f.devResid(y[i], mi, aux, tr[i]) : f.logLik(y[i], mi, aux, tr[i]);
    if (s && w) {
      const me = link.muEta(e);
      const d1 = f.dLogLikDmu(y[i], mi, aux, tr[i]);
      s[i] = d1 * me;
      if (kind === 'expected') {
        w[i] = (f.fisherInfo ? f.fisherInfo(mi, aux, tr[i]) : -f.d2LogLikDmu2(f.mean(mi, aux, tr[i]), mi, aux, tr[i])) * me * me;
      } else {
        w[i] = -(f.d2LogLikDmu2(y[i], mi, aux, tr[i]) * me * me + d1 * link.muEta2(e));
      }
    }
  }
  return Number.isFinite(sum) ? sum : -Infinity;
}

/**
 * Runs PIRLS from (u0, beta0). With `joint` the system must have been built with joint = true and β
 * is updated too. Converges when the Newton decrement gᵀM⁻¹g < 1e-11 and one more full step is taken,
 * so the mode is accurate to rounding (the log-determinant depends on u to first order).
 */
export function pirls(
  m: PirlsModel,
  sys: PenalizedSystem,
  T: readonly Float64Array[],
  aux: FamilyValues,
  u0: Float64Array,
  beta0: Float64Array,
  joint: boolean,
  maxIter = 60,
): PirlsResult {
  const n = m.design.nobs;
  const q = sys.q;
  const p = m.design.fixed.p;
  let u = Float64Array.from(u0);
  let beta = Float64Array.from(beta0);
  const eta0 = new Float64Array(n);
  const eta = new Float64Array(n);
  const mu = new Float64Array(n);
  const sv = new Float64Array(n);
  const w = new Float64Array(n);
  const g = new Float64Array(sys.dim);
  const setEta = (uu: Float64Array, bb: Float64Array): void => {
    fixedEta(m.design, bb, eta0);
    eta.set(eta0);
    sys.addZLu(T, uu, eta);
  };
  const sq = (uu: Float64Array): number => {
    let v = 0;
    for (let i = 0; i < uu.length; i++) v += uu[i] * uu[i];
    return v;
  };
  // Newton steps use the observed weights (quadratic convergence also for non-canonical links, where
  // lme4's Fisher scoring converges only linearly); the mode is the same. Fisher weights where an
  // observed weight is not positive.
  const canonical = isCanonical(m);
  let fellBack = false;
  const stepTerms = (): number => {
    fellBack = false;
    return canonical ? rowTerms(m, aux, eta, mu, sv, w) : rowTerms(m, aux, eta, mu, sv, w, 'observed');
  };
  /** Factor with the step weights; Fisher weights where the observed M is not positive definite. */
  const stepFactor = (): Factored => {
    const fac = sys.factor(T, w);
    if (canonical || Number.isFinite(fac.logDetU)) return fac;
    fellBack = true;
    rowTerms(m, aux, eta, mu, sv, w, 'expected');
    return sys.factor(T, w);
  };
  setEta(u, beta);
  let ll = stepTerms();
  if (!Number.isFinite(ll)) {
    u = new Float64Array(q);
    setEta(u, beta);
    ll = stepTerms();
  }
  let pdev = -2 * ll + sq(u);
  let converged = false;
  let lastSmall = false;
  let it = 0;
  let factor: Factored = stepFactor();
  for (; it < maxIter && Number.isFinite(pdev); it++) {
    sys.crossprod(T, sv, g);
    for (let j = 0; j < q; j++) g[j] -= u[j];
    const delta = Float64Array.from(g);
    factor.solve(delta);
    let dec = 0;
    for (let j = 0; j < g.length; j++) dec += g[j] * delta[j];
    if ((lastSmall && dec < 1e-11) || dec < 1e-20) {
      // at the mode to rounding: the factor and weights are already at this point
      converged = true;
      break;
    }
    let step = 1;
    let accepted = false;
    for (let h = 0; h < 30; h++) {
      const un = new Float64Array(q);
      for (let j = 0; j < q; j++) un[j] = u[j] + step * delta[j];
      const bn = Float64Array.from(beta);
      if (joint) for (let j = 0; j < p; j++) bn[j] = beta[j] + step * delta[q + j];
      setEta(un, bn);
      const lln = stepTerms();
      const pn = -2 * lln + sq(un);
      if (Number.isFinite(pn) && pn <= pdev + 1e-10 * Math.max(1, Math.abs(pdev))) {
        u = un;
        beta = bn;
        ll = lln;
        pdev = pn;
        accepted = true;
        break;
      }
      step /= 2;
    }
    if (!accepted) {
      // no further decrease is possible: restore the weights at the current point
      setEta(u, beta);
      ll = stepTerms();
      factor = stepFactor();
      converged = dec < 1e-6;
      break;
    }
    factor = stepFactor();
    lastSmall = dec < 1e-11;
    if (lastSmall && step === 1 && !fellBack) {
      // Newton converges quadratically: after a full step from a decrement below 1e-11 the next one
      // is below ~1e-20, so this point is the mode to rounding
      converged = true;
      it++;
      break;
    }
  }
  if (!canonical && (m.weights === 'expected' || fellBack) && Number.isFinite(ll)) {
    // lme4's determinant uses the Fisher weights at the mode; glmmTMB's the observed ones
    rowTerms(m, aux, eta, mu, sv, w, m.weights);
    factor = sys.factor(T, w);
  }
  return { u, beta, eta: Float64Array.from(eta), mu: Float64Array.from(mu), sumLogLik: ll, sqrL: sq(u), factor, converged, iterations: it };
}

/**
 * A plain GLM fit of the fixed effects by IRLS from μ start values (R's glm.fit, used by lme4 for
 * glmer's starting β). Returns β.
 */
export function glmStart(m: PirlsModel, aux: FamilyValues): Float64Array {
  const { X, p } = m.design.fixed;
  const n = m.design.nobs;
  const y = m.design.response.y;
  const f = m.family;
  const off = m.design.offset;
  const eta = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    eta[i] = m.link.linkfun(f.startMu(y[i], m.trials[i]));
  }
  // where y itself is not a valid mean for the link (e.g. y = 0 with a log link on the gaussian), start
  // from the mean of y there, as a constant fit would
  let ybar = 0;
  for (let i = 0; i < n; i++) ybar += y[i] / (f.response.trials !== null ? m.trials[i] : 1);
  ybar /= n;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(eta[i]) || !m.link.validEta(eta[i]) || !f.validMu(m.link.linkinv(eta[i]))) eta[i] = m.link.linkfun(ybar);
  }
  const mu = new Float64Array(n);
  const sv = new Float64Array(n);
  const w = new Float64Array(n);
  let beta: Float64Array = new Float64Array(p);
  let ll = -Infinity;
  for (let it = 0; it < 50; it++) {
    rowTerms(m, aux, eta, mu, sv, w, 'expected');
    // working response z = η − offset + s/w
    const A = new Float64Array(p * p);
    const b = new Float64Array(p);
    for (let i = 0; i < n; i++) {
      const wi = w[i] > 0 ? w[i] : 1e-10;
      const z = eta[i] - (off ? off[i] : 0) + sv[i] / wi;
      for (let a = 0; a < p; a++) {
        const xa = X[i * p + a] * wi;
        b[a] += xa * z;
        for (let c = 0; c <= a; c++) A[a * p + c] += xa * X[i * p + c];
      }
    }
    for (let a = 0; a < p; a++) for (let c = a + 1; c < p; c++) A[a * p + c] = A[c * p + a];
    const nb = solveSpd(A, b, p, 1e-10);
    let change = 0;
    for (let j = 0; j < p; j++) change = Math.max(change, Math.abs(nb[j] - beta[j]));
    const step = halvedStep(m, aux, beta, nb, it === 0 ? -Infinity : ll, eta, mu);
    if (!step) break;
    beta = step.beta;
    ll = step.ll;
    if (change < 1e-10) break;
  }
  return beta;
}

/**
 * The IRLS step from `prev` to `next`, halved (up to 30 times, as glm.fit does) while the log-likelihood
 * is not finite or falls below `llPrev`: without it the start of a log-link gamma fit on y spanning
 * 0.002–1,152 diverged to β ≈ (28503, −81463) and left the Laplace fit at an infinite deviance. Leaves η
 * at the accepted β; null when no step is accepted (the caller keeps `prev`).
 */
function halvedStep(m: PirlsModel, aux: FamilyValues, prev: Float64Array, next: Float64Array, llPrev: number, eta: Float64Array, mu: Float64Array): { beta: Float64Array; ll: number } | null {
  let beta = next;
  for (let h = 0; h <= 30; h++) {
    fixedEta(m.design, beta, eta);
    const ll = rowTerms(m, aux, eta, mu, null, null);
    if (Number.isFinite(ll) && ll >= llPrev - 1e-10 * Math.abs(llPrev)) return { beta, ll };
    beta = Float64Array.from(beta, (b, j) => (b + prev[j]) / 2);
  }
  fixedEta(m.design, prev, eta);
  return null;
}
