/**
 * The profile's work budget: a limit whose search does not end (a flat profile, each refit crawling)
 * is given up as NaN with a warning naming the parameter, instead of running for minutes (a 16-row
 * negative binomial with a cs term over block:trt took > 400 s before the budget); a limit of a
 * well-identified profile is unchanged by it; a fit whose deviance has no proper minimum skips the
 * profile and says why.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pathSetup } from '../../src/laplace/profile-path.js';
import { PROFILE_LIMIT_WORK, profileLimits, profileWarning, CHISQ1_95 } from '../../src/laplace/profile.js';
import { laplaceOnly } from '../../src/fit.js';

describe('profile budget', () => {
  test('a quadratic deviance: the exact limits, well inside the budget', () => {
    // d(y) = ((log sd − log 2)/0.1)² + (b − 1)²: ζ is linear in log sd, limits 2·exp(±1.96·0.1)
    let evals = 0;
    const dev = (y: Float64Array) => { evals++; return ((Math.log(y[0]) - Math.log(2)) / 0.1) ** 2 + (y[1] - 1) ** 2; };
    const ps = pathSetup({ y0: Float64Array.from([2, 1]), kind: ['sd'], dev, hessian: Float64Array.from([2 / (0.1 * 2) ** 2, 0, 0, 2]) });
    const ci = profileLimits(ps, ['sd_g']);
    const z = Math.sqrt(CHISQ1_95);
    assert.ok(Math.abs(ci.sd_g[0] - 2 * Math.exp(-z * 0.1)) < 1e-5, `lower ${ci.sd_g[0]}`);
    assert.ok(Math.abs(ci.sd_g[1] - 2 * Math.exp(z * 0.1)) < 1e-5, `upper ${ci.sd_g[1]}`);
    assert.ok(evals < PROFILE_LIMIT_WORK / 10, `${evals} evaluations`);
    assert.equal(profileWarning(ci), null);
  });

  test('a deviance that rises too slowly to reach the cut-off within the budget: NaN and a warning naming it', () => {
    // ζ² = 1e-9·(log sd)² never reaches 3.84 within the bracket's 30 steps; each refit is charged 500
    let work = 0;
    const dev = (y: Float64Array) => { work += 500; return 1e-9 * Math.log(y[0]) ** 2 + (y[1] - 1) ** 2; };
    const ps = pathSetup({ y0: Float64Array.from([1, 1]), kind: ['sd'], dev, hessian: null, work: () => work });
    const ci = profileLimits(ps, ['sd_g']);
    assert.ok(ci.sd_g.some(Number.isNaN), `limits ${ci.sd_g}`);
    assert.ok(work <= 2 * (PROFILE_LIMIT_WORK + 500 * 1000), `work ${work}`);
    assert.match(profileWarning(ci)!, /^the profile of sd_g is too flat to find its interval .*those limits are NA$/);
  });

  test('a fit whose deviance has no proper minimum: the profile is skipped with a warning', async () => {
    // each block:trt level sees one column of the cs term: its second variance and the correlation are not identified
    const counts = [1, 5, 21, 7, 15, 2, 9, 4, 36, 109, 30, 48, 44, 33, 48, 54];
    const data = counts.map((count, i) => ({ block: String((i % 8) + 1), trt: i < 8 ? '0' : '1', count }));
    const fit = laplaceOnly({ formula: 'count ~ trt + cs(trt + 0 | block:trt)', data, family: 'negbinomial', factors: ['trt', 'block'] });
    const warnings = fit.summary.warnings;
    assert.ok(warnings.some((w) => /profile-likelihood intervals skipped: the deviance has no proper minimum/.test(w)), warnings.join('\n'));
  });
});
