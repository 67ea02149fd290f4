/**
 * The deterministic generator of reference/algorithms.md §5.1 (also test/fixtures/diagnostics-reference.json
 * "generator"), so tests regenerate the reference draws without R's RNG. Exact in doubles.
 */

/** `gen_u(seed, n)`: s ← (1664525·s + 1013904223) mod 2³², emit s/2³² (update first). */
export function genU(seed: number, n: number): Float64Array {
  const out = new Float64Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (1664525 * s + 1013904223) % 4294967296;
    out[i] = s / 4294967296;
  }
  return out;
}

/** `ar(seed, n, φ)`: x₁ = u₁ − ½, x_t = φ·x_{t−1} + (u_t − ½). */
export function ar(seed: number, n: number, phi: number): Float64Array {
  const u = genU(seed, n);
  const x = new Float64Array(n);
  x[0] = u[0] - 0.5;
  for (let t = 1; t < n; t++) x[t] = phi * x[t - 1] + (u[t] - 0.5);
  return x;
}

/** Column-major iterations × chains matrix from chain arrays (chain c at offset c·n). */
export function columns(chains: ArrayLike<number>[]): Float64Array {
  const n = chains[0].length;
  const out = new Float64Array(n * chains.length);
  chains.forEach((ch, c) => out.set(Array.from(ch), c * n));
  return out;
}
