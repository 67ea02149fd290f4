/**
 * Laplace fit timings: a simulated Poisson GLMM with 100,000 rows and one grouping factor of 1,000
 * levels (seeded; target < 3 s, lme4 1.1-31 took 7.1 s on this machine kind), and the reference
 * models of test/laplace and lme4's VerbAgg (7,584 rows, crossed id × item; examples/data), each
 * without profile intervals, then with (lme4 1.1-31's glmer takes 4.7 CPU s on VerbAgg here, its
 * confint(method = "profile") of the two sds 149 CPU s).
 */
import seedrandom from 'seedrandom';
import { frameFromRows, readCsvFile } from '../src/data/read.js';
import { buildDesign } from '../src/design/design.js';
import { fitLaplace } from '../src/laplace/laplace.js';
import { caseDesign } from '../test/laplace/cases.js';
import { ziRandomDesign, ziRandomGoldens } from '../test/laplace/zi-random-cases.js';
import { rpois, rnormStd } from '../models/families/random.js';

/** Simulates y ~ Poisson(exp(0.5 + 0.3·x + b_g)), b_g ~ N(0, 0.5²), x ~ N(0, 1). */
function simulate(n: number, groups: number, seed: string) {
  const rng = seedrandom(seed);
  const b = Array.from({ length: groups }, () => 0.5 * rnormStd(rng));
  const g = new Array<string>(n);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const j = i % groups;
    g[i] = `g${j}`;
    x[i] = rnormStd(rng);
    y[i] = rpois(rng, Math.exp(0.5 + 0.3 * x[i] + b[j]));
  }
  return frameFromRows({ y, x, g });
}

export async function bench(): Promise<string> {
  const rows: string[] = ['| model | n | wall s | CPU s | logLik | evals | note |', '|---|---|---|---|---|---|---|'];
  const frame = simulate(100_000, 1000, 'laplace-bench-100k');
  const design = buildDesign('y ~ x + (1 | g)', frame, 'poisson');
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const fit = fitLaplace(design, { family: 'poisson', profile: false });
  const sec = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0).user / 1e6;
  const sd = fit.varpars[0].estimate;
  rows.push(`| poisson y ~ x + (1 \\| g), 1,000 levels | 100,000 | ${sec.toFixed(2)} | ${cpu.toFixed(2)} | ${fit.logLik.toFixed(3)} | ${fit.optimizer.evals} | β = ${Array.from(fit.beta, (v) => v.toFixed(4)).join(', ')}, sd = ${sd.toFixed(4)} (true 0.5, 0.3, 0.5); target < 3 s, lme4 7.1 s |`);
  const stages = fit.optimizer.stageSeconds.map((v) => v.toFixed(2)).join(', ');
  for (const key of ['cbpp', 'seeds', 'beitler', 'rcbd_poisson', 'lots_visible', 'salamanders_nb']) {
    const c = caseDesign(key);
    for (const profile of [false, true]) {
      const t = performance.now();
      const cc = process.cpuUsage();
      const f = fitLaplace(c.design, { family: c.family, profile });
      const s = (performance.now() - t) / 1000;
      const cs = process.cpuUsage(cc).user / 1e6;
      rows.push(`| ${key}${profile ? ' + profile CIs' : ''} | ${c.design.nobs} | ${s.toFixed(3)} | ${cs.toFixed(3)} | ${f.logLik.toFixed(6)} | ${f.optimizer.evals} | |`);
    }
  }
  // a zero formula with random effects (the joint Laplace, src/laplace/joint*.ts) on glmmTMB's Salamanders
  // models of test/fixtures/families/zi-random.json; glmmTMB 1.1.5 CPU s measured on this machine kind
  const glmmTmbCpu: Record<string, number> = {
    salamanders_zipoisson_spp_zi_re: 0.29, salamanders_zinegbinomial_zi_re: 0.23, salamanders_zinegbinomial_spp_zi_re: 0.52,
    salamanders_hurdle_poisson_zi_re: 0.2, salamanders_zipoisson_zi_re_only: 0.19, salamanders_hurdle_negbinomial_zi_re: 0.26,
  };
  for (const [key, g] of Object.entries(ziRandomGoldens())) {
    const t = performance.now();
    const cc = process.cpuUsage();
    const f = fitLaplace(ziRandomDesign(g), { family: g.family, profile: false });
    const s = (performance.now() - t) / 1000;
    const cs = process.cpuUsage(cc).user / 1e6;
    rows.push(`| ${key} (zi ${g.zi}) | ${f.nobs} | ${s.toFixed(2)} | ${cs.toFixed(2)} | ${f.logLik.toFixed(6)} | ${f.optimizer.evals} | glmmTMB logLik ${g.laplace.logLik.toFixed(6)}, ${glmmTmbCpu[key] ?? NaN} CPU s |`);
  }
  const verb = readCsvFile('examples/data/lme4_VerbAgg.csv', { factors: ['id'] });
  const vd = buildDesign('r2 ~ Anger + Gender + btype + situ + (1|id) + (1|item)', verb, 'binomial');
  for (const profile of [false, true]) {
    const t = performance.now();
    const cc = process.cpuUsage();
    const f = fitLaplace(vd, { family: 'binomial', profile });
    const s = (performance.now() - t) / 1000;
    const cs = process.cpuUsage(cc).user / 1e6;
    rows.push(`| VerbAgg r2 ~ Anger + Gender + btype + situ + (1\\|id) + (1\\|item)${profile ? ' + profile CIs' : ''} | ${vd.nobs} | ${s.toFixed(2)} | ${cs.toFixed(2)} | ${f.logLik.toFixed(4)} | ${f.optimizer.evals} | ${profile ? 'profiles root-found on ζ, Wald first step, warm starts, H_oo⁻¹ start; lme4 confint 149 CPU s' : 'lme4 glmer 4.7 CPU s'} |`);
  }
  return `## laplace\n\nfitLaplace (PIRLS + projected quasi-Newton, Hessian SEs), single-threaded Node. Wall time depends on
the machine's load (other processes on a 2-core box); CPU s is the process's user time. Stage split
of the 100k fit (stage 1, stage 2, Hessian; wall s): STAGES.\n\n${rows.join('\n')}\n`.replace('STAGES', stages);
}
