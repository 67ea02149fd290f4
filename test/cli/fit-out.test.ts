/**
 * `glmm fit` end to end (child process, short chains): `--json` prints summary.json, `--out DIR` writes
 * summary.json, one CmdStan-layout CSV per chain, trace.svg and report.html (DESIGN.md §CLI), and
 * `glmm diagnose` on those CSVs reproduces the summary's diagnostics. stderr is a pipe here, so the
 * progress bar must stay silent: nothing on stderr on success.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import type { SummaryJson } from '../../src/report/schema.js';
import { assertNoStack, dataFile, runCli, tempDir, type CliResult } from './cli-helpers.js';

const MODEL = ['--data', dataFile('rcbd.csv'), '--formula', 'count ~ trt + (1|block)', '--family', 'poisson', '--factor', 'trt,block'];
const SAMPLER_COLUMNS = ['lp__', 'accept_stat__', 'stepsize__', 'treedepth__', 'n_leapfrog__', 'divergent__', 'energy__'];
const POSTERIOR_FIELDS = ['mean', 'sd', 'median', 'mad', 'q5', 'q95', 'rhat', 'ess_bulk', 'ess_tail', 'mcse_mean', 'mcse_sd', 'mcse_q5', 'mcse_median', 'mcse_q95'] as const;

describe('glmm fit --json --out', () => {
  const dir = tempDir();
  let run: CliResult;
  let human: CliResult;
  let summary: SummaryJson;
  before(async () => {
    // the JSON run with --out, and a human-table run (tiny) for the progress bar, side by side; the
    // tiny run uses the cpu backend, whose tfjs banner ("install tfjs-node") must not reach stderr
    [run, human] = await Promise.all([
      runCli(['fit', ...MODEL, '--warmup', '100', '--draws', '100', '--chains', '2', '--sampler', 'nuts', '--seed', '3', '--json', '--out', dir]),
      // a GLM (no random-effect term): sampled, with a warning that there is no glmer answer
      runCli(['fit', '--data', dataFile('rcbd.csv'), '--formula', 'count ~ trt', '--family', 'poisson', '--factor', 'trt',
        '--warmup', '20', '--draws', '20', '--chains', '1', '--sampler', 'nuts', '--seed', '1', '--backend', 'cpu']),
    ]);
    assertNoStack(run);
    assert.equal(run.code, 0, run.stderr);
    summary = JSON.parse(run.stdout) as SummaryJson;
  });

  test('success is exit 0 with nothing on stderr (no progress bar when stderr is not a TTY), warnings included', () => {
    assert.equal(run.stderr, '');
    assertNoStack(human);
    assert.equal(human.code, 0, human.stderr);
    assert.equal(human.stderr, '', 'the progress bar draws only on a TTY');
    assert.match(human.stdout, /b_trt1/);
    assert.match(human.stdout, /no random-effect term, so there is no Laplace/);
    assert.match(human.stdout, /Warnings:/); // 20 draws: low-ESS warnings, still exit 0
    assert.match(human.stdout, /tfjs-cpu/);
  });

  test('summary.json: sampler block, priors, and finite posterior and Laplace fields for every non-r_ parameter', () => {
    assert.equal(summary.schema_version, 1);
    const sm = summary.sampler!;
    assert.equal(sm.sampler, 'nuts');
    assert.deepEqual([sm.chains, sm.warmup, sm.draws, sm.seed], [2, 100, 100, 3]);
    assert.equal(typeof sm.engine, 'string');
    assert.equal(sm.step_size.length, 2);
    assert.equal(sm.ebfmi.length, 2);
    assert.ok(Number.isInteger(sm.divergences) && Number.isInteger(sm.treedepth_hits));
    assert.ok(sm.seconds.warmup >= 0 && sm.seconds.sampling >= 0);
    // the defaults are printed with every fit (DESIGN §Priors)
    assert.ok(summary.model.priors.length >= 3 && summary.model.priors.every((p) => p.includes('~')), summary.model.priors.join('; '));
    assert.ok(summary.laplace && Number.isFinite(summary.laplace.logLik));
    assert.equal(summary.laplace.deviance, -2 * summary.laplace.logLik);
    const main = summary.parameters.filter((p) => p.class !== 'r');
    assert.deepEqual(main.map((p) => p.name), ['b_Intercept', 'b_trt1', 'sd_block__Intercept']);
    for (const p of main) {
      for (const k of POSTERIOR_FIELDS) assert.ok(typeof p[k] === 'number' && Number.isFinite(p[k]), `${p.name}.${k} = ${p[k]}`);
      assert.ok(p.laplace && Number.isFinite(p.laplace.estimate) && Number.isFinite(p.laplace.se!), `${p.name}.laplace`);
      assert.ok(p.q5! <= p.median! && p.median! <= p.q95!);
      // the 95% interval (summary.prob) beside the q5/q95 of summarise_draws
      assert.equal(summary.prob, 0.95);
      assert.ok(p.lower! <= p.q5! && p.q95! <= p.upper!, `${p.name}: [${p.lower}, ${p.upper}] holds [${p.q5}, ${p.q95}]`);
    }
    assert.equal(summary.parameters.filter((p) => p.class === 'r').length, 8);
    assert.ok(Array.isArray(summary.warnings));
  });

  test('--out DIR/summary.json is what --json printed', () => {
    const onDisk = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as SummaryJson;
    const strip = (s: SummaryJson) => ({ ...s, sampler: s.sampler && { ...s.sampler, seconds: null } });
    assert.deepEqual(strip(onDisk), strip(summary));
  });

  test('draws_chainK.csv: one per chain in CmdStan layout (sampler columns ending in __, then parameters)', () => {
    assert.ok(existsSync(join(dir, 'draws_chain1.csv')) && existsSync(join(dir, 'draws_chain2.csv')));
    assert.ok(!existsSync(join(dir, 'draws_chain3.csv')));
    for (const k of [1, 2]) {
      const lines = readFileSync(join(dir, `draws_chain${k}.csv`), 'utf8').split('\n').filter((l) => l !== '');
      const body = lines.filter((l) => !l.startsWith('#'));
      const header = body[0].split(',');
      assert.deepEqual(header.slice(0, 7), SAMPLER_COLUMNS);
      assert.deepEqual(header.slice(7, 11), ['b_Intercept', 'b_trt1', 'sd_block__Intercept', 'r_block.1.1']);
      assert.equal(header.length, 7 + 3 + 8);
      assert.equal(body.length, 1 + 100, 'header + 100 draws');
      for (const row of body.slice(1)) {
        const cells = row.split(',');
        assert.equal(cells.length, header.length);
        assert.ok(cells.every((c) => Number.isFinite(Number(c))), row);
      }
      // the # block maps CSV-safe names back to DESIGN's
      assert.ok(lines.some((l) => l.startsWith('#') && l.includes('r_block') && l.includes('"8"')), 'level map in comments');
    }
  });

  test('trace.svg parses as SVG; report.html is a self-contained page with the parameters', () => {
    const svg = readFileSync(join(dir, 'trace.svg'), 'utf8');
    const doc = new JSDOM(svg, { contentType: 'image/svg+xml' }).window.document; // the XML parser throws on malformed markup
    const root = doc.documentElement;
    assert.equal(root.localName, 'svg');
    assert.equal(root.namespaceURI, 'http://www.w3.org/2000/svg');
    assert.ok(Number(root.getAttribute('width')) > 0 && Number(root.getAttribute('height')) > 0);
    assert.ok(doc.querySelectorAll('path, polyline').length >= 3, 'a line per parameter at least');
    assert.ok(svg.includes('b_Intercept'));
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    assert.match(html, /^<!DOCTYPE html>/i);
    assert.ok(html.includes('b_Intercept') && html.includes('sd_block__Intercept'));
    assert.ok(html.includes('<svg'));
    assert.ok(!/<(script|link|img)[^>]+(src|href)="https?:/i.test(html), 'no external resources');
  });

  test('glmm diagnose on the CSVs reproduces summary.json (mean, rhat, ess_bulk, …) to 1e-10', async () => {
    const files = [1, 2].map((k) => join(dir, `draws_chain${k}.csv`));
    const [j, t] = await Promise.all([runCli(['diagnose', ...files, '--json']), runCli(['diagnose', ...files])]);
    assertNoStack(j);
    assert.equal(j.code, 0, j.stderr);
    assert.equal(j.stderr, '');
    const d = JSON.parse(j.stdout) as { schema_version: number; variables: Record<string, number | string | null>[]; warnings: string[] };
    assert.equal(d.schema_version, 1);
    assert.deepEqual(Object.keys(d.variables[0]), ['variable', 'rhat', 'rhat_nested', 'ess_bulk', 'ess_tail', 'mcse_mean', 'mcse_sd', 'mcse_q5', 'mcse_median', 'mcse_q95', 'mean', 'sd', 'median', 'mad', 'q5', 'q95']);
    // sampler columns are not variables; r_block.1.1 is reported under its DESIGN name
    assert.deepEqual(d.variables.map((v) => v.variable), summary.parameters.map((p) => p.name));
    for (const p of summary.parameters) {
      const v = d.variables.find((x) => x.variable === p.name)!;
      for (const k of POSTERIOR_FIELDS) {
        const a = v[k] as number, b = p[k] as number;
        assert.ok(Math.abs(a - b) <= 1e-10 * Math.max(1, Math.abs(b)), `${p.name}.${k}: diagnose ${a} vs summary ${b}`);
      }
    }
    assert.equal(t.code, 0, t.stderr);
    assert.match(t.stdout, /^2 chains × 100 draws, 11 variables/);
    assert.match(t.stdout, /\nb_Intercept\s/);
  });

  test('diagnose --json writes NaN as null (a constant column has no R-hat or ESS), the text table NA', async () => {
    const chain = (k: number) => ['# hand-made chain', 'lp__,c,x', ...Array.from({ length: 8 }, (_, i) => `-1,3,${(i * 7 + k * 3) % 8}`)].join('\n') + '\n';
    const d = tempDir();
    const files = [1, 2].map((k) => join(d, `c${k}.csv`));
    files.forEach((f, k) => writeFileSync(f, chain(k)));
    const [j, t] = await Promise.all([runCli(['diagnose', ...files, '--json']), runCli(['diagnose', ...files])]);
    assert.equal(j.code, 0, j.stderr);
    assert.ok(!/NaN|Infinity/.test(j.stdout));
    const v = (JSON.parse(j.stdout) as { variables: Record<string, unknown>[] }).variables;
    const c = v.find((r) => r.variable === 'c')!;
    assert.equal(c.mean, 3);
    assert.equal(c.sd, 0);
    assert.equal(c.rhat, null);
    assert.equal(c.ess_bulk, null);
    assert.ok(typeof v.find((r) => r.variable === 'x')!.rhat === 'number');
    assert.match(t.stdout, /\nc\s.*\bNA\b/);
  });
});
