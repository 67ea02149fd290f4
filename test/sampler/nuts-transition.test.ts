import { test } from 'node:test';
import seedrandom from 'seedrandom';
import assert from 'node:assert/strict';
import { leapfrog, type Evaluation, type PhasePoint } from '../../src/sampler/integrator.js';
import { makeMetric, type Metric } from '../../src/sampler/metric.js';
import { nutsTransition, type TransitionInfo } from '../../src/sampler/nuts-transition.js';
import type { Rng } from '../../src/sampler/rng.js';
import { gaussian } from './targets.js';
import type { Target } from '../../src/sampler/target.js';

// An independent, non-recursive statement of Stan's transition (reference/algorithms.md §1.2) for a
// trajectory that only ever extends forward: the top-level doubling is then exactly a merge of two
// halves of the binary tree over the states z_0 … z_{2^D − 1}, so
// - a node [a, b] (≥ 2 states, midpoint m) passes iff crit(p♯_a, p♯_b, Σ_{a..b} p)
//   && crit(p♯_a, p♯_{m+1}, Σ_{a..m} p + p_{m+1}) && crit(p♯_m, p♯_b, Σ_{m+1..b} p + p_m);
// - the new subtree [2^j, 2^{j+1} − 1] is valid iff all its nodes pass and no state in it diverges;
//   building is depth-first, so on failure n_leapfrog stops at the end of the first failing node;
// - then the whole tree [0, 2^{j+1} − 1] must pass as a node, else the transition ends with depth j + 1.
// A scripted rng (uniform() = 0.9: always forward; a proposal is taken iff its probability > 0.9)
// makes the selected state predictable too.

interface Scenario {
  target: Target;
  metric: Metric;
  q0: number[];
  /** the standard normals the momentum is drawn from */
  xi: number[];
  /** the constant uniform: 0.9 always extends forward, 0.1 always backward */
  u: number;
}
let sc: Scenario;

function scripted(): Rng {
  const normals = [...sc.xi];
  return { uniform: () => sc.u, normal: () => normals.shift() as number };
}

function evaluate(q: Float64Array): Evaluation {
  const r = sc.target.logDensity(q, 1);
  return { logp: r.logp[0], grad: r.grad };
}

/** The starting point with the momentum the transition draws from the scripted rng. */
function start(): PhasePoint {
  const q = Float64Array.from(sc.q0);
  const p = new Float64Array(sc.q0.length);
  sc.metric.sampleMomentum(scripted(), p);
  return { q, p, ...evaluate(q) };
}

function drive<R>(g: Generator<Float64Array, R, Evaluation>): R {
  let r = g.next(undefined as unknown as Evaluation);
  while (!r.done) r = g.next(evaluate(r.value));
  return r.value;
}

/** The states in build order: z_0, then leapfrog steps of ε forward (u > 0.5) or −ε backward. */
function trajectory(eps: number, L: number): PhasePoint[] {
  const e = sc.u > 0.5 ? eps : -eps;
  const zs: PhasePoint[] = [start()];
  for (let i = 1; i < L; i++) zs.push(drive(leapfrog(zs[i - 1], e, sc.metric)));
  return zs;
}

// In a backward-only run the tree rules read the same in build order, because the criterion is
// unchanged when every momentum flips sign (p♯·ρ → (−p♯)·(−ρ)); the top level's roles of its two
// extra checks swap, which is why both directions are tested.
/** Which extra checks the oracle applies, in build order: c2 = left part + first state of the right
 * part, c3 = right part + last state of the left part; inside subtrees and at the top level. */
interface Checks { subC2: boolean; subC3: boolean; topC2: boolean; topC3: boolean }
const ALL: Checks = { subC2: true, subC3: true, topC2: true, topC3: true };

