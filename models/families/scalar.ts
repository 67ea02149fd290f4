/** The one-parameter form of a family's parameter-only terms (JsLikelihood.paramOnly). */
import type { JsLikelihood } from './types.js';

/** paramOnly from f(u₀) = [value, ∂/∂u₀] of a family whose one parameter has one coordinate. */
export function scalarParamOnly(f: (u0: number) => [number, number]): NonNullable<JsLikelihood['paramOnly']> {
  return (u, g) => {
    const [v, d] = f(u[0]);
    g[0] = d;
    return v;
  };
}
