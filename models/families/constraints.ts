/**
 * The constraint of a family parameter: how its natural values x live on unconstrained coordinates u
 * (the sampler's and the Laplace optimizer's), with the log-Jacobian the posterior needs (Stan
 * Reference Manual, "Constraint transforms": lower bound 0 → log; (0, 1) → logit; ordered vector →
 * x₁ = u₁, x_k = x_{k−1} + e^{u_k}). One interface for scalars and vectors, so a positive
 * (`sigma`, `shape`, `phi`, `nu`), a unit-interval (`zi`, `hu`) and an ordered parameter (ordinal
 * thresholds, length K − 1 from the data) all sit in a family's one `params` list.
 */

export interface Constraint {
  /** 'positive': x > lower by x = lower + e^u; 'unit': x in (0, 1) by the logit; 'ordered': an increasing vector; 'real': x = u (a parameter's regression coefficients, formula-layout.ts). */
  readonly kind: 'positive' | 'unit' | 'ordered' | 'real';
  /** The range of each coordinate (−∞/∞ where unbounded). */
  readonly lower: number;
  readonly upper: number;
  /** Whether a prior on this parameter is a half-distribution truncated at 0 (models/priors.ts `half`; for lower > 0 the prior keeps the normalisation at 0, a constant). */
  readonly halfPrior: boolean;
  /** Name of unconstrained coordinate k (0-based) of parameter `name` of length `len` (`log_sigma`, `logit_zi`, ...). */
  coordName(name: string, k: number, len: number): string;
  /** x[xo + k] = T(u)[k] for k < len, u read at u[uo..]. */
  constrain(u: ArrayLike<number>, uo: number, len: number, x: Float64Array, xo: number): void;
  /** u[uo + k] = T⁻¹(x)[k], the inverse of constrain (x clamped just inside its range). */
  unconstrain(x: ArrayLike<number>, xo: number, len: number, u: Float64Array, uo: number): void;
  /** log |det ∂x/∂u| at u[uo..uo+len). */
  logJacobian(u: ArrayLike<number>, uo: number, len: number): number;
  /**
   * The chain rule back to u: gu[go + k] += Σ_j gx[j] ∂x_j/∂u_k + ∂ log|det ∂x/∂u| / ∂u_k, with x = T(u)
   * (gx[0..len) the gradient in x).
   */
  pullback(u: ArrayLike<number>, uo: number, len: number, gx: ArrayLike<number>, gu: Float64Array, go: number): void;
  /** ∂x_j/∂u_k into J[j·len + k] (len × len, row-major): the delta method's Jacobian for standard errors. */
  jacobian(u: ArrayLike<number>, uo: number, len: number, J: Float64Array): void;
}

/** Smallest positive value unconstrain maps (log 0 would be −∞). */
const TINY = 1e-10;

/**
 * x = lower + e^u (Stan's lower-bound transform), log-Jacobian u: LOG_TRANSFORM for a positive
 * parameter, logAbove(1) for brms's Student-t ν > 1.
 */
export function logAbove(lower: number): Constraint {
  const name = lower === 0 ? 'log' : `log_m${lower}`;
  return {
    kind: 'positive',
    lower,
    upper: Infinity,
    halfPrior: true,
    coordName: (p, k, len) => (len === 1 ? `${name}_${p}` : `${name}_${p}[${k + 1}]`),
    constrain: (u, uo, len, x, xo) => {
      for (let k = 0; k < len; k++) x[xo + k] = lower + Math.exp(u[uo + k]);
    },
    unconstrain: (x, xo, len, u, uo) => {
      for (let k = 0; k < len; k++) u[uo + k] = Math.log(Math.max(TINY, x[xo + k] - lower));
    },
    logJacobian: (u, uo, len) => {
      let s = 0;
      for (let k = 0; k < len; k++) s += u[uo + k];
      return s;
    },
    pullback: (u, uo, len, gx, gu, go) => {
      for (let k = 0; k < len; k++) gu[go + k] += gx[k] * Math.exp(u[uo + k]) + 1;
    },
    jacobian: (u, uo, len, J) => {
      J.fill(0, 0, len * len);
      for (let k = 0; k < len; k++) J[k * len + k] = Math.exp(u[uo + k]);
    },
  };
}

/** x = e^u, log-Jacobian u. */
export const LOG_TRANSFORM: Constraint = logAbove(0);

/** logistic(u) without overflow. */
function logistic(u: number): number {
  return u >= 0 ? 1 / (1 + Math.exp(-u)) : Math.exp(u) / (1 + Math.exp(u));
}

