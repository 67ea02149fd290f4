/**
 * The float64 reference density with random effects in the zero part, computed by hand: the zero
 * coordinate of row i is u_i = X_zi[i,·] β_zi + Σ_t Z_t[i,·] r_t[level(i)], from the constrained
 * draws' names (b_zi_*, r_h__zi[level,Intercept], r_h__zi[level,z]), and the likelihood is
 * Σ_i family.logLik(y_i, μ_i, (…, logit⁻¹ u_i)). The engines are tested equal to this reference
 * (density-js.test.ts, density-js-autograd.test.ts, test/logdensity/compile.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel } from '../../src/target/parameters.js';
import { logDensity64, logPriorJacobian64 } from '../../src/target/logDensity64.js';
import { constrain } from '../../src/target/constrain.js';
import { familyFor } from '../../models/families/getFamily.js';
import { ZERO_RANDOM, simulatedDesign, randomPoint, withZeroRandom } from './designs.js';

test('zipoisson and hurdle_negbinomial: the reference likelihood is Σ_i logLik(y_i, μ_i, logit⁻¹(X_zi β_zi + Z r_zi)) by hand', () => {
  for (const family of ['zipoisson', 'hurdle_negbinomial'] as const) {
    const d = withZeroRandom(simulatedDesign({ n: 60, p: 2, terms: [{ group: 'g', k: 1, nLevels: 6 }], family, link: 'log', seed: `zrd-${family}` }), `zrd-${family}-X`, ZERO_RANDOM.correlated);
    const spec = buildModel(d, { family, link: 'log' });
    const q = randomPoint(spec.dim, `zrd-${family}-q`, 0.6);
    const v = new Map(spec.params.map((p, i) => [p.name, constrain(spec, q)[i]]));
    const get = (name: string) => {
      const x = v.get(name);
      assert.ok(x !== undefined, `no parameter ${name}`);
      return x;
    };
    const pf = d.paramFormulas![0];
    const zp = pf.param;
    const { family: fam, link } = familyFor(family, 'log');
    let ll = 0;
    for (let i = 0; i < d.nobs; i++) {
      const eta = get('b_Intercept') + get('b_x1') * d.fixed.X[i * 2 + 1] + get(`r_g[${d.random[0].levels[d.random[0].index[i]]},Intercept]`);
      let u = 0;
      for (let j = 0; j < pf.p; j++) u += pf.X[i * pf.p + j] * get(pf.names[j]);
      for (const t of pf.random!) {
        const lv = t.levels[t.index[i]];
        t.terms.forEach((term, a) => (u += t.Z[i * t.k + a] * get(`r_${t.group}__${zp}[${lv},${term.slice(zp.length + 1)}]`)));
      }
      const zi = 1 / (1 + Math.exp(-u));
      const aux = family === 'zipoisson' ? [zi] : [get('shape'), zi];
      ll += fam.logLik(d.response.y[i], link.linkinv(eta), aux, 1);
    }
    const ref = logDensity64(spec, q) - logPriorJacobian64(spec, q);
    assert.ok(Math.abs(ref - ll) <= 1e-9 * (1 + Math.abs(ll)), `${family}: reference likelihood ${ref} vs by hand ${ll}`);
    // the zero part's effects matter: the likelihood moves with them
    const z = spec.names.findIndex((n) => n.startsWith(`z_h__${zp}[`));
    const q2 = Float64Array.from(q);
    q2[z] += 1;
    assert.ok(Math.abs(logDensity64(spec, q2) - logPriorJacobian64(spec, q2) - ref) > 1e-3, `${family}: the likelihood does not depend on ${spec.names[z]}`);
  }
});