function oracle(eps: number, maxDepth: number, checks: Checks): { depth: number; n: number; sample: number; acceptStat: number } {
  const L = 2 ** maxDepth;
  const D = sc.q0.length;
  const metric = sc.metric;
  const u = sc.u;
  const zs = trajectory(eps, L);
  const ps = zs.map((z) => { const o = new Float64Array(D); metric.sharp(z.p, o); return o; });
  const H = zs.map((z) => -z.logp + metric.kinetic(z.p));
  const w = H.map((h) => H[0] - h); // log weights
  const dot = (a: Float64Array, b: number[]) => { let t = 0; for (let i = 0; i < D; i++) t += a[i] * b[i]; return t; };
  const sumP = (a: number, b: number) => { const s = new Array<number>(D).fill(0); for (let i = a; i <= b; i++) for (let k = 0; k < D; k++) s[k] += zs[i].p[k]; return s; };
  const plus = (s: number[], p: Float64Array) => s.map((x, k) => x + p[k]);
  const crit = (a: number, b: number, r: number[]) => dot(ps[b], r) > 0 && dot(ps[a], r) > 0;
  const passes = (a: number, b: number, top: boolean): boolean => {
    const m = (a + b - 1) / 2;
    if (!crit(a, b, sumP(a, b))) return false;
    if ((top ? checks.topC2 : checks.subC2) && !crit(a, m + 1, plus(sumP(a, m), zs[m + 1].p))) return false;
    return !(top ? checks.topC3 : checks.subC3) || crit(m, b, plus(sumP(m + 1, b), zs[m].p));
  };
  const lse = (a: number, b: number) => { let m = -Infinity; for (let i = a; i <= b; i++) m = Math.max(m, w[i]); let s = 0; for (let i = a; i <= b; i++) s += Math.exp(w[i] - m); return m + Math.log(s); };
  const propose = (a: number, b: number): number => {
    if (a === b) return a;
    const m = (a + b - 1) / 2;
    return Math.exp(lse(m + 1, b) - lse(a, b)) > u ? propose(m + 1, b) : propose(a, m);
  };
  const metro = (a: number, b: number) => { let s = 0; for (let i = a; i <= b; i++) s += Math.min(1, Math.exp(w[i])); return s; };
  let sample = 0;
  for (let j = 0; j < maxDepth; j++) {
    const a = 2 ** j;
    const b = 2 ** (j + 1) - 1;
    // first failure in depth-first completion order: the smallest end index among failing nodes
    let failEnd = Infinity;
    for (let i = a; i <= b; i++) if (w[i] < -1000) failEnd = Math.min(failEnd, i);
    for (let size = 2; size <= b - a + 1; size *= 2) {
      for (let s = a; s <= b; s += size) if (!passes(s, s + size - 1, false)) failEnd = Math.min(failEnd, s + size - 1);
    }
    if (failEnd < Infinity) return { depth: j, n: failEnd, sample, acceptStat: metro(1, failEnd) / failEnd };
    const lNew = lse(a, b);
    const lOld = lse(0, a - 1);
    if (lNew > lOld || Math.exp(lNew - lOld) > u) sample = propose(a, b);
    if (!passes(0, b, true)) return { depth: j + 1, n: b, sample, acceptStat: metro(1, b) / b };
  }
  return { depth: maxDepth, n: L - 1, sample, acceptStat: metro(1, L - 1) / (L - 1) };
}

test('a one-direction transition matches an independent statement of Stan’s tree rules (depth, n_leapfrog, sample, accept_stat)', () => {
  const variants: (keyof Checks)[] = ['subC2', 'subC3', 'topC2', 'topC3'];
  const decisive = new Map<string, number>(variants.map((v) => [v, 0]));
  const depths = new Set<number>();
  // Random correlated Gaussians in 2-3 dimensions with mismatched diag metrics (seeded): in one
  // dimension the extra checks can never decide (the signs of p along a valid half force the main check),
  // and with near-isotropic targets they rarely do.
  const rnd = seedrandom('nuts-transition oracle');
  const runs: [Scenario, number][] = [];
  for (let trial = 0; trial < 60; trial++) {
    const D = 2 + Math.floor(rnd() * 2);
    const L = Array.from({ length: D * D }, (_, i) => (Math.floor(i / D) >= i % D ? (rnd() * 2 - 1) * (i % (D + 1) === 0 ? 3 : 2) : 0));
    const cov = new Float64Array(D * D);
    for (let a = 0; a < D; a++) for (let b = 0; b < D; b++) {
      let t = a === b ? 0.05 : 0;
      for (let k = 0; k < D; k++) t += L[a * D + k] * L[b * D + k];
      cov[a * D + b] = t;
    }
    const scenario: Scenario = {
      target: gaussian(new Float64Array(D), cov),
      metric: makeMetric('diag', Float64Array.from({ length: D }, () => 0.3 + 3 * rnd())),
      q0: Array.from({ length: D }, () => 4 * rnd() - 2),
      xi: Array.from({ length: D }, () => 4 * rnd() - 2),
      u: rnd() < 0.5 ? 0.9 : 0.1,
    };
    for (let k = 0; k < 20; k++) runs.push([scenario, 0.02 + 0.15 * k + 0.1 * rnd()]);
  }
  for (const [scenario, eps] of runs) {
    sc = scenario;
    const expected = oracle(eps, 7, ALL);
    const info: TransitionInfo = drive(nutsTransition(start(), eps, sc.metric, scripted(), 7));
    assert.equal(info.treedepth, expected.depth, `depth at eps ${eps}`);
    assert.equal(info.nLeapfrog, expected.n, `n_leapfrog at eps ${eps}`);
    assert.ok(Math.abs(info.acceptStat - expected.acceptStat) < 1e-12, `accept_stat at eps ${eps}`);
    // the selected state: find it on the trajectory
    const traj = trajectory(eps, expected.sample + 1);
    assert.deepEqual(Array.from(info.z.q), Array.from(traj[expected.sample].q), `sample at eps ${eps}`);
    depths.add(info.treedepth);
    for (const v of variants) {
      const without = oracle(eps, 7, { ...ALL, [v]: false });
      if (without.depth !== expected.depth || without.n !== expected.n) decisive.set(v, (decisive.get(v) as number) + 1);
    }
  }
  assert.ok(depths.size >= 3, `only depths ${[...depths]}`);
  // Each of the extra checks decides the outcome somewhere in the sweep, so the comparison pins all of them.
  for (const v of variants) assert.ok((decisive.get(v) as number) > 0, `extra check ${v} never decisive`);
});
