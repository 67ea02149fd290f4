/**
 * The coordinates of a family's parameter list for one response: each parameter's slot (its offset
 * in the family's block and its length, 1 for a scalar, `size(y)` for a vector such as ordinal
 * thresholds), the names of its natural values (`sigma`, `nu`; `name[k]` for a vector), and the
 * transforms between the unconstrained block u (sampler, Laplace optimizer) and the natural values x
 * (FamilyValues, what the family's functions take), by each parameter's constraint.
 */
import type { Family, FamilyParam } from './types.js';

/** One parameter's place in the family block. */
export interface ParamSlot {
  readonly param: FamilyParam;
  /** First coordinate within the family block. */
  readonly offset: number;
  readonly size: number;
  /** The names of its values when given (a parameter's regression coefficients: b_zi_Intercept, b_zi_minedno; formula-layout.ts). */
  readonly names?: readonly string[];
}

/** The family block of one model: its slots and total length. */
export interface FamilyLayout {
  readonly slots: readonly ParamSlot[];
  readonly dim: number;
}

/** The family block of `family` for response y. */
export function familyLayout(family: Family, y: Float64Array): FamilyLayout {
  let dim = 0;
  const slots = family.params.map((param) => {
    const size = param.size ? param.size(y) : 1;
    const s = { param, offset: dim, size };
    dim += size;
    return s;
  });
  return { slots, dim };
}

/** The names of a slot's natural values: the parameter's name, or name[1..size] for a vector. */
export function slotValueNames(s: ParamSlot): string[] {
  if (s.names) return [...s.names];
  const name = s.param.valueName ?? s.param.name;
  if (s.size === 1 && !s.param.size) return [name];
  return Array.from({ length: s.size }, (_, k) => `${name}[${k + 1}]`);
}

/** The names of the natural values of the whole block, in order. */
export function familyValueNames(layout: FamilyLayout): string[] {
  return layout.slots.flatMap(slotValueNames);
}

/** The names of the unconstrained coordinates of the whole block (`log_sigma`, `logit_zi`, ...). */
export function familyCoordNames(layout: FamilyLayout): string[] {
  return layout.slots.flatMap((s) => s.names ? [...s.names] : Array.from({ length: s.size }, (_, k) => s.param.constraint.coordName(s.param.valueName ?? s.param.name, k, s.size)));
}

/** x[xo..xo+dim) = the natural values of the block u[uo..uo+dim). */
export function constrainFamily(layout: FamilyLayout, u: ArrayLike<number>, uo: number, x: Float64Array, xo = 0): Float64Array {
  for (const s of layout.slots) s.param.constraint.constrain(u, uo + s.offset, s.size, x, xo + s.offset);
  return x;
}

/** u[uo..uo+dim) = the unconstrained block of the natural values x[xo..xo+dim). */
export function unconstrainFamily(layout: FamilyLayout, x: ArrayLike<number>, xo: number, u: Float64Array, uo = 0): Float64Array {
  for (const s of layout.slots) s.param.constraint.unconstrain(x, xo + s.offset, s.size, u, uo + s.offset);
  return u;
}

/** The Laplace fit's start: every parameter's `start` on the natural scale, concatenated. */
export function familyStart(layout: FamilyLayout, y: Float64Array): Float64Array {
  const x = new Float64Array(layout.dim);
  for (const s of layout.slots) x.set(Array.from(s.param.start(y, s.size)), s.offset);
  return x;
}

/** Σ of the log-Jacobians of the block at u[uo..). */
export function familyLogJacobian(layout: FamilyLayout, u: ArrayLike<number>, uo: number): number {
  let v = 0;
  for (const s of layout.slots) v += s.param.constraint.logJacobian(u, uo + s.offset, s.size);
  return v;
}

/** The FamilyValues of a family without parameters. */
export const NO_PARAMS: Float64Array = new Float64Array(0);

/** The block's natural values read by name from `values` (estimates, assumed values); NaN where absent. */
export function familyValuesByName(layout: FamilyLayout, values: Readonly<Record<string, number>>): Float64Array {
  return Float64Array.from(familyValueNames(layout), (n) => values[n] ?? NaN);
}
