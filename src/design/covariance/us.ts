/**
 * The unstructured covariance `us(x | g)` = lme4's `(x | g)`: k sds and k(k−1)/2 correlations. θ holds
 * the template's lower triangle column by column (lme4's order; Bates et al. 2015 §2.3). The sampler
 * sees k log sds and Stan's cholesky_corr reals under an LKJ(η) prior (brms `cor ~ lkj(1)`). With k = 1
 * it is a scalar term: one sd, no correlation.
 */
import { cholesky } from '../../linalg/cholesky.js';
import { lkjCholeskyLogDensity, lkjConstant } from '../../../models/priors.js';
import { choleskyCorrBackward, choleskyCorrConstrain, choleskyCorrFree, choleskyCorrSize } from './choleskyCorr.js';
import type { Covariance, NaturalParam } from './types.js';
import { identityInto, sdCorOfTemplate } from './common.js';

export function unstructured(k: number, label = ''): Covariance {
  const pos: [number, number][] = [];
  for (let c = 0; c < k; c++) for (let r = c; r < k; r++) pos.push([r, c]);
  const m = choleskyCorrSize(k);
  const corParams = (group: string, terms: readonly string[]): NaturalParam[] => {
    const out: NaturalParam[] = [];
    for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) out.push({ name: `cor_${group}__${terms[a]}__${terms[b]}`, kind: 'cor', term: terms[a], term2: terms[b] });
    return out;
  };
  const template = (theta: ArrayLike<number>, off: number, T: Float64Array): void => {
    T.fill(0);
    pos.forEach(([r, c], j) => { T[r * k + c] = theta[off + j]; });
  };
  return {
    kind: 'us', k, label, correlated: k > 1,
    nTheta: pos.length,
    theta0: pos.map(([r, c]) => (r === c ? 1 : 0)),
    thetaScale: pos.map(([r, c]) => r === c),
    template,
    linearPos: pos,
    lmer: true,
    foldSigns(theta, off) {
      // flip each column of T whose diagonal is negative (T Tᵀ is unchanged)
      pos.forEach(([r, c], i) => {
        if (r !== c || theta[off + i] >= 0) return;
        pos.forEach(([, c2], j) => { if (c2 === c) theta[off + j] = -theta[off + j]; });
      });
    },
    natural: (group, terms) => [...terms.map((t): NaturalParam => ({ name: `sd_${group}__${t}`, kind: 'sd', term: t, term2: null })), ...corParams(group, terms)],
    toNatural(theta, off) {
      const T = new Float64Array(k * k);
      template(theta, off, T);
      const { sd, cor } = sdCorOfTemplate(T, k);
      const out = Array.from(sd);
      // lme4's order of the correlations: column by column below the diagonal
      for (let c = 0; c < k; c++) for (let r = c + 1; r < k; r++) out.push(cor[r * k + c]);
      return out;
    },
    fromNatural(nat, off) {
      const R = new Float64Array(k * k);
      identityInto(R, k);
      let p = off + k;
      for (let c = 0; c < k; c++) for (let r = c + 1; r < k; r++) R[r * k + c] = R[c * k + r] = nat[p++];
      const C = cholesky(R, k);
      return pos.map(([r, c]) => (C ? nat[off + r] * C[r * k + c] : NaN));
    },
    nSd: k,
    sdTerms: (terms) => terms,
    sdIndex: (a) => a,
    nReal: k > 1 ? m : 0,
    realNames: (group) => (k > 1 ? Array.from({ length: m }, (_, i) => `cholesky_corr_${group}[${i + 1}]`) : []),
    correlationParams: (group, terms) => (k > 1 ? corParams(group, terms) : []),
    correlationsOf(L) {
      const out: number[] = [];
      for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) {
        let s = 0;
        for (let c = 0; c <= a; c++) s += L[a * k + c] * L[b * k + c];
        out.push(s);
      }
      return out;
    },
    correlationMatrix(values, off) {
      const R = new Float64Array(k * k);
      identityInto(R, k);
      let p = off;
      for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) R[a * k + b] = R[b * k + a] = values[p++];
      return R;
    },
    factor(y, off, L) {
      if (k === 1) { L[0] = 1; return 0; }
      return choleskyCorrConstrain(y, off, k, L);
    },
    factorBackward: (y, off, eta, dL, dy, dyOff) => (k > 1 ? choleskyCorrBackward(y, off, k, eta, dL, dy, dyOff) : 0),
    logPrior: (L, eta) => (k > 1 ? lkjCholeskyLogDensity(L, k, eta) : 0),
    priorConstant: (eta) => (k > 1 ? lkjConstant(k, eta) : 0),
    free(L, out, off) { if (k > 1) choleskyCorrFree(L, k, out, off); },
    corClass: null,
    corPrior: null,
    corPriorText: null,
    withCorPrior() { throw new Error('us: no correlation prior other than LKJ'); },
    drawCorrelations: () => [],
    usesLkj: k > 1,
  };
}
