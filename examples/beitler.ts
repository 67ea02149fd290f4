/**
 * Beitler & Landis (1985): a multi-clinic trial, 8 clinics × 2 treatments (t = 0 control, 1 drug),
 * x favourable outcomes of n patients (examples/data/beitler_landis_1985.csv; see PROVENANCE.md).
 *
 *   node dist/examples/beitler.js [--sampler chees|nuts] [--warmup N] [--draws N] [--seed N]
 *
 * Model: cbind(x, n - x) ~ t + (1|clinic) + (1|clinic:t), binomial, logit link. Question: does the
 * drug raise the probability of a favourable outcome, and by how much (odds ratio, probabilities at a
 * typical clinic, P(effect > 0))?
 *
 * Then the talk's question for proportions (issue 22): the extra-binomial variation of each clinic ×
 * treatment cell either as a random effect per cell (clinic:t, a normal on the logit scale) or as a
 * beta-binomial (cbind(x, n - x) ~ t + (1|clinic), precision phi), beside the plain binomial with clinics
 * only; compared by PSIS-LOO, K-fold by clinic and AIC/BIC, as examples/rcbd-compare.ts does for counts.
 */
import { readCsvFile } from '../src/data/read.js';
import { fit } from '../src/fit.js';
import { contrasts, derive, means } from '../src/fit/quantities.js';
import { formatSummaryTable } from '../src/report/table.js';
import { compare, formatComparison, kfold, loo, type FitOptions, type GlmmFit, type KfoldResult } from '../src/index.js';
import type { DataFrame } from '../src/data/frame.js';
import { dataFile, exampleArgs, f, heading, run } from './common.js';

run(async () => {
  const args = exampleArgs({ sampler: 'chees' });
  const factors = ['t', 'clinic'];
  const data = readCsvFile(dataFile('beitler_landis_1985.csv'), { factors });

  heading('Binomial GLMM: cbind(x, n - x) ~ t + (1|clinic) + (1|clinic:t)');
  const m = await fit({
    formula: 'cbind(x, n - x) ~ t + (1|clinic) + (1|clinic:t)', data, family: 'binomial', factors,
    sampler: args.sampler, warmup: args.warmup, draws: args.draws, seed: args.seed, chains: args.chains,
    // NUTS's adapt_delta of the Stan reference runs; ChEES keeps its own target acceptance
    ...(args.sampler === 'nuts' ? { adaptDelta: 0.95 } : {}),
  });
  console.log(formatSummaryTable(m.summary));

  heading('Treatment effect');
  const or = contrasts(m, 't');
  const lc = or.laplace?.[0];
  const pc = or.posterior?.[0];
  console.log(`odds ratio drug/control: Laplace ${f(lc?.estimate)} [${f(lc?.lower)}, ${f(lc?.upper)}] (Wald, p = ${f(lc?.p, 4)})`);
  console.log(`                         posterior median ${f(pc?.estimate)} [${f(pc?.lower)}, ${f(pc?.upper)}] (95% interval)`);
  const effect = derive(m, 'b_t1', (p) => p.b_t1);
  console.log(`P(drug effect > 0) = P(b_t1 > 0) = ${f(pc?.probPositive, 3)}`);
  const probs = means(m, 't');
  console.log('probability of a favourable outcome at a typical clinic (random effects 0):');
  probs.laplace?.forEach((row, i) => {
    const post = probs.posterior?.[i]?.summary;
    console.log(`  t = ${row.level}: Laplace ${f(row.estimate, 3)} [${f(row.lower, 3)}, ${f(row.upper, 3)}]   posterior median ${f(post?.median, 3)} [${f(post?.quantiles[0].value, 3)}, ${f(post?.quantiles[1].value, 3)}]`);
  });
  const avg = means(m, 't', 'marginal');
  console.log('population-averaged probability (over the clinic distribution; marginal means):');
  avg.laplace?.forEach((row, i) => {
    const post = avg.posterior?.[i]?.summary;
    console.log(`  t = ${row.level}: Laplace ${f(row.estimate, 3)}   posterior median ${f(post?.median, 3)}`);
  });

  heading('Conclusion');
  console.log(`The drug raises the odds of a favourable outcome by a factor of about ${f(pc?.estimate, 1)} (posterior median;`);
  console.log(`95% interval ${f(pc?.lower, 2)} to ${f(pc?.upper, 2)}), with P(effect > 0) = ${f(pc?.probPositive, 3)}. At a typical clinic the`);
  const p0 = probs.posterior?.[0]?.summary.median, p1 = probs.posterior?.[1]?.summary.median;
  console.log(`probability moves from ${f(p0, 2)} to ${f(p1, 2)}. The clinics differ far more than the treatment effect`);
  console.log(`varies between them (sd_clinic vs sd_clinic:t); with only 8 clinics the posterior of each sd is wide and`);
  console.log(`skewed, which is why its mean exceeds the ML estimate (b_t1 posterior mean ${f(effect.posterior?.mean, 3)} vs ML ${f(effect.laplace?.estimate, 3)}).`);

  await compareOverdispersion(data, factors, args, m);
});

/** The binomial limit's logLik of the beta-binomial, glmmTMB's (test/fixtures/families/new-families.json). */
const GLMMTMB_BINOMIAL_LIMIT = -37.1006;

/**
 * Part 2: binomial with clinics only, binomial with a clinic × treatment effect (`clinicT`, fitted above)
 * and beta-binomial with clinics, by PSIS-LOO, K-fold by clinic (8 folds, whole clinics left out) and AIC.
 */
