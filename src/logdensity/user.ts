/**
 * Terms the user writes in tfjs ops, differentiated by autograd with the rest of the log density
 * (README "Writing your own terms"): extra parameters with a constraint and a prior, extra
 * log-density terms of named parameters, and a custom family (the log-likelihood of y given the
 * linear predictor η and the family's own parameters). Every function receives tensors batched over
 * chains: a named parameter is a [C, 1] tensor, η is [C, n]; a term returns [C, 1] (or [C]) and a
 * family [C, n] (or [C, 1]). A wrong shape, a non-tensor or NaN is an error naming the term
 * (return −Infinity where the density is zero).
 */
import { tf } from './tfjs.js';
import type { Tensor } from '@tensorflow/tfjs';
import { GlmmInputError } from '../../base/errors.js';
import type { FamilyName } from '../../models/families/types.js';

/** The tfjs namespace the user functions should use (the package's own instance). */
export type Tfjs = typeof tf;

/** Constraint of an extra parameter: the real line, (0, ∞) or (lower, upper). */
export type Constraint = 'real' | 'positive' | { readonly lower: number; readonly upper: number };

/** An extra parameter (named brms-style, e.g. `zi`, `b_zi_sppGP`). */
export interface ExtraParameter {
  readonly name: string;
  /** Default 'real'. */
  readonly constraint?: Constraint;
  /**
   * Prior in brms syntax without the class: real `normal(0, 2.5)`, `student_t(3, 0, 2.5)`, `cauchy(0, 1)`;
   * positive also `exponential(1)`, `gamma(2, 1)` (truncated at 0 as for sds); interval `uniform`
   * (the default there) or `beta(a, b)` on the interval's (x − lower)/(upper − lower).
   */
  readonly prior?: string;
}

/** The named parameters as [C, 1] tensors: b_*, sd_*, the family parameter, and the extras. */
export type ParamTensors = Readonly<Record<string, Tensor>>;

/** Data the user functions may use, as constant tensors in the density's row order. */
export interface DataTensors {
  /** The response, [1, n]. */
  readonly y: Tensor;
  /** Binomial trials [1, n], else null. */
  readonly trials: Tensor | null;
  /** The fixed-effect design matrix transposed, [p, n] (rows of the formula's b_* columns, in order). */
  readonly Xt: Tensor;
  readonly n: number;
}

/** What a user function receives besides the parameters. */
export interface UserContext {
  readonly tf: Tfjs;
  readonly data: DataTensors;
}

/** An extra log-density term: a function of named parameters in tfjs ops. */
export interface UserTerm {
  readonly name: string;
  /** → [C, 1] (or [C]) tensor: the term's log density per chain. */
  readonly logDensity: (p: ParamTensors, ctx: UserContext) => Tensor;
  /** Built-in parameters (e.g. `sd_block__Intercept`) whose default priors this term replaces. */
  readonly replacesPriorOf?: readonly string[];
  /** Optional float64 twin (tests, `checkUserTerms`): the same term on numbers. */
  readonly logDensity64?: (p: Readonly<Record<string, number>>) => number;
}

/** A custom family: its log-likelihood in tfjs ops, optional mean and random generation for predictions. */
export interface CustomFamily {
  readonly name: string;
  /**
   * The built-in family whose response checks, link and family parameter the custom one shares
   * (e.g. 'poisson' for counts: non-negative integers, log link, no extra parameter).
   */
  readonly base: FamilyName;
  /** η [C, n] → per-row log-likelihood [C, n] (or its row sums [C, 1]), with every constant. */
  readonly logLik: (eta: Tensor, p: ParamTensors, ctx: UserContext) => Tensor;
  /** Float64 twin of logLik: Σ_i log p(y_i | η_i, p) for row data y, trials and fixed-effect row x_i. */
  readonly logLik64?: (eta: Float64Array, p: Readonly<Record<string, number>>, data: FamilyData64) => number;
  /** log p(y_i | η_i, p) of one row on numbers, every constant included: the pointwise log-likelihood of loo/waic. */
  readonly logLikRow?: (y: number, eta: number, p: Readonly<Record<string, number>>, row: number) => number;
  /** E[y_i] given η_i and the parameters (for posterior_epred-style means); row i of the data. */
  readonly mean?: (eta: number, p: Readonly<Record<string, number>>, row: number) => number;
  /** A random y_i given η_i and the parameters (posterior predictive checks). */
  readonly rng?: (rand: () => number, eta: number, p: Readonly<Record<string, number>>, row: number) => number;
}

/** The data of a custom family's float64 twin, in the data's row order. */
export interface FamilyData64 {
  readonly y: Float64Array;
  readonly trials: Float64Array | null;
  /** Fixed-effect design, row-major [n, p]. */
  readonly X: Float64Array;
  readonly p: number;
}

