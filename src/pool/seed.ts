/**
 * The seed of job `index` of a many-fit run with seed `runSeed`: a function of the two numbers only,
 * so that a job's answer does not depend on which worker ran it, in which order, or how many workers
 * there were. SplitMix64's finaliser (Steele, Lea & Flood 2014, "Fast splittable pseudorandom number
 * generators", OOPSLA; the mixing of java.util.SplittableRandom) of runSeed·2^20 + index, cut to 31 bits,
 * so that neighbouring run seeds do not share jobs (run 1 job 2 ≠ run 2 job 1, as seed + index would give).
 */

const MASK64 = (1n << 64n) - 1n;

/** SplitMix64's mix13 finaliser on a 64-bit value. */
function mix64(z: bigint): bigint {
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

/** A positive 31-bit seed for job `index` (0-based) of the run seeded `runSeed`. */
export function jobSeed(runSeed: number, index: number): number {
  const z = mix64(((BigInt(runSeed) << 20n) + BigInt(index) + 0x9e3779b97f4a7c15n) & MASK64);
  return Number(z & 0x7fffffffn) || 1;
}
