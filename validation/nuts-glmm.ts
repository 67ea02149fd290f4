/**
 * Validation of NUTS (src/sampler/nuts.ts) with the tfjs GLMM log density (src/target/compile.ts) on the
 * six reference GLMMs against rstan (test/fixtures/chees-references.json, a copy of
 * shared/reference/glmm-references.json: rstan 4 × (1000 + 4000) draws summarised by R posterior).
 * Cases, data loading and the comparison rule are shared with validation/chees.ts:
 * |ours − ref| < 4·√(mcse_ours² + mcse_ref²) for every reference mean and sd (constrained scale);
 * plus rank-normalised R-hat ≤ 1.01 for every reference parameter.
 */
import { parameterMatrix } from '../diagnostics/draws.js';
import { rhat } from '../diagnostics/rhat.js';
import { constrainDraws } from '../src/target/constrain.js';
import { sampleNuts } from '../src/sampler/nuts.js';
import { compare, loadCase, REFERENCE_CASES, referenceOf, type CheckRow } from './chees.js';

const CHAINS = 4;
const WARMUP = 1000;
const DRAWS = 1000;
const SEED = 20241124;

/** Runs NUTS on one reference case and compares it with rstan; markdown section and verdict. */
export async function glmmSection(name: string): Promise<{ md: string; pass: boolean }> {
  const { spec, target, backend } = await loadCase(name);
  const ref = referenceOf(name) as ReturnType<typeof referenceOf> & { stan: { adapt_delta: number } };
  const adaptDelta = ref.stan.adapt_delta;
  const r = await sampleNuts(target, { seed: SEED, chains: CHAINS, warmup: WARMUP, draws: DRAWS, adaptDelta });
  target.dispose?.();
  const cd = constrainDraws(spec, r.draws);
  const rows: (CheckRow & { rhat: number })[] = [];
  for (const [pname, pref] of Object.entries(ref.posterior)) {
    const j = cd.names.indexOf(pname);
    if (j < 0) throw new Error(`${name}: the model has no parameter ${pname}`);
    const x = parameterMatrix(cd, j);
    const rh = rhat(x, cd.nDraws);
    for (const row of compare(pname, x, cd.nDraws, pref)) rows.push({ ...row, rhat: rh, pass: row.pass && rh <= 1.01 });
  }
  const pass = rows.every((x) => x.pass);
  const md = [
    `### ${name}: \`${REFERENCE_CASES[name].formula}\` (${REFERENCE_CASES[name].family})`,
    '',
    `${CHAINS} chains × (${WARMUP} + ${DRAWS}) on ${backend}, seed ${SEED}, adapt_delta ${adaptDelta}; step sizes ${Array.from(r.stepSize).map((e) => e.toPrecision(3)).join(', ')}; ` +
      `${r.divergences} divergences, ${r.treedepthHits} treedepth hits of ${CHAINS * DRAWS}; ${(r.seconds.warmup + r.seconds.sampling).toFixed(0)} s. ${pass ? 'PASS' : 'FAIL'}`,
    '',
    '| parameter | stat | NUTS | rstan | z (combined MCSE) | R-hat | pass |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((x) => `| ${x.name} | ${x.what} | ${x.ours.toFixed(4)} | ${x.ref.toFixed(4)} | ${x.z.toFixed(2)} | ${x.rhat.toFixed(4)} | ${x.pass ? 'yes' : '**NO**'} |`),
  ].join('\n');
  return { md, pass };
}

/** The validation section (markdown). */
export async function validate(): Promise<string> {
  const parts = [
    '## nuts-glmm (NUTS on the reference GLMMs)',
    '',
    'Rule: |ours − rstan| < 4·√(mcse_ours² + mcse_ref²) for every reference mean and sd (posterior mcse_mean / mcse_sd), and R-hat ≤ 1.01.',
    '',
  ];
  const verdicts: string[] = [];
  for (const name of Object.keys(REFERENCE_CASES)) {
    process.stderr.write(`nuts validation: ${name}...\n`);
    const g = await glmmSection(name);
    parts.push(g.md, '');
    verdicts.push(`${name} ${g.pass ? 'PASS' : 'FAIL'}`);
  }
  parts.push(`Summary: ${verdicts.join(', ')}.`, '');
  return parts.join('\n');
}