/** x = logistic(u), log-Jacobian log x + log(1 − x). */
export const LOGIT_TRANSFORM: Constraint = {
  kind: 'unit',
  lower: 0,
  upper: 1,
  halfPrior: false,
  coordName: (name, k, len) => (len === 1 ? `logit_${name}` : `logit_${name}[${k + 1}]`),
  constrain: (u, uo, len, x, xo) => {
    for (let k = 0; k < len; k++) x[xo + k] = logistic(u[uo + k]);
  },
  unconstrain: (x, xo, len, u, uo) => {
    for (let k = 0; k < len; k++) {
      const v = Math.min(1 - TINY, Math.max(TINY, x[xo + k]));
      u[uo + k] = Math.log(v) - Math.log1p(-v);
    }
  },
  logJacobian: (u, uo, len) => {
    let s = 0;
    // log σ(u) + log σ(−u) = −|u| − 2 log(1 + e^{−|u|})
    for (let k = 0; k < len; k++) s += -Math.abs(u[uo + k]) - 2 * Math.log1p(Math.exp(-Math.abs(u[uo + k])));
    return s;
  },
  pullback: (u, uo, len, gx, gu, go) => {
    for (let k = 0; k < len; k++) {
      const x = logistic(u[uo + k]);
      gu[go + k] += gx[k] * x * (1 - x) + 1 - 2 * x;
    }
  },
  jacobian: (u, uo, len, J) => {
    J.fill(0, 0, len * len);
    for (let k = 0; k < len; k++) {
      const x = logistic(u[uo + k]);
      J[k * len + k] = x * (1 - x);
    }
  },
};

/** x = u, log-Jacobian 0: the coefficients of a family parameter's linear predictor (formula-layout.ts). */
export const IDENTITY_TRANSFORM: Constraint = {
  kind: 'real',
  lower: -Infinity,
  upper: Infinity,
  halfPrior: false,
  coordName: (name, k, len) => (len === 1 ? name : `${name}[${k + 1}]`),
  constrain: (u, uo, len, x, xo) => {
    for (let k = 0; k < len; k++) x[xo + k] = u[uo + k];
  },
  unconstrain: (x, xo, len, u, uo) => {
    for (let k = 0; k < len; k++) u[uo + k] = x[xo + k];
  },
  logJacobian: () => 0,
  pullback: (_u, _uo, len, gx, gu, go) => {
    for (let k = 0; k < len; k++) gu[go + k] += gx[k];
  },
  jacobian: (_u, _uo, len, J) => {
    J.fill(0, 0, len * len);
    for (let k = 0; k < len; k++) J[k * len + k] = 1;
  },
};

/** x₁ = u₁, x_k = x_{k−1} + e^{u_k} (Stan's ordered transform), log-Jacobian Σ_{k≥2} u_k. */
export const ORDERED_TRANSFORM: Constraint = {
  kind: 'ordered',
  lower: -Infinity,
  upper: Infinity,
  halfPrior: false,
  coordName: (name, k) => (k === 0 ? `${name}[1]` : `log_diff_${name}[${k + 1}]`),
  constrain: (u, uo, len, x, xo) => {
    let s = 0;
    for (let k = 0; k < len; k++) {
      s = k === 0 ? u[uo] : s + Math.exp(u[uo + k]);
      x[xo + k] = s;
    }
  },
  unconstrain: (x, xo, len, u, uo) => {
    for (let k = 0; k < len; k++) u[uo + k] = k === 0 ? x[xo] : Math.log(Math.max(TINY, x[xo + k] - x[xo + k - 1]));
  },
  logJacobian: (u, uo, len) => {
    let s = 0;
    for (let k = 1; k < len; k++) s += u[uo + k];
    return s;
  },
  pullback: (u, uo, len, gx, gu, go) => {
    // ∂x_j/∂u_1 = 1, ∂x_j/∂u_k = e^{u_k} for 2 ≤ k ≤ j: gu_k = e^{u_k} Σ_{j≥k} gx_j (+1 from the Jacobian)
    let tail = 0;
    for (let k = len - 1; k >= 0; k--) {
      tail += gx[k];
      gu[go + k] += k === 0 ? tail : tail * Math.exp(u[uo + k]) + 1;
    }
  },
  jacobian: (u, uo, len, J) => {
    J.fill(0, 0, len * len);
    for (let j = 0; j < len; j++) for (let k = 0; k <= j; k++) J[j * len + k] = k === 0 ? 1 : Math.exp(u[uo + k]);
  },
};