async function compareOverdispersion(data: DataFrame, factors: string[], a: ReturnType<typeof exampleArgs>, clinicT: GlmmFit): Promise<void> {
  const common = { data, factors, sampler: a.sampler, warmup: a.warmup, draws: a.draws, seed: a.seed, chains: a.chains, ...(a.sampler === 'nuts' ? { adaptDelta: 0.95 } : {}) };
  const specs: { label: string; opts: FitOptions; fit?: GlmmFit }[] = [
    { label: 'binomial_clinic', opts: { ...common, formula: 'cbind(x, n - x) ~ t + (1|clinic)', family: 'binomial' } },
    { label: 'binomial_clinic_t', opts: { ...common, formula: 'cbind(x, n - x) ~ t + (1|clinic) + (1|clinic:t)', family: 'binomial' }, fit: clinicT },
    { label: 'betabinomial', opts: { ...common, formula: 'cbind(x, n - x) ~ t + (1|clinic)', family: 'betabinomial' } },
  ];
  const fits: { label: string; opts: FitOptions; fit: GlmmFit }[] = [];
  for (const s of specs) {
    process.stderr.write(`fitting ${s.label} …\n`);
    fits.push({ label: s.label, opts: s.opts, fit: s.fit ?? (await fit(s.opts)) });
  }
  const bb = fits[2].fit.summary;

  heading('Overdispersion: a clinic × treatment effect or a beta-binomial?');
  const phiMl = bb.parameters.find((p) => p.name === 'phi');
  console.log(`Beta-binomial, maximum likelihood: no finite optimum. phi (the precision; Var = n·mu(1 − mu)(1 + (n − 1)/(phi + 1)))`);
  console.log(`runs to infinity, the binomial limit, in glmmTMB as here (our Laplace fit stops at phi = ${phiMl?.laplace?.estimate?.toExponential(1) ?? 'NA'},`);
  console.log(`logLik ${f(bb.laplace?.logLik, 4)}; glmmTMB's binomial limit ${GLMMTMB_BINOMIAL_LIMIT}). Its AIC below counts phi as a parameter at`);
  console.log(`that limit, so it is the binomial (1|clinic)'s AIC + 2. The posterior is well defined with phi's prior`);
  console.log(`(${bb.model.priors.find((p) => p.startsWith('phi')) ?? 'phi'}): median ${f(phiMl?.median, 1)}, 90% interval ${f(phiMl?.q5, 1)} to ${f(phiMl?.q95, 1)}; the data`);
  console.log('rule out strong overdispersion (small phi) but cannot bound phi above.');

  heading('1. PSIS-LOO beside AIC, BIC and the LRT');
  console.log(formatComparison(compare(...fits.map((x) => ({ label: x.label, fit: x.fit })))));
  for (const x of fits) {
    const r = loo(x.fit);
    console.log(`${x.label.padEnd(18)} ${r.bad_k.length.toString().padStart(2)} of ${r.dims[1]} Pareto k̂ > ${f(r.k_threshold)} (max ${f(Math.max(...r.pointwise.pareto_k))})`);
  }
  console.log('Each clinic has two rows and the clinic × treatment effect is one random effect per row: leaving a row out');
  console.log('removes most of what the data say about its own effects, so PSIS-LOO is unreliable where k̂ is high (the');
  console.log('beta-binomial, whose extra variation is in the likelihood, not in random effects, has the fewest). K-fold refits:');

  heading('2. K-fold by clinic (8 folds: each clinic left out in turn, refit at the sampler\'s defaults)');
  const kf: KfoldResult[] = [];
  for (const x of fits) {
    process.stderr.write(`K-fold ${x.label} …\n`);
    kf.push(await kfold(x.opts, { K: 8, group: 'clinic', seed: a.seed, onProgress: (p) => process.stderr.write(`  refit ${p.done}/${p.total}\r`) }, x.fit));
  }
  const byKfold = compare(...fits.map((x, i) => ({ label: x.label, fit: x.fit, kfold: kf[i] })));
  console.log(formatComparison(byKfold).split('\n\nLikelihood')[0]);
  const kb = byKfold.elpd![0], k2 = byKfold.elpd![1];
  console.log(`\nPredicting a new clinic, ${kb.model} leads ${k2.model} by ${f(-k2.elpd_diff, 1)} ± ${f(k2.se_diff, 1)} elpd` +
    `${Math.abs(k2.elpd_diff) < 2 * k2.se_diff ? ' (within two SEs: the data cannot separate them)' : ''}.`);

  heading('Conclusion (proportions)');
  const sdCt = clinicT.summary.parameters.find((p) => p.name === 'sd_clinic:t__Intercept');
  console.log(`By maximum likelihood all three models reach the same logLik (${fits.map((x) => f(x.fit.summary.laplace?.logLik, 2)).join(', ')}): the`);
  console.log(`clinic × treatment sd goes to 0 and the beta-binomial's phi to infinity, so the clinics account for all the`);
  console.log(`extra-binomial variation and AIC prefers the fewest parameters. The posteriors keep a little of each (sd_clinic:t`);
  console.log(`median ${f(sdCt?.median, 2)}, phi median ${f(phiMl?.median, 0)}), and by prediction of a new clinic the three are within a few tenths`);
  console.log('of an elpd: the trial has no evidence of overdispersion beyond the clinic effect. The treatment effect (b_t1,');
  console.log('log odds ratio, posterior median [95% interval]) under each:');
  for (const x of fits) {
    const b = x.fit.summary.parameters.find((p) => p.name === 'b_t1');
    console.log(`  ${x.label.padEnd(18)} ${f(b?.median, 3)} [${f(b?.lower, 3)}, ${f(b?.upper, 3)}]   ML ${f(b?.laplace?.estimate, 3)}`);
  }
}
