/**
 * Timings of the linear mixed model: fitLmm (profiled REML, Nelder–Mead over θ) on simulated
 * random-intercept data of growing size, and the Kenward–Roger / Satterthwaite df (dense n × n).
 */
import seedrandom from 'seedrandom';
import type { Design } from '../src/design/types.js';
import { fitLmm } from '../src/lmm/lmm.js';
import { vcovAdj } from '../src/lmm/kenward-roger.js';
import { satterthwaiteCore } from '../src/lmm/satterthwaite.js';
import { makeCovariance } from '../src/design/covariance/make.js';

/** y = 1 + 0.5 x + b_g + ε, b ~ N(0, 1), ε ~ N(0, 2²), g = 1..G, as a hand-built Design. */
function simulate(n: number, G: number, seed: string): Design {
  const rng = seedrandom(seed);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const b = Array.from({ length: G }, normal);
  const X = new Float64Array(n * 2), y = new Float64Array(n), index = new Int32Array(n), Z = new Float64Array(n).fill(1);
  for (let i = 0; i < n; i++) {
    const x = normal(), g = i % G;
    X[2 * i] = 1; X[2 * i + 1] = x; index[i] = g;
    y[i] = 1 + 0.5 * x + b[g] + 2 * normal();
  }
  return {
    formula: 'y ~ x + (1|g)', family: 'gaussian', nobs: n, droppedRows: 0,
    response: { label: 'y', y, trials: null },
    fixed: { X, p: 2, columns: ['(Intercept)', 'x'], names: ['b_Intercept', 'b_x'], dropped: [], hasIntercept: true },
    random: [{ group: 'g', terms: ['Intercept'], columns: ['(Intercept)'], k: 1, cov: makeCovariance('us', 1, ''), levels: Array.from({ length: G }, (_, i) => String(i + 1)), index, Z }],
    offset: null, groups: { g: G },
  };
}

function time<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, (performance.now() - t0) / 1000];
}

/** The benchmark section. */
export async function bench(): Promise<string> {
  const rows: string[] = [];
  for (const [n, G] of [[1000, 50], [20000, 1000], [100000, 1000]] as const) {
    const d = simulate(n, G, `lmm-${n}`);
    const [fit, s] = time(() => fitLmm(d));
    rows.push(`| fitLmm REML | ${n} | ${G} | ${s.toFixed(3)} | ${fit.evaluations} | sd_g ${fit.varcomp[0].sdcor.toFixed(3)}, sigma ${fit.sigma.toFixed(3)} |`);
  }
  for (const n of [200, 800]) {
    const fit = fitLmm(simulate(n, 20, `lmm-kr-${n}`));
    const [, skr] = time(() => vcovAdj(fit));
    const [, ssa] = time(() => satterthwaiteCore(fit));
    rows.push(`| Kenward–Roger vcovAdj | ${n} | 20 | ${skr.toFixed(3)} | | |`);
    rows.push(`| Satterthwaite core | ${n} | 20 | ${ssa.toFixed(3)} | | |`);
  }
  return ['## lmm', '', '| step | n | groups | seconds | criterion evaluations | estimates (true sd_g 1, sigma 2) |', '|---|---|---|---|---|---|', ...rows, ''].join('\n');
}
