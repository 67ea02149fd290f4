import { test } from 'node:test';
import assert from 'node:assert/strict';
import { samplerWarnings } from '../../diagnostics/warnings.js';

const row = (variable: string, rhat: number, bulk: number, tail: number) => ({ variable, rhat, ess_bulk: bulk, ess_tail: tail });

test('divergence warning: count, percentage and advice in one sentence (the brief example)', () => {
  const w = samplerWarnings({ nChains: 4, nDraws: 1000, divergences: 3 });
  assert.deepEqual(w, [
    '3 of 4000 transitions (0.08%) ended with a divergence: the sampler missed part of the posterior; raise --adapt-delta (e.g. 0.95) or reparameterize.',
  ]);
});

test('no warnings for a clean NUTS run', () => {
  const w = samplerWarnings({
    nChains: 4, nDraws: 1000, divergences: 0, treedepthHits: 0, maxTreedepth: 10, ebfmi: [0.9, 1.1, 0.8, 1],
    variables: [row('b_Intercept', 1.002, 1500, 1200), row('sd_g__Intercept', 1.009, 400, 401)],
  });
  assert.deepEqual(w, []);
});

test('NUTS thresholds: treedepth, E-BFMI < 0.3, R-hat > 1.01, ESS < 100 per chain', () => {
  const w = samplerWarnings({
    nChains: 4, nDraws: 500, treedepthHits: 20, maxTreedepth: 10, ebfmi: [0.29, 0.3, 0.5, 0.12],
    variables: [row('a', 1.0101, 500, 500), row('b', 1.05, 399, 2000), row('c', 1.01, 400, 400), row('d', NaN, NaN, NaN)],
  });
  assert.equal(w.length, 4);
  assert.match(w[0], /^20 of 2000 transitions \(1\.00%\) stopped at the maximum tree depth of 10: .*--max-treedepth \(e\.g\. 12\)/);
  assert.match(w[1], /^E-BFMI is below 0\.3 in 2 of 4 chains \(chain 1: 0\.29, chain 4: 0\.12\)/);
  assert.match(w[2], /^2 parameters have R-hat above 1\.01, worst b at 1\.050 \(b, a\)/);
  assert.match(w[3], /^1 parameter has bulk or tail ESS below 400 \(100 per chain\), lowest b at 399 \(b\)/);
  for (const s of w) assert.ok(s.endsWith('.') && !/[.;:]\s+[A-Z]/.test(s), `one sentence: ${s}`);
});

test('many-chain rules: nested R-hat threshold sqrt(1+1/M+1e-4), total ESS 400, no tree depth', () => {
  const w = samplerWarnings({
    sampler: 'many-chain', nChains: 256, nDraws: 10, treedepthHits: 5,
    variables: [row('a', 1.2, 500, 500), row('b', 1.0, 399, 5000)],
    nestedRhat: { names: ['a', 'b'], values: [1.0077, 1.0079], chainsPerSuperchain: 64 },
  });
  assert.equal(w.length, 2);
  assert.match(w[0], /^1 parameter has nested R-hat above 1\.0078 \(the threshold for 64 chains per superchain\), worst b at 1\.008/);
  assert.match(w[1], /below 400 in total, lowest b at 399/);
});

test('advice is a command that exists: ChEES divergences raise its target acceptance, reparameterizing names --centered', () => {
  const chees = samplerWarnings({ sampler: 'many-chain', nChains: 256, nDraws: 100, divergences: 12, targetAccept: 0.651, reparameterize: 'sample every random effect non-centred with --centered none (now centred: g)' });
  assert.deepEqual(chees, ['12 of 25600 transitions (0.05%) ended with a divergence: the sampler missed part of the posterior; raise the target acceptance (now 0.651) with --adapt-delta 0.9 or sample every random effect non-centred with --centered none (now centred: g).']);
  assert.ok(!chees[0].includes('--sampler nuts'), 'no circle through NUTS');
  const nuts = samplerWarnings({ nChains: 4, nDraws: 1000, divergences: 3, treedepthHits: 2, maxTreedepth: 10, ebfmi: [0.1, 1, 1, 1], reparameterize: 'sample the random effects of g centred with --centered g (now all non-centred)' });
  assert.match(nuts[0], /raise --adapt-delta \(e\.g\. 0\.95\) or sample the random effects of g centred with --centered g/);
  assert.match(nuts[1], /raise --max-treedepth \(e\.g\. 12\) or sample the random effects of g centred with --centered g/);
  assert.match(nuts[2], /may miss the tails; sample the random effects of g centred with --centered g \(now all non-centred\) or run a longer warmup \(--warmup 2000\)\.$/);
  // a model without random effects: no reparameterization advice
  assert.match(samplerWarnings({ nChains: 4, nDraws: 1000, divergences: 1, reparameterize: '' })[0], /raise --adapt-delta \(e\.g\. 0\.95\)\.$/);
});
