/**
 * The library's public entry points end to end (src/index.ts): `fit` (short chains), `laplaceOnly`, the
 * lme4/brms-style functions of src/fit/api.ts and saveFit/loadDraws. Mostly identities that must hold
 * exactly (or to the delta method's finite-difference accuracy, ~1e-10 relative) between two routes to
 * the same number; the Laplace numbers themselves are proven against lme4 in test/laplace and
 * test/cli/laplace-json.test.ts.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  fit, laplaceOnly, laplacePredict, fittedValues, means, contrasts, derive, ranef, coef, VarCorr, saveFit, loadDraws,
  readCsv, type GlmmFit, type LaplaceOnlyFit,
} from '../../src/index.js';
import { repoPath } from '../cli/cli-helpers.js';

const Z = 1.959963984540054; // Φ⁻¹(0.975)

const data = readCsv(readFileSync(repoPath('examples/data/rcbd.csv'), 'utf8'), { factors: ['trt', 'block'] });
const factors = ['trt', 'block'];

function relClose(a: number, b: number, tol: number, what: string): void {
  assert.ok(Math.abs(a - b) <= tol * Math.max(Math.abs(b), 1e-300), `${what}: ${a} vs ${b}`);
}

describe('laplaceOnly and the Laplace answer of the api functions (rcbd Poisson, block and unit effects)', () => {
  let f: LaplaceOnlyFit;
  let est: Readonly<Record<string, number>>;
  before(() => {
    f = laplaceOnly({ formula: 'count ~ trt + (1|block) + (1|block:trt)', data, family: 'poisson', factors });
    est = f.laplace.estimates;
  });

  test('laplacePredict on the fitted data equals fittedValues(f, "laplace") and exp(η) by hand', () => {
    const p = laplacePredict(f);
    const fv = fittedValues(f, 'laplace');
    assert.deepEqual(Array.from(p), Array.from(fv));
    // row i: exp(b0 + b1·[trt = 1] + r_block[block] + r_block:trt[block:trt])
    const trt = data.columns.get('trt')!;
    const block = data.columns.get('block')!;
    assert.equal(trt.kind, 'factor');
    assert.equal(block.kind, 'factor');
    for (let i = 0; i < data.nrow; i++) {
      const t = trt.kind === 'factor' ? trt.levels[trt.codes[i]] : '';
      const b = block.kind === 'factor' ? block.levels[block.codes[i]] : '';
      const eta = est.b_Intercept + (t === '1' ? est.b_trt1 : 0) + est[`r_block[${b},Intercept]`] + est[`r_block:trt[${b}:${t},Intercept]`];
      relClose(p[i], Math.exp(eta), 1e-12, `row ${i + 1}`);
    }
    // random effects 0 (lme4 re.form = NA): the population rate
    const pop = laplacePredict(f, { reForm: 'none' });
    for (let i = 0; i < data.nrow; i++) {
      const t = trt.kind === 'factor' ? trt.levels[trt.codes[i]] : '';
      relClose(pop[i], Math.exp(est.b_Intercept + (t === '1' ? est.b_trt1 : 0)), 1e-12, `row ${i + 1} at r = 0`);
    }
  });

  test('means(f, "trt"): exp(b_Intercept) and exp(b_Intercept + b_trt1) with delta-method SEs from vcov', () => {
    const m = means(f, 'trt');
    assert.equal(m.posterior, null);
    const rows = m.laplace!;
    assert.deepEqual(rows.map((r) => r.level), ['0', '1']);
    const V = f.laplace.vcov!;
    relClose(rows[0].estimate, Math.exp(est.b_Intercept), 1e-12, 'trt 0');
    relClose(rows[1].estimate, Math.exp(est.b_Intercept + est.b_trt1), 1e-12, 'trt 1');
    relClose(rows[0].seEta, Math.sqrt(V[0]), 1e-12, 'SE of η, trt 0');
    relClose(rows[1].seEta, Math.sqrt(V[0] + 2 * V[1] + V[3]), 1e-12, 'SE of η, trt 1');
    for (const r of rows) {
      relClose(r.se, r.estimate * r.seEta, 1e-9, `SE ${r.level} (delta: d exp(η) = exp(η) dη)`);
      // back-transformed Wald limits, as emmeans(type = "response")
      relClose(r.lower, Math.exp(r.eta - Z * r.seEta), 1e-12, `lower ${r.level}`);
      relClose(r.upper, Math.exp(r.eta + Z * r.seEta), 1e-12, `upper ${r.level}`);
    }
    const c = contrasts(f, 'trt').laplace!;
    assert.equal(c.length, 1);
    assert.equal(c[0].name, '1 / 0');
    assert.equal(c[0].kind, 'rate ratio');
    relClose(c[0].link!.estimate, est.b_trt1, 1e-12, 'log rate ratio');
    relClose(c[0].estimate, Math.exp(est.b_trt1), 1e-12, 'rate ratio trt1 / trt0');
    const seB = Math.sqrt(V[3]);
    relClose(c[0].lower, Math.exp(est.b_trt1 - Z * seB), 1e-12, 'lower limit of the ratio');
    relClose(c[0].upper, Math.exp(est.b_trt1 + Z * seB), 1e-12, 'upper limit of the ratio');
    assert.equal(c[0].probPositive, null);
  });

  test('derive(f, "ratio", exp(b_trt1)): a positive quantity gets the log-scale interval exp(b ± z·se), SE exp(b)·se(b)', () => {
    const d = derive(f, 'ratio', (p) => Math.exp(p.b_trt1));
    assert.equal(d.name, 'ratio');
    assert.equal(d.posterior, null);
    const l = d.laplace!;
    const b = est.b_trt1;
    const seB = f.summary.parameters.find((p) => p.name === 'b_trt1')!.laplace!.se!;
    relClose(l.estimate, Math.exp(b), 1e-15, 'estimate');
    assert.equal(l.scale, 'log');
    assert.match(l.method, /log scale, back-transformed/);
    // central differences with h = ε^(1/3)·max(|b|, 1): ~1e-10 relative in the gradient
    relClose(l.se, Math.exp(b) * seB, 1e-9, 'SE');
    relClose(l.lower, Math.exp(b - Z * seB), 1e-9, 'lower = the contrast\'s ratio limit');
    relClose(l.upper, Math.exp(b + Z * seB), 1e-9, 'upper');
    assert.ok(l.lower > 0);
    // on request, the Wald interval on the ratio scale: centred at exp(b), width 2·z·SE
    const w = derive(f, 'ratio', (p) => Math.exp(p.b_trt1), { scale: 'identity' }).laplace!;
    assert.equal(w.scale, 'identity');
    relClose((w.lower + w.upper) / 2, Math.exp(b), 1e-12, 'centre of the interval');
    relClose(w.upper - w.lower, 2 * Z * Math.exp(b) * seB, 1e-9, 'width');
    // a quantity that changes sign keeps the identity scale
    assert.equal(derive(f, 'b', (p) => p.b_trt1 - 1).laplace!.scale, 'identity');
    // a function of an sd has no delta-method answer over the fixed effects' vcov
    assert.equal(derive(f, 'sd2', (p) => p.sd_block__Intercept ** 2).laplace, null);
  });

  test('ranef/coef/VarCorr (laplace) agree with the estimates in summary.json', () => {
    const byName = new Map(f.summary.parameters.map((p) => [p.name, p.laplace!.estimate]));
    const re = ranef(f, 'laplace');
    assert.deepEqual(re.map((g) => g.group), ['block', 'block:trt']);
    const blk = re[0];
    assert.equal(blk.levels.length, 8);
    blk.levels.forEach((lev, i) => assert.equal(blk.values[i][0].estimate, byName.get(`r_block[${lev},Intercept]`)));
    const co = coef(f, 'laplace')[0];
    co.levels.forEach((lev, i) => relClose(co.values[i][0].estimate, est.b_Intercept + est[`r_block[${lev},Intercept]`], 1e-14, `coef ${lev}`));
    const vc = VarCorr(f, 'laplace');
    assert.equal(vc.sigma, null);
    const sd = vc.blocks.find((b) => b.group === 'block')!;
    assert.equal(sd.sd[0].estimate, byName.get('sd_block__Intercept'));
    relClose(sd.variance[0].estimate, byName.get('sd_block__Intercept')! ** 2, 1e-14, 'variance');
  });
});

describe('fit() with short chains (rcbd Poisson, count ~ trt + (1|block))', () => {
  let a: GlmmFit;
  let b: GlmmFit;
  const opts = { formula: 'count ~ trt + (1|block)', data, family: 'poisson' as const, factors, chains: 2, sampler: 'nuts' as const, warmup: 60, draws: 40, seed: 11 };
  before(async () => {
    a = await fit(opts);
    b = await fit(opts);
  });

  test('the same seed on the same machine and backend gives identical draws', () => {
    assert.equal(a.summary.sampler!.engine, b.summary.sampler!.engine);
    assert.deepEqual(a.draws.names, b.draws.names);
    assert.ok(a.draws.data.every((v, i) => Object.is(v, b.draws.data[i])), 'draws differ');
    assert.ok(a.samplerDraws.data.every((v, i) => Object.is(v, b.samplerDraws.data[i])), 'sampler columns differ');
    assert.equal(a.draws.nChains, 2);
    assert.equal(a.draws.nDraws, 40);
    assert.equal(a.stopped, false);
  });

  test('derive and means carry a posterior summary that is the summary of the transformed draws', () => {
    const j = a.draws.names.indexOf('b_trt1');
    const j0 = a.draws.names.indexOf('b_Intercept');
    const P = a.draws.names.length;
    const S = a.draws.nChains * a.draws.nDraws;
    let sum = 0, sum0 = 0;
    for (let s = 0; s < S; s++) {
      sum += Math.exp(a.draws.data[s * P + j]);
      sum0 += Math.exp(a.draws.data[s * P + j0]);
    }
    const d = derive(a, 'ratio', (p) => Math.exp(p.b_trt1));
    relClose(d.posterior!.mean, sum / S, 1e-12, 'posterior mean of exp(b_trt1)');
    assert.deepEqual(d.posterior!.quantiles.map((q) => q.p), [0.025, 0.975]);
    assert.ok(d.posterior!.quantiles[0].value < d.posterior!.median && d.posterior!.median < d.posterior!.quantiles[1].value);
    assert.ok(Number.isFinite(d.posterior!.rhat) && Number.isFinite(d.posterior!.ess_bulk));
    assert.ok(d.laplace && Math.abs(d.laplace.estimate - Math.exp(a.laplace!.estimates.b_trt1)) < 1e-15 * d.laplace.estimate + 1e-300);
    const m = means(a, 'trt');
    assert.deepEqual(m.posterior!.map((r) => r.level), ['0', '1']);
    relClose(m.posterior![0].summary.mean, sum0 / S, 1e-12, 'posterior mean rate, trt 0');
  });

  test('saveFit / loadDraws round trip the draws, sampler columns and summary exactly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'glmm-e2e-io-'));
    saveFit(dir, a);
    const back = loadDraws(dir);
    assert.deepEqual(back.summary, JSON.parse(JSON.stringify(a.summary)));
    assert.deepEqual(back.draws.names, a.draws.names);
    assert.equal(back.draws.nChains, a.draws.nChains);
    assert.equal(back.draws.nDraws, a.draws.nDraws);
    assert.ok(back.draws.data.every((v, i) => Object.is(v, a.draws.data[i])), 'draws are written as shortest round-trip doubles');
    assert.deepEqual(back.sampler.names, a.samplerDraws.names);
    assert.ok(back.sampler.data.every((v, i) => Object.is(v, a.samplerDraws.data[i])), 'sampler columns round trip');
  });
});
