/**
 * Special functions against R 4.2.2 Patched (2022-11-10 r83330): values printed by
 * `sprintf("%.17g", lgamma(x))` etc. (script in the comment of each table; full script:
 * f <- function(x) paste(sprintf("%.17g", x), collapse=", "); cat(f(lgamma(xs)))).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { digamma, lgamma, trigamma, log1pExp, log1mExp } from '../../base/gamma.js';
import { logPnorm, pnorm, qnorm } from '../../base/normal.js';

function close(actual: number, expected: number, rel: number, abs: number, what: string): void {
  const err = Math.abs(actual - expected);
  assert.ok(err <= abs + rel * Math.abs(expected), `${what}: got ${actual}, R gives ${expected} (err ${err})`);
}

const xs = [1e-8, 0.1, 0.5, 1, 1.5, 2, 2.5, 3.7, 9.99, 10, 12.3, 50, 1e3, 1e6, -0.5, -1.5, -2.3];
// R: lgamma(xs)
const lg = [18.420680738180209, 2.252712651734206, 0.57236494292470008, 0, -0.12078223763524518, 0, 0.28468287047291918,
  1.4280723266653881, 12.779315214350193, 12.801827480081469, 18.238983407092245, 144.56574394634487, 5905.2204232091808,
  12815504.569147611, 1.2655121234846454, 0.86004701537648109, 0.36956666345500783];
// R: digamma(xs)
const dg = [-100000000.57721566, -10.423754940411076, -1.9635100260214231, -0.57721566490153231, 0.036489973978576895,
  0.42278433509846747, 0.70315664064524341, 1.1671535393615113, 2.2507003728312012, 2.2517525890667214, 2.4683984003011386,
  3.901989673427892, 6.907255195648812, 13.81551005796419, 0.036489973978577089, 0.70315664064524397, 3.3173231575618258];

test('lgamma matches R to 1e-14 (relative, absolute floor 1e-14 near its zeros)', () => {
  xs.forEach((x, i) => close(lgamma(x), lg[i], 1e-14, 1e-14, `lgamma(${x})`));
  assert.equal(lgamma(0), Infinity);
  assert.equal(lgamma(-3), Infinity);
});

test('digamma matches R to 1e-13 relative', () => {
  xs.forEach((x, i) => close(digamma(x), dg[i], 1e-13, 1e-14, `digamma(${x})`));
  assert.ok(Number.isNaN(digamma(0)));
});

test('trigamma matches R to 1e-13 relative', () => {
  const xt = [1e-3, 0.3, 1, 2.5, 9.5, 10, 40, 1e4];
  // R: trigamma(xt)
  const tg = [1000001.6425331959, 12.245364546107732, 1.6449340668482264, 0.49035775610023491, 0.11099728846909906,
    0.10516633568168572, 0.025315103841291028, 0.00010000500016666658];
  xt.forEach((x, i) => close(trigamma(x), tg[i], 1e-13, 0, `trigamma(${x})`));
});

test('pnorm and log pnorm match R (relative 1e-13), far tails included', () => {
  const xp = [-40, -20, -8.5, -5, -3, -1.2, 0, 0.7, 1.96, 4, 9];
  // R: pnorm(xp); pnorm(xp, log.p = TRUE)
  const p = [0, 2.7536241186062337e-89, 9.4795348222033192e-18, 2.8665157187919391e-07, 0.0013498980316300946,
    0.11506967022170828, 0.5, 0.75803634777692697, 0.97500210485177963, 0.99996832875816688, 1];
  const lp = [-804.6084420137538, -203.91715537109727, -39.197396428217672, -15.064998393988725, -6.6077262215103492,
    -2.1622175060437394, -0.69314718055994529, -0.27702394227713117, -0.025315649164282108, -3.1671743377489267e-05,
    -1.1285884059538408e-19];
  xp.forEach((x, i) => {
    if (x > -40) close(pnorm(x), p[i], 1e-13, 0, `pnorm(${x})`);
    close(logPnorm(x), lp[i], 1e-13, 0, `logPnorm(${x})`);
  });
});

test('qnorm matches R (relative 1e-14)', () => {
  const pq = [1e-300, 1e-20, 1e-5, 0.025, 0.3, 0.5, 0.8, 0.999, 1 - 1e-12];
  // R: qnorm(pq)
  const q = [-37.047096299361201, -9.2623400897984052, -4.2648907939228256, -1.9599639845400538, -0.52440051270804067, 0,
    0.84162123357291441, 3.0902323061678132, 7.0344869100478356];
  // the last p is 1 − 1e-12 rounded; qnorm's condition number there is ~1e-12/(p φ(q)) ≈ 1e-4·… so allow 1e-9
  pq.forEach((pp, i) => close(qnorm(pp), q[i], i === pq.length - 1 ? 1e-9 : 1e-14, 1e-15, `qnorm(${pp})`));
});

test('log1pExp and log1mExp are stable at both ends (closed forms)', () => {
  close(log1pExp(800), 800, 1e-16, 0, 'log1pExp(800)');
  close(log1pExp(-800), 0, 0, 1e-300, 'log1pExp(-800)');
  close(log1pExp(0), Math.LN2, 1e-16, 0, 'log1pExp(0)');
  close(log1mExp(1e-20), Math.log(1e-20), 1e-15, 0, 'log1mExp(1e-20)');
  close(log1mExp(50), -Math.exp(-50), 1e-15, 0, 'log1mExp(50)');
});
