/**
 * Extra parameters the user declares (src/logdensity/user.ts ExtraParameter): their place in q, their
 * prior, and the float64 transforms (constrain, unconstrain, log prior + log-Jacobian) that mirror the
 * tfjs ones. Real: x = u; positive: x = e^u (Jacobian u, priors truncated at 0 as for sds); interval
 * (l, h): x = l + (h − l)·σ(u), a uniform or beta(a, b) prior on (x − l)/(h − l).
 */
import { logPrior, logPriorForm, parsePrior, type PriorDist } from '../../models/priors.js';
import { lbeta, log1pExp } from '../../base/gamma.js';
import { GlmmInputError } from '../../base/errors.js';
import type { Constraint, ExtraParameter, ExtraPriorForm } from '../logdensity/user.js';

/** An extra parameter's prior: a built-in distribution, or beta(a, b)/uniform on an interval. */
export type ExtraPrior = { readonly kind: 'dist'; readonly dist: PriorDist } | { readonly kind: 'beta'; readonly a: number; readonly b: number };

/** Where an extra parameter lives in q. */
export interface ExtraLayout {
  readonly name: string;
  readonly offset: number;
  readonly constraint: Constraint;
  readonly prior: ExtraPrior;
  /** The prior as written (for printing). */
  readonly priorText: string;
}

const NAME = /^[A-Za-z][^\s,[\]]*$/;

/** Parses and checks the declared extra parameters (names unique, not a built-in name; a proper prior). */
export function parseExtras(extras: readonly ExtraParameter[], builtinNames: readonly string[], firstOffset: number): ExtraLayout[] {
  const seen = new Set(builtinNames);
  return extras.map((e, i) => {
    const fail = (what: string): never => {
      throw new GlmmInputError(`parameter '${e.name}': ${what}`);
    };
    if (typeof e.name !== 'string' || !NAME.test(e.name)) fail('a name starts with a letter and has no spaces, commas or brackets (brms style, e.g. zi or b_zi_sppGP)');
    if (seen.has(e.name)) fail('the name is already used by the model or another extra parameter');
    seen.add(e.name);
    const constraint = e.constraint ?? 'real';
    if (typeof constraint === 'object' && !(constraint.lower < constraint.upper)) fail('an interval needs lower < upper');
    if (typeof constraint !== 'object' && constraint !== 'real' && constraint !== 'positive') fail(`unknown constraint '${String(constraint)}' (real, positive or {lower, upper})`);
    const text = e.prior?.trim() ?? (typeof constraint === 'object' ? 'uniform' : '');
    if (text === '') fail('needs a proper prior, e.g. prior: "normal(0, 2.5)"');
    return { name: e.name, offset: firstOffset + i, constraint, prior: parseExtraPrior(text, constraint, fail), priorText: text };
  });
}

function parseExtraPrior(text: string, c: Constraint, fail: (w: string) => never): ExtraPrior {
  if (typeof c === 'object') {
    if (text === 'uniform') return { kind: 'beta', a: 1, b: 1 };
    const m = /^beta\(\s*([^,\s]+)\s*,\s*([^)\s]+)\s*\)$/.exec(text);
    if (!m || !(Number(m[1]) > 0) || !(Number(m[2]) > 0)) fail(`an interval takes 'uniform' or 'beta(a, b)' with a, b > 0, not '${text}'`);
    return { kind: 'beta', a: Number(m![1]), b: Number(m![2]) };
  }
  let dist: PriorDist;
  try {
    dist = parsePrior(`${c === 'positive' ? 'sd' : 'b'} ~ ${text}`).prior;
  } catch (err) {
    return fail(`prior '${text}': ${(err as Error).message.replace(/^prior '[^']*': /, '').replace(/; write it as.*$/, '')}`);
  }
  if (dist.dist === 'lkj') fail('lkj() is only for correlations');
  return { kind: 'dist', dist };
}

/** The tfjs-side form of an extra's prior (user.ts) and its float64 constant. */
export function extraPriorForm(e: ExtraLayout): { form: ExtraPriorForm; constant: number } {
  if (e.prior.kind === 'beta') return { form: e.prior, constant: -lbeta(e.prior.a, e.prior.b) };
  const f = logPriorForm(e.prior.dist, e.constraint === 'positive');
  return { form: { kind: 'form', m: f.m, A: f.A, B: f.B, Q: f.Q, D: f.D, E: f.E }, constant: f.c };
}

/** Constrained value of an extra at coordinate u. */
export function extraConstrain(e: ExtraLayout, u: number): number {
  const c = e.constraint;
  if (c === 'real') return u;
  if (c === 'positive') return Math.exp(u);
  return c.lower + (c.upper - c.lower) / (1 + Math.exp(-u));
}

/** The coordinate u of a constrained value (clamped inside the support). */
export function extraUnconstrain(e: ExtraLayout, x: number): number {
  const c = e.constraint;
  if (c === 'real') return x;
  if (c === 'positive') return Math.log(Math.max(x, 1e-8));
  const s = Math.min(1 - 1e-8, Math.max(1e-8, (x - c.lower) / (c.upper - c.lower)));
  return Math.log(s / (1 - s));
}

/** log prior + log-Jacobian of an extra at coordinate u (float64, with every constant). */
export function extraLogDensity64(e: ExtraLayout, u: number): number {
  const c = e.constraint;
  if (typeof c === 'object') {
    const { a, b } = e.prior as { a: number; b: number };
    return -a * log1pExp(-u) - b * log1pExp(u) - lbeta(a, b);
  }
  const dist = (e.prior as { dist: PriorDist }).dist;
  return c === 'real' ? logPrior(dist, u, false) : logPrior(dist, Math.exp(u), true) + u;
}
