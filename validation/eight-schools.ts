/**
 * Validation of NUTS (src/sampler/nuts.ts) on eight schools, non-centred, against posteriordb.
 *
 * Model and data: posteriordb `eight_schools-eight_schools_noncentered` (stan-dev/posteriordb@28f8d3d,
 * models/stan/eight_schools_noncentered.stan, data/data/eight_schools.json), copied from
 * shared/reference/glmm-references.json `cases.eight_schools_noncentered`:
 *   theta_tilde_j ~ N(0, 1), mu ~ N(0, 5), tau ~ Cauchy⁺(0, 5), y_j ~ N(mu + tau·theta_tilde_j, sigma_j).
 * Unconstrained coordinates (mu, log tau, theta_tilde[1..8]); tau = exp(log tau) with log-Jacobian log tau.
 * Reference: posteriordb reference draws (rstan 2.21, 10 chains × 10,000 post-warmup thinned to 1,000),
 * summarised by R posterior (reference/algorithms.md §5.3): mu mean 4.41051833695493 (mcse 0.0330374705950917),
 * tau mean 3.60205952364059 (mcse 0.0318615135640706).
 * Rule: |ours − ref| < 4·√(mcse_ours² + mcse_ref²); rank-normalised R-hat ≤ 1.01 for every coordinate.
 */
import { parameterMatrix } from '../diagnostics/draws.js';
import { summarizeVariable } from '../diagnostics/summary.js';
import type { Target } from '../src/sampler/target.js';
import { sampleNuts } from '../src/sampler/nuts.js';

/** posteriordb eight_schools data (y, sigma). */
export const EIGHT_SCHOOLS = { y: [28, 8, -3, 7, -1, 1, 18, 12], sigma: [15, 10, 16, 11, 9, 11, 10, 18] } as const;

/** posteriordb reference posterior means and their MCSE (R posterior on the reference draws). */
export const EIGHT_SCHOOLS_REFERENCE = {
  mu: { mean: 4.41051833695493, mcse_mean: 0.0330374705950917 },
  tau: { mean: 3.60205952364059, mcse_mean: 0.0318615135640706 },
} as const;

/** The non-centred eight-schools log density (float64, hand-written gradient) on (mu, log_tau, theta_tilde[1..8]). */
export function eightSchoolsNoncentered(): Target {
  const { y, sigma } = EIGHT_SCHOOLS;
  const D = 10;
  return {
    dim: D,
    names: ['mu', 'log_tau', ...y.map((_, j) => `theta_tilde[${j + 1}]`)],
    logDensity(q, n) {
      const logp = new Float64Array(n);
      const grad = new Float64Array(n * D);
      for (let c = 0; c < n; c++) {
        const o = c * D;
        const mu = q[o];
        const logTau = q[o + 1];
        const tau = Math.exp(logTau);
        const u = (tau / 5) ** 2;
        // normal(mu | 0, 5) + half-Cauchy(tau | 0, 5) + log-Jacobian of tau = exp(log_tau)
        let lp = -0.5 * (mu / 5) ** 2 - Math.log1p(u) + logTau;
        let gMu = -mu / 25;
        let gLogTau = (-2 * u) / (1 + u) + 1;
        for (let j = 0; j < 8; j++) {
          const th = q[o + 2 + j];
          const r = (y[j] - mu - tau * th) / sigma[j];
          lp += -0.5 * th * th - 0.5 * r * r;
          const dr = r / sigma[j];
          gMu += dr;
          gLogTau += dr * tau * th;
          grad[o + 2 + j] = -th + dr * tau;
        }
        logp[c] = lp;
        grad[o] = gMu;
        grad[o + 1] = gLogTau;
      }
      return { logp, grad };
    },
  };
}

const fmt = (x: number, d = 4) => (Number.isFinite(x) ? x.toFixed(d) : String(x));

/** 4 chains × (1,000 warmup + 25,000 draws), seed 20241124; markdown section with pass/fail per check. */
export async function validate(): Promise<string> {
  const chains = 4;
  const draws = 25000;
  const target = eightSchoolsNoncentered();
  const r = await sampleNuts(target, { seed: 20241124, chains, warmup: 1000, draws });
  const N = r.draws.nDraws;
  const mu = parameterMatrix(r.draws, 0);
  const tau = parameterMatrix(r.draws, 1).map(Math.exp);
  const rows: string[] = [];
  let allPass = true;
  for (const [name, x] of [['mu', mu], ['tau', tau]] as const) {
    const s = summarizeVariable(name, x, N);
    const ref = EIGHT_SCHOOLS_REFERENCE[name];
    const combined = Math.hypot(s.mcse_mean, ref.mcse_mean);
    const z = (s.mean - ref.mean) / combined;
    const pass = Math.abs(z) < 4 && s.rhat <= 1.01;
    allPass &&= pass;
    rows.push(`| ${name} | ${fmt(s.mean)} | ${fmt(s.mcse_mean)} | ${fmt(ref.mean)} | ${fmt(ref.mcse_mean)} | ${fmt(z, 2)} | ${fmt(s.rhat)} | ${fmt(s.ess_bulk, 0)} | ${fmt(s.ess_tail, 0)} | ${pass ? 'pass' : 'FAIL'} |`);
  }
  let maxRhat = 0;
  for (let p = 0; p < target.dim; p++) maxRhat = Math.max(maxRhat, summarizeVariable(r.draws.names[p], parameterMatrix(r.draws, p), N).rhat);
  const rhatPass = maxRhat <= 1.01;
  allPass &&= rhatPass;
  const evals = r.gradientEvaluations.reduce((a, b) => a + b, 0);
  return [
    '## eight-schools (NUTS)',
    '',
    `posteriordb eight_schools_noncentered; ${chains} chains × (1000 warmup + ${draws} draws), seed 20241124, adapt_delta 0.8, diag metric.`,
    'Rule: |ours − ref| < 4·√(mcse_ours² + mcse_ref²) and R-hat ≤ 1.01.',
    '',
    '| parameter | mean | mcse | posteriordb mean | posteriordb mcse | z | R-hat | ESS bulk | ESS tail | result |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `Max R-hat over the 10 unconstrained coordinates: ${fmt(maxRhat)} (${rhatPass ? 'pass' : 'FAIL'}). ` +
      `Divergences: ${r.divergences} of ${chains * N}; treedepth hits: ${r.treedepthHits}; ` +
      `step sizes: ${Array.from(r.stepSize).map((e) => fmt(e, 3)).join(', ')}; gradient evaluations: ${evals}.`,
    '',
    `Overall: ${allPass ? 'PASS' : 'FAIL'}`,
    '',
  ].join('\n');
}
