/**
 * Draws, as DESIGN.md's contract says: chain-major `[chain][draw][param]` in one Float64Array,
 * so `data[(c * nDraws + d) * names.length + p]` is draw d of parameter p in chain c.
 */
export interface Draws {
  readonly nChains: number;
  readonly nDraws: number;
  readonly names: readonly string[];
  readonly data: Float64Array;
}

/** Copies the draws of one parameter into an iterations × chains column-major matrix (chain c is
 * `out.subarray(c * nDraws, (c + 1) * nDraws)`), the layout the convergence diagnostics use. */
export function parameterMatrix(draws: Draws, param: number): Float64Array {
  const { nChains, nDraws, names, data } = draws;
  const P = names.length;
  const out = new Float64Array(nChains * nDraws);
  for (let c = 0; c < nChains; c++) {
    for (let d = 0; d < nDraws; d++) out[c * nDraws + d] = data[(c * nDraws + d) * P + param];
  }
  return out;
}
