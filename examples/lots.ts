/**
 * Poisson random-coefficient regression over lots: counts at amounts 0, 2, …, 10 in 8 lots, one sample
 * per cell (examples/data/sim_lots_visible.csv). The book's data (SAS for Mixed Models, Ex. 12.3) are
 * not public: these were SIMULATED in R with the book's design (set.seed(1985); β0 3.2, β1 −0.22,
 * sd0 0.4, sd1 0.06, cor −0.4, sd_sample 0.15), so the "truth" is known.
 *
 *   node dist/examples/lots.js [--sampler chees|nuts] [--warmup N] [--draws N] [--seed N]
 *
 * Model: count ~ amount + (amount|lot) + (1|sample): a correlated random intercept and slope per lot and
 * a sample-level (overdispersion) effect. Derived: the amount at which the expected count of a typical
 * lot falls to 10, a = (log 10 − β0)/β1 — a ratio with heavy tails, so we report quantiles.
 */
import { readCsvFile } from '../src/data/read.js';
import { fit } from '../src/fit.js';
import { derive } from '../src/fit/quantities.js';
import { formatSummaryTable } from '../src/report/table.js';
import { dataFile, exampleArgs, f, heading, run } from './common.js';

run(async () => {
  const args = exampleArgs({ sampler: 'chees' });
  const factors = ['lot', 'sample'];
  const data = readCsvFile(dataFile('sim_lots_visible.csv'), { factors });

  heading('Poisson random-coefficient model: count ~ amount + (amount|lot) + (1|sample)');
  const m = await fit({
    formula: 'count ~ amount + (amount|lot) + (1|sample)', data, family: 'poisson', factors,
    sampler: args.sampler, warmup: args.warmup, draws: args.draws, seed: args.seed, chains: args.chains,
    // NUTS's adapt_delta of the Stan reference runs; ChEES keeps its own target acceptance
    ...(args.sampler === 'nuts' ? { adaptDelta: 0.95 } : {}),
  });
  console.log(formatSummaryTable(m.summary));

  heading('The slope and the amount at which the expected count falls to 10');
  const slope = derive(m, 'rate_ratio_per_unit', (p) => Math.exp(p.b_amount), [0.025, 0.5, 0.975]);
  console.log(`each unit of amount multiplies the expected count by ${f(slope.posterior?.median, 3)} (posterior median; 95% ${f(slope.posterior?.quantiles[0].value, 3)} to ${f(slope.posterior?.quantiles[2].value, 3)});`);
  console.log(`  Laplace ${f(slope.laplace?.estimate, 3)} [${f(slope.laplace?.lower, 3)}, ${f(slope.laplace?.upper, 3)}] (${slope.laplace?.method ?? 'delta method'})`);
  const a10 = derive(m, 'amount_at_10', (p) => (Math.log(10) - p.b_Intercept) / p.b_amount, [0.025, 0.25, 0.5, 0.75, 0.975]);
  const q = a10.posterior?.quantiles ?? [];
  console.log(`amount at which a typical lot's expected count is 10: posterior median ${f(q[2]?.value, 2)}, 50% interval ${f(q[1]?.value, 2)} to ${f(q[3]?.value, 2)},`);
  console.log(`  95% interval ${f(q[0]?.value, 2)} to ${f(q[4]?.value, 2)} (mean ${f(a10.posterior?.mean, 2)}: pulled by the heavy tail of a ratio)`);
  console.log(`  Laplace (delta method) ${f(a10.laplace?.estimate, 2)} [${f(a10.laplace?.lower, 2)}, ${f(a10.laplace?.upper, 2)}]`);
  console.log(`  truth used in the simulation: (log 10 − 3.2)/(−0.22) = ${f((Math.log(10) - 3.2) / -0.22, 2)}`);

  heading('Conclusion');
  const cor = m.summary.parameters.find((p) => p.name === 'cor_lot__Intercept__amount');
  console.log(`The expected count falls by about ${f(100 * (1 - (slope.posterior?.median ?? NaN)), 0)}% per unit of amount. Lots differ in level (sd_lot__Intercept) and in slope`);
  console.log(`(sd_lot__amount); the correlation of the two is poorly determined by 8 lots (posterior 90% interval`);
  console.log(`${f(cor?.q5)} to ${f(cor?.q95)}; Laplace ${f(cor?.laplace?.estimate)}). A typical lot reaches an expected count of 10 at an amount of about`);
  console.log(`${f(q[2]?.value, 1)}; quote its quantiles, not a mean ± sd, because the ratio has a heavy tail.`);
});
