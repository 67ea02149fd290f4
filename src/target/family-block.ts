/**
 * The family parameters' block of the log density in float64, shared by both engines (the plain-JS
 * kernel and the tfjs density's per-chain step in compile.ts): at the block's unconstrained
 * coordinates u, the natural values x = T(u) by each parameter's constraint, the priors on x (one per
 * parameter, on each of its coordinates; half-distributions for positive parameters), the
 * log-Jacobians, and the family's parameter-only likelihood terms (JsLikelihood.paramOnly), with
 * their gradient in u through each constraint's pullback. A few coordinates per chain, so float64 on
 * the JS side costs nothing beside the rows.
 */
import { logPriorForm, type PriorDist } from '../../models/priors.js';
import { lbeta } from '../../base/gamma.js';
import { constrainFamily, type FamilyLayout } from '../../models/families/layout.js';
import type { JsLikelihood } from '../../models/families/types.js';

/**
 * A prior in the form c + A·log1p(B(x−m)²) + Q(x−m)² + D·x + E·log x (or beta's (a−1) log x + (b−1) log(1−x)):
 * value without c into out[0], ∂/∂x into out[1].
 */
export function priorTerm(d: PriorDist, half: boolean): (x: number, out: Float64Array) => void {
  if (d.dist === 'beta') {
    const { a, b } = d;
    return (x, out) => {
      out[0] = (a !== 1 ? (a - 1) * Math.log(x) : 0) + (b !== 1 ? (b - 1) * Math.log1p(-x) : 0);
      out[1] = (a !== 1 ? (a - 1) / x : 0) - (b !== 1 ? (b - 1) / (1 - x) : 0);
    };
  }
  const { m, A, B, Q, D, E } = logPriorForm(d, half);
  return (x, out) => {
    const r = x - m;
    const b = B * r * r;
    out[0] = (A ? A * Math.log1p(b) : 0) + Q * r * r + D * x + (E ? E * Math.log(x) : 0);
    out[1] = (A ? (2 * A * B * r) / (1 + b) : 0) + 2 * Q * r + D + (E ? E / x : 0);
  };
}

/** The block at u: returns its value without the priors' constants, writes ∂/∂u into g[0..dim). */
export type FamilyBlockFn = (u: Float64Array, g: Float64Array) => number;

/**
 * The block of `layout` with one prior per parameter (null: a user term replaced it, the Jacobian
 * stays) and the family's paramOnly; `constant` is the priors' normalising constants.
 */
export function familyBlock(layout: FamilyLayout, priors: readonly (PriorDist | null)[], paramOnly: JsLikelihood['paramOnly']): { evaluate: FamilyBlockFn; constant: number } {
  const slots = layout.slots;
  let constant = 0;
  const forms = slots.map((s, i) => {
    const d = priors[i];
    if (!d) return null;
    constant += s.size * (d.dist === 'beta' ? -lbeta(d.a, d.b) : logPriorForm(d, s.param.constraint.halfPrior).c);
    return priorTerm(d, s.param.constraint.halfPrior);
  });
  const x = new Float64Array(layout.dim);
  const gx = new Float64Array(layout.dim);
  const out = new Float64Array(2);
  const evaluate: FamilyBlockFn = (u, g) => {
    g.fill(0, 0, layout.dim);
    let v = paramOnly ? paramOnly(u, g) : 0;
    constrainFamily(layout, u, 0, x);
    for (let i = 0; i < slots.length; i++) {
      const { offset, size, param } = slots[i];
      const form = forms[i];
      for (let k = 0; k < size; k++) {
        if (form) {
          form(x[offset + k], out);
          v += out[0];
          gx[k] = out[1];
        } else gx[k] = 0;
      }
      v += param.constraint.logJacobian(u, offset, size);
      param.constraint.pullback(u, offset, size, gx, g, offset);
    }
    return v;
  };
  return { evaluate, constant };
}
