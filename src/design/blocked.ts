/**
 * The design's random-effect terms (and X) as the blocked sparse Cholesky of src/linalg sees them
 * (blocked-layout.ts): the one adapter both fitters use, lmer's normal equations (src/lmm/reml.ts) and
 * glmer's PIRLS system (src/laplace/system.ts). The dense Schur part is limited to MAX_DENSE columns.
 */
import { GlmmInputError } from '../../base/errors.js';
import type { Design } from './types.js';
import type { ThetaLayout } from './theta.js';
import { blockedLayout, type BlockedLayout } from '../linalg/blocked-layout.js';

/** Largest dense part (random effects outside the term with the most levels, plus β when joint). */
export const MAX_DENSE = 3000;

/** The blocked layout of Z (and X when joint) for the design (throws when the dense part exceeds MAX_DENSE). */
export function designLayout(design: Design, s: ThetaLayout, joint: boolean): BlockedLayout {
  const terms = s.terms.map((tl) => ({ k: tl.k, nLevels: tl.nLevels, uOffset: tl.uOffset, index: tl.term.index, Z: tl.term.Z }));
  const L = blockedLayout({ n: design.nobs, terms, q: s.q, X: design.fixed.X, p: design.fixed.p, joint });
  if (L.r > MAX_DENSE) {
    const big = s.terms[L.bi]?.term.group ?? '';
    throw new GlmmInputError(
      `random effects: ${L.ru} random effects outside the largest term '${big}' need a dense ${L.r}×${L.r} factor; the fit handles at most ${MAX_DENSE} — simplify the crossed/nested terms`,
    );
  }
  return L;
}
