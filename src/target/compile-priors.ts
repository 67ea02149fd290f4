/**
 * The built-in priors of a compiled log density as constant tensors (compile.ts's preparePriors step):
 * normal priors on β and z as Σ w (q − m)², Student-t/Cauchy β priors, and the sd forms on
 * x = e^u with the +u Jacobian (models/priors.ts logPriorForm), with their float64 constant, which is
 * added after the float32 call.
 */
import type { ModelSpec } from './parameters.js';
import { logPriorForm, lkjConstant, type PriorDist } from '../../models/priors.js';
import { LOG_SQRT_2PI } from '../../base/constants.js';
import type { Prepared } from '../logdensity/prepared.js';
import { selection, type Constants } from '../logdensity/constants.js';

export type PriorPart = Pick<Prepared, 'one' | 'wq' | 'w2' | 'mq' | 't' | 'pos' | 'nPos' | 'posStart' | 'posSel' | 'posSelT'>;
const NO_PRIOR = { c: 0, m: 0, A: 0, B: 0, Q: 0, D: 0, E: 0 };

/** The built-in priors as constant tensors (normal: Σ w (q − m)²; Student-t/Cauchy; sd forms) and their float64 constant. */
export function preparePriors(spec: ModelSpec, K: Constants): { part: PriorPart; constant: number } {
  const { dim } = spec;
  const replaced = (name: string) => spec.priorReplaced.has(name);
  let constant = 0;
  const w = new Float32Array(dim);
  const m = new Float32Array(dim);
  const tIdx: number[] = [];
  spec.bPriors.forEach((pr, j) => {
    if (replaced(spec.params[j].name)) return;
    if (pr.dist === 'normal') {
      w[j] = -0.5 / (pr.sigma * pr.sigma);
      m[j] = pr.mu;
      constant += logPriorForm(pr, false).c;
    } else tIdx.push(j);
  });
  for (const t of spec.terms) {
    constant -= t.nLevels * t.k * LOG_SQRT_2PI; // N(0, 1) for z; the MVN's for centred r
    if (!t.centered) for (let i = 0; i < t.nLevels * t.k; i++) w[t.zOffset + i] = -0.5;
    if (t.correlated) constant += t.cov.priorConstant(t.lkjEta);
  }
  const tForms = tIdx.map((j) => logPriorForm(spec.bPriors[j], false));
  for (const f of tForms) constant += f.c;
  const tSel = tIdx.length ? selection(dim, tIdx) : null;
  const nT = tIdx.length;
  const t = tSel
    ? {
        sel: K.k2(tSel, [dim, nT]), selT: K.k2T(tSel, [dim, nT]), m: K.k2(tForms.map((f) => f.m), [1, nT]), B: K.k2(tForms.map((f) => f.B), [1, nT]),
        A: K.k2(tForms.map((f) => f.A), [nT, 1]), A2B: K.k2(tForms.map((f) => 2 * f.A * f.B), [1, nT]),
      }
    : null;
  // sd priors on x = e^u with the +u Jacobian (a replaced prior keeps the Jacobian only); the family
  // parameters' priors are float64 on the JS side (family-block.ts)
  const posIdx: number[] = [];
  const forms: ReturnType<typeof logPriorForm>[] = [];
  const addPos = (offset: number, name: string, pr: PriorDist) => {
    posIdx.push(offset);
    forms.push(replaced(name) ? NO_PRIOR : logPriorForm(pr, true));
  };
  for (const tl of spec.terms) tl.cov.sdTerms(tl.terms).forEach((term, a) => addPos(tl.sdOffset + a, `sd_${tl.group}__${term}`, tl.sdPriors[a]));
  for (const f of forms) constant += f.c;
  const nPos = posIdx.length;
  const contiguous = posIdx.every((v, i) => v === posIdx[0] + i);
  const posSel = nPos && !contiguous ? selection(dim, posIdx) : null;
  const part: PriorPart = {
    one: K.k2([1], [1, 1]), wq: K.k2(w, [dim, 1]), w2: K.k2(Float32Array.from(w, (v) => 2 * v), [1, dim]), mq: m.some((v) => v !== 0) ? K.k2(m, [1, dim]) : null, t,
    pos: nPos ? positiveForms(forms, K) : null, nPos, posStart: nPos && contiguous ? posIdx[0] : -1,
    posSel: posSel ? K.k2(posSel, [dim, nPos]) : null, posSelT: posSel ? K.k2T(posSel, [dim, nPos]) : null,
  };
  return { part, constant };
}

/** The coefficient tensors of the sd prior forms (prepared.ts PositivePriors). */
function positiveForms(forms: ReturnType<typeof logPriorForm>[], K: Constants): Prepared['pos'] {
  const nPos = forms.length;
  const hasA = forms.some((f) => f.A !== 0);
  const hasQ = forms.some((f) => f.Q !== 0);
  const hasD = forms.some((f) => f.D !== 0);
  const coefs: number[] = [];
  if (hasA) coefs.push(...forms.map((f) => f.A));
  if (hasQ) coefs.push(...forms.map((f) => f.Q));
  if (hasD) coefs.push(...forms.map((f) => f.D));
  coefs.push(...forms.map((f) => f.E + 1));
  return {
    m: forms.some((f) => f.m !== 0) ? K.k2(forms.map((f) => f.m), [1, nPos]) : null,
    B: hasA ? K.k2(forms.map((f) => f.B), [1, nPos]) : null, hasA, hasQ, hasD, coef: K.k2(coefs, [coefs.length, 1]),
    A2B: hasA ? K.k2(forms.map((f) => 2 * f.A * f.B), [1, nPos]) : null, Q2: hasQ ? K.k2(forms.map((f) => 2 * f.Q), [1, nPos]) : null,
    D: hasD ? K.k2(forms.map((f) => f.D), [1, nPos]) : null, E1: K.k2(forms.map((f) => f.E + 1), [1, nPos]),
  };
}
