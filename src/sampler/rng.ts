/**
 * Seeded random streams for the samplers (DESIGN.md style rule 4: randomness is explicit).
 *
 * One user seed gives many independent streams (one per chain, or per purpose): stream `k` of seed `s`
 * is seedrandom's xor4096 generator (Brent 2006; period 2^4128 − 2^32, passes BigCrush) seeded with
 * the string `"s/k"`, so streams never share state and the same (seed, stream) always gives the same
 * sequence. Normals use Marsaglia's polar method (Marsaglia & Bray 1964), caching the second value.
 */
import seedrandom from 'seedrandom';

/** A random stream: `uniform()` in [0, 1) with 53 random bits, `normal()` standard normal. */
export interface Rng {
  uniform(): number;
  normal(): number;
}

/**
 * Stream `stream` of seed `seed`. Different streams of one seed are independent; `makeRng(s, k)` called
 * twice gives two generators producing identical sequences.
 */
export function makeRng(seed: number, stream: number): Rng {
  const prng = seedrandom.xor4096(`${seed}/${stream}`);
  const uniform = (): number => prng.double();
  let cached = 0;
  let hasCached = false;
  const normal = (): number => {
    if (hasCached) {
      hasCached = false;
      return cached;
    }
    let u = 0;
    let v = 0;
    let s = 0;
    do {
      u = 2 * prng.double() - 1;
      v = 2 * prng.double() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    cached = v * f;
    hasCached = true;
    return u * f;
  };
  return { uniform, normal };
}