/** An extra parameter's prior as compile.ts prepares it (constants go to the float64 constant). */
export type ExtraPriorForm =
  | { readonly kind: 'form'; readonly m: number; readonly A: number; readonly B: number; readonly Q: number; readonly D: number; readonly E: number }
  | { readonly kind: 'beta'; readonly a: number; readonly b: number };

/** An extra parameter as the body sees it. */
export interface PreparedExtra {
  readonly name: string;
  readonly offset: number;
  readonly constraint: Constraint;
  readonly prior: ExtraPriorForm;
}

/** The user parts of one compiled density. */
export interface UserParts {
  /** Built-in named parameters: b (q itself), exp(q) (sd, a positive family parameter) or logistic(q) (a unit-interval one). */
  readonly builtin: readonly { readonly name: string; readonly offset: number; readonly transform: 'identity' | 'exp' | 'logistic' }[];
  readonly extras: readonly PreparedExtra[];
  readonly terms: readonly UserTerm[];
  readonly family: CustomFamily | null;
  readonly data: DataTensors;
}

/** The constrained value [C, 1] of an extra parameter from its coordinate u, with log-Jacobian + prior [C, 1]. */
function extraValue(e: PreparedExtra, u: Tensor): { x: Tensor; logp: Tensor } {
  const c = e.constraint;
  if (c === 'real' || c === 'positive') {
    const x = c === 'real' ? u : tf.exp(u);
    const f = e.prior as Extract<ExtraPriorForm, { kind: 'form' }>;
    const d = f.m ? tf.sub(x, f.m) : x;
    const parts: Tensor[] = [];
    if (f.A) parts.push(tf.mul(tf.log1p(tf.mul(tf.square(d), f.B)), f.A));
    if (f.Q) parts.push(tf.mul(tf.square(d), f.Q));
    if (f.D) parts.push(tf.mul(x, f.D));
    const jac = c === 'positive' ? 1 : 0; // log x = u: E log x + the Jacobian u
    if (f.E + jac) parts.push(tf.mul(u, f.E + jac));
    return { x, logp: parts.length ? tf.addN(parts) : tf.zerosLike(u) };
  }
  // x = lower + (upper − lower)·σ(u): the Jacobian's log(upper − lower) cancels the prior's 1/(upper − lower)
  const s = tf.sigmoid(u);
  const x = tf.add(tf.mul(s, c.upper - c.lower), c.lower);
  const { a, b } = e.prior.kind === 'beta' ? e.prior : { a: 1, b: 1 };
  const logp = tf.neg(tf.add(tf.mul(tf.softplus(tf.neg(u)), a), tf.mul(tf.softplus(u), b)));
  return { x, logp };
}

/** The named parameters of q [C, dim] (created on first use) and the extras' priors + Jacobians [C, 1]. */
export function userParameters(U: UserParts, q: Tensor): { params: ParamTensors; extraLogp: Tensor | null } {
  const C = q.shape[0] as number;
  const col = (o: number) => tf.slice(q, [0, o], [C, 1]);
  const params: Record<string, Tensor> = {};
  for (const b of U.builtin) {
    let cached: Tensor | null = null;
    Object.defineProperty(params, b.name, { enumerable: true, get: () => (cached ??= b.transform === 'exp' ? tf.exp(col(b.offset)) : b.transform === 'logistic' ? tf.sigmoid(col(b.offset)) : col(b.offset)) });
  }
  const logps: Tensor[] = [];
  for (const e of U.extras) {
    const { x, logp } = extraValue(e, col(e.offset));
    params[e.name] = x;
    logps.push(logp);
  }
  return { params, extraLogp: logps.length ? (logps.length > 1 ? tf.addN(logps) : logps[0]) : null };
}

/** The parameters as `what` (e.g. "term 'icc'") sees them: asking for a name the model lacks is an error naming it. */
export function guardParameters(params: ParamTensors, what: string): ParamTensors {
  return new Proxy(params, {
    get(target, key) {
      if (typeof key === 'string' && !(key in target)) throw new GlmmInputError(`${what} asked for parameter '${key}', which the model does not have (it has ${Object.keys(target).join(', ')})`);
      return Reflect.get(target, key);
    },
  });
}

/** Checks what a user function returned: a tensor of [C, 1], [C] or (family) [C, n]; returns [C, 1] or [C, n]. */
export function checkReturned(what: string, out: unknown, C: number, n: number | null): Tensor {
  if (!(out instanceof tf.Tensor)) {
    throw new GlmmInputError(`${what} returned ${out === null ? 'null' : typeof out}, not a tfjs tensor; build it with the ctx.tf it receives`);
  }
  const s = out.shape;
  if (s.length === 1 && s[0] === C) return tf.reshape(out, [C, 1]);
  if (s.length === 2 && s[0] === C && (s[1] === 1 || (n !== null && s[1] === n))) return out;
  const want = n === null ? `[${C}, 1] (one value per chain)` : `[${C}, ${n}] (chains × rows) or [${C}, 1]`;
  throw new GlmmInputError(`${what} returned a tensor of shape [${s.join(', ')}]; expected ${want}`);
}
