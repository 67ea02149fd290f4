/**
 * The plain-JS density's timing cells: CPU µs per gradient per chain (one batched call ÷ chains) of
 * `compileJsDensity` for the reference models of logdensity-cells.ts, with the same timing rule.
 * Runnable on its own so bench/families-before-after.sh can time an older commit with the same code:
 * `node dist/bench/density-js-cells.js 16 256` prints one tab-separated row per model.
 */
import seedrandom from 'seedrandom';
import { compileJsDensity } from '../src/target/density-js.js';
import { benchPoints, cpuMicros, referenceSpecs } from './logdensity-cells.js';

/** µs per gradient per chain [model][chains], the minimum over `passes` passes. */
export function jsCells(chains: readonly number[], passes = 2): { name: string; us: number[] }[] {
  const rng = seedrandom('bench-density-js');
  const rows = referenceSpecs().map(({ name, spec }) => ({ name, spec, target: compileJsDensity(spec), us: chains.map(() => Infinity) }));
  for (let pass = 0; pass < passes; pass++) {
    for (const row of rows) {
      chains.forEach((C, ci) => {
        const q = benchPoints(row.spec.dim, C, rng);
        row.us[ci] = Math.min(row.us[ci], cpuMicros(() => row.target.logDensity(q, C)) / C);
      });
    }
  }
  return rows.map(({ name, us }) => ({ name, us }));
}

if (process.argv[1]?.endsWith('density-js-cells.js')) {
  const chains = process.argv.slice(2).map(Number);
  for (const r of jsCells(chains.length ? chains : [16, 256])) console.log([r.name, ...r.us.map((u) => u.toFixed(3))].join('\t'));
}
