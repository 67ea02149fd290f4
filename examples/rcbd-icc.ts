/**
 * A prior on a derived quantity (README "Writing your own terms"): the talk's RCBD counts
 * (examples/data/rcbd.csv) with the Poisson GLMM count ~ trt + (1|block) + (1|block:trt), where
 * instead of a prior on each sd we put one on how the latent variance splits between blocks and
 * plots — the intra-class correlation ρ = sd_block² / (sd_block² + sd_unit²) ~ beta(2, 2) — and one on
 * the total τ = √(sd_block² + sd_unit²) ~ half-student_t(3, 0, 2.5) (the default sd prior's shape).
 * As a density on the sampled (sd_block, sd_unit) this is p(ρ) p(τ) |∂(ρ, τ)/∂(sd_block, sd_unit)|,
 * with log|J| = log 2 + ½ log ρ(1 − ρ) − log τ (sd_block = τ√ρ, sd_unit = τ√(1 − ρ)); the term
 * replaces the two sds' default priors (`replacesPriorOf`). Fitted beside the default priors.
 *
 *   node dist/examples/rcbd-icc.js [--sampler chees|nuts] [--warmup N] [--draws N] [--seed N]
 */
import { readCsvFile } from '../src/data/read.js';
import { fit } from '../src/fit.js';
import { derive } from '../src/fit/quantities.js';
import { formatSummaryTable } from '../src/report/table.js';
import type { UserTerm } from '../src/logdensity/user.js';
import { lgamma } from '../base/gamma.js';
import { dataFile, exampleArgs, f, heading, run } from './common.js';

const SD_BLOCK = 'sd_block__Intercept';
const SD_UNIT = 'sd_block:trt__Intercept';
const NU = 3;
const SCALE = 2.5;
/** log of beta(2, 2)'s 1/B(2, 2) = 6, half-student_t(3, 0, 2.5)'s normaliser, and the Jacobian's log 2. */
const CONSTANT = Math.log(6) + Math.log(2) + lgamma((NU + 1) / 2) - lgamma(NU / 2) - 0.5 * Math.log(NU * Math.PI) - Math.log(SCALE) + Math.log(2);

/** The ICC prior as a user term in tfjs ops ([C, 1] tensors in, [C, 1] out). */
const iccPrior: UserTerm = {
  name: 'icc_prior',
  replacesPriorOf: [SD_BLOCK, SD_UNIT],
  logDensity: (p, { tf }) => {
    const vBlock = tf.square(p[SD_BLOCK]);
    const tau2 = tf.add(vBlock, tf.square(p[SD_UNIT]));
    const rho = tf.div(vBlock, tau2);
    const logRhoRest = tf.add(tf.log(rho), tf.log1p(tf.neg(rho))); // log ρ(1 − ρ)
    const logT = tf.mul(tf.log1p(tf.div(tau2, NU * SCALE * SCALE)), -(NU + 1) / 2); // half-student_t kernel
    const logJ = tf.sub(tf.mul(logRhoRest, 0.5), tf.mul(tf.log(tau2), 0.5));
    return tf.add(tf.add(logRhoRest, logT), tf.add(logJ, CONSTANT)); // beta(2, 2) kernel = log ρ(1 − ρ)
  },
};

run(async () => {
  const args = exampleArgs({ sampler: 'chees' });
  const factors = ['trt', 'block'];
  const data = readCsvFile(dataFile('rcbd.csv'), { factors });
  const model = { formula: 'count ~ trt + (1|block) + (1|block:trt)', data, family: 'poisson' as const, factors, adaptDelta: 0.99 };
  const sampling = { sampler: args.sampler, warmup: args.warmup, draws: args.draws, seed: args.seed, chains: args.chains };
  const icc = (p: Record<string, number>) => p[SD_BLOCK] ** 2 / (p[SD_BLOCK] ** 2 + p[SD_UNIT] ** 2);

  heading('Default priors: sd ~ student_t(3, 0, 2.5) on each sd');
  const plain = await fit({ ...model, ...sampling });
  console.log(formatSummaryTable(plain.summary));

  heading('ICC prior: rho ~ beta(2, 2), total sd ~ student_t(3, 0, 2.5), instead of the sd priors');
  const withIcc = await fit({ ...model, ...sampling, terms: [iccPrior] });
  console.log(formatSummaryTable(withIcc.summary));

  heading('What the priors do to the variance split');
  console.log('prior              sd(block) mean   sd(unit) mean   ICC mean   ICC 90% interval');
  for (const [label, m] of [['sd priors', plain], ['ICC prior', withIcc]] as const) {
    const d = derive(m, "icc", icc).posterior;
    const mean = (name: string) => m.summary.parameters.find((p) => p.name === name)?.mean;
    console.log(`${label.padEnd(18)} ${f(mean(SD_BLOCK), 3).padEnd(16)} ${f(mean(SD_UNIT), 3).padEnd(15)} ${f(d?.mean, 3).padEnd(10)} ${f(d?.q5, 3)}–${f(d?.q95, 3)}`);
  }
  console.log('With 8 blocks the data say little about how the variance splits; the ICC prior states that belief');
  console.log('directly (ρ near ½ more likely than 0 or 1) instead of through two independent sd priors.');
});
