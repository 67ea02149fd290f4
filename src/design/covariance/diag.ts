/**
 * The diagonal covariance `diag(x | g)` (glmmTMB, lme4 2.0): k independent effects, k sds, no
 * correlation; θ are the template's diagonal (lme4's `(x || g)` for numeric columns). Unlike lme4's
 * `||`, a factor's indicator columns are split too (glmmTMB's diag).
 */
import type { Covariance, NaturalParam } from './types.js';
import { identityInto } from './common.js';

export function diagonal(k: number, label = ''): Covariance {
  const pos = Array.from({ length: k }, (_, a): [number, number] => [a, a]);
  return {
    kind: 'diag', k, label, correlated: false,
    nTheta: k,
    theta0: pos.map(() => 1),
    thetaScale: pos.map(() => true),
    template(theta, off, T) {
      T.fill(0);
      for (let a = 0; a < k; a++) T[a * k + a] = theta[off + a];
    },
    linearPos: pos,
    lmer: true,
    foldSigns(theta, off) { for (let a = 0; a < k; a++) theta[off + a] = Math.abs(theta[off + a]); },
    natural: (group, terms) => terms.map((t): NaturalParam => ({ name: `sd_${group}__${t}`, kind: 'sd', term: t, term2: null })),
    toNatural: (theta, off) => Array.from({ length: k }, (_, a) => Math.abs(theta[off + a])),
    fromNatural: (nat, off) => Array.from({ length: k }, (_, a) => nat[off + a]),
    nSd: k,
    sdTerms: (terms) => terms,
    sdIndex: (a) => a,
    nReal: 0,
    realNames: () => [],
    correlationParams: () => [],
    correlationsOf: () => [],
    correlationMatrix() { const R = new Float64Array(k * k); identityInto(R, k); return R; },
    factor(_y, _off, L) { identityInto(L, k); return 0; },
    factorBackward: () => 0,
    logPrior: () => 0,
    priorConstant: () => 0,
    free() { /* no reals */ },
    corClass: null,
    corPrior: null,
    corPriorText: null,
    withCorPrior() { throw new Error('diag: no correlation prior other than LKJ'); },
    drawCorrelations: () => [],
    usesLkj: false,
  };
}
