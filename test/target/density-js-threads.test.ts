/**
 * The plain-JS density on worker threads (src/target/density-js-threads.ts) gives the same bits as on
 * one thread: value and gradient of every chain, for every term structure and a family with aux, at
 * chain counts that do not split evenly and above the buffers' capacity; and a whole fit() with the same
 * seed writes a byte-identical draws CSV with 1 and 2 threads. The rule keeping small models on one
 * thread (densityThreads) and the pool's split are checked too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel } from '../../src/target/parameters.js';
import { compileJsDensity, perChainWork } from '../../src/target/density-js.js';
import { compileJsDensityThreaded, densityThreads, THREADS_MIN_WORK } from '../../src/target/density-js-threads.js';
import { share } from '../../src/threads/shared-pool.js';
import { fit } from '../../src/fit.js';
import { drawsCsvFiles } from '../../src/fit/io.js';
import { JS_STRUCTURES, ZERO_RANDOM, simulatedDesign, randomPoint, withZeroRandom } from './designs.js';

function sameBits(a: Float64Array, b: Float64Array, what: string): void {
  assert.equal(a.length, b.length, `${what}: length`);
  assert.deepEqual(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), new Uint8Array(b.buffer, b.byteOffset, b.byteLength), what);
}

test('share splits items into contiguous runs that cover them once', () => {
  for (const [count, parts] of [[32, 2], [7, 3], [1, 2], [0, 2], [1024, 8]]) {
    let next = 0;
    for (let i = 0; i < parts; i++) {
      const [a, b] = share(count, parts, i);
      assert.equal(a, next);
      assert.ok(b >= a && b - a <= Math.ceil(count / parts));
      next = b;
    }
    assert.equal(next, count);
  }
});

test('threaded density equals the one-thread density bit for bit (every structure, 2 threads and 3 for one, odd and oversized batches)', async () => {
  for (const [name, terms] of Object.entries(JS_STRUCTURES)) {
    for (const family of ['poisson', 'gaussian'] as const) {
      const design = simulatedDesign({ n: 60, p: 2, terms, family, link: family === 'poisson' ? 'log' : 'identity', seed: `thr-${name}-${family}` });
      const spec = buildModel(design, { family });
      const one = compileJsDensity(spec);
      for (const threads of name === 'correlated2' ? [2, 3] : [2]) {
        const many = await compileJsDensityThreaded(spec, threads, 5);
        try {
          for (const chains of [1, 5, 7, 12]) {
            const q = randomPoint(chains * spec.dim, `${name}-${chains}`, 0.4);
            const a = one.logDensity(q, chains);
            const b = many.logDensity(q, chains);
            sameBits(b.logp, a.logp, `${name} ${family} ${threads} threads ${chains} chains: logp`);
            sameBits(b.grad, a.grad, `${name} ${family} ${threads} threads ${chains} chains: grad`);
          }
          const bad = new Float64Array(2 * spec.dim).fill(NaN);
          assert.deepEqual([...many.logDensity(bad, 2).logp], [-Infinity, -Infinity]);
        } finally {
          many.dispose?.();
        }
      }
    }
  }
});

test('random effects in the zero part (zipoisson, hurdle_negbinomial): the threaded density equals the one-thread density bit for bit', async () => {
  for (const family of ['zipoisson', 'hurdle_negbinomial'] as const) {
    const design = withZeroRandom(simulatedDesign({ n: 60, p: 2, terms: JS_STRUCTURES.correlated2, family, link: 'log', seed: `thr-zr-${family}` }), `thr-zr-${family}-X`, ZERO_RANDOM.correlated);
    const spec = buildModel(design, { family });
    const one = compileJsDensity(spec);
    const many = await compileJsDensityThreaded(spec, 3, 7);
    try {
      for (const chains of [1, 7, 12]) {
        const q = randomPoint(chains * spec.dim, `zr-${family}-${chains}`, 0.4);
        const a = one.logDensity(q, chains);
        const b = many.logDensity(q, chains);
        sameBits(b.logp, a.logp, `${family} zero random, ${chains} chains: logp`);
        sameBits(b.grad, a.grad, `${family} zero random, ${chains} chains: grad`);
      }
    } finally {
      many.dispose?.();
    }
  }
});

test('densityThreads: small batched calls stay on one thread, large ones take up to the chains', () => {
  const design = simulatedDesign({ n: 400, p: 2, terms: [{ group: 'g', k: 1, nLevels: 20 }], family: 'poisson', link: 'log', seed: 'rule' });
  const spec = buildModel(design, { family: 'poisson' });
  const small = Math.floor(THREADS_MIN_WORK / perChainWork(spec)) - 1;
  assert.equal(densityThreads(spec, small, 8), 1);
  assert.equal(densityThreads(spec, small + 2, 1), 1);
  assert.equal(densityThreads(spec, small + 2, 2), 2);
  assert.equal(densityThreads(spec, 1e6, 8), 8);
});

test('fit(): the same seed gives a byte-identical draws CSV with 1 and 2 threads', async () => {
  // 2,000 rows × 256 chains: a batched call of ~2M work, above THREADS_MIN_WORK, so 2 threads are used
  // (backend js: fit() would pick tfjs at this size, useJsDensity)
  const design = simulatedDesign({ n: 2000, p: 2, terms: [{ group: 'g', k: 1, nLevels: 40 }], family: 'poisson', link: 'log', seed: 'fit-threads' });
  const rows: Record<string, unknown[]> = { y: [...design.response.y], x: [], g: [] };
  for (let i = 0; i < design.nobs; i++) {
    rows.x.push(design.fixed.X[i * 2 + 1]);
    rows.g.push(`g${design.random[0].index[i]}`);
  }
  const csv = async (threads: number) => {
    const f = await fit({ data: rows, formula: 'y ~ x + (1|g)', family: 'poisson', factors: ['g'], chains: 256, warmup: 10, draws: 10, seed: 7, threads, backend: 'js', profile: false });
    assert.equal(f.summary.sampler?.engine, threads === 1 ? 'js-float64' : `js-float64 (${threads} threads)`);
    return drawsCsvFiles(f).map((o) => [...o.content].join('')).join('\n');
  };
  const [a, b] = [await csv(1), await csv(2)];
  assert.ok(a.length > 10_000);
  assert.equal(b, a);
});
