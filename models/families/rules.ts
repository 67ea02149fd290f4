/** Response rules shared by several families (see ResponseRule in types.ts). */
import type { ResponseRule } from './types.js';

/** A non-negative integer. */
export const nonNegativeInteger = (v: number): boolean => Number.isFinite(v) && v >= 0 && Number.isInteger(v);

/** Counts without trials (poisson, negbinomial). */
export const COUNTS: ResponseRule = {
  trials: null,
  integer: true,
  allZeroUninformative: true,
  check: nonNegativeInteger,
  rule: 'must be a non-negative integer count',
};

/** Successes out of trials (binomial and the like): the one-trial 0/1 form is checked here, cbind/weights by src/data. */
export const SUCCESSES: ResponseRule = {
  trials: 'counts',
  integer: true,
  allZeroUninformative: false,
  check: (v) => v === 0 || v === 1,
  rule: 'must be 0/1 (or a two-level factor), a proportion with --weights TRIALS, or cbind(x, n - x) for x successes out of n',
};

/** 0/1 with one trial per row (bernoulli). */
export const BINARY: ResponseRule = {
  trials: 'one',
  integer: true,
  allZeroUninformative: false,
  check: (v) => v === 0 || v === 1,
  rule: 'must be 0/1 or a two-level factor (for counts out of n use --family binomial with cbind(x, n - x))',
};

/** Positive and finite (gamma, lognormal). */
export const POSITIVE: ResponseRule = {
  trials: null,
  integer: false,
  allZeroUninformative: false,
  check: (v) => Number.isFinite(v) && v > 0,
  rule: 'must be positive and finite',
};

/** Any finite value (gaussian, student). */
export const REAL: ResponseRule = {
  trials: null,
  integer: false,
  allZeroUninformative: false,
  check: (v) => Number.isFinite(v),
  rule: 'must be finite',
};

/** An ordinal category 1..K (cumulative): built by src/data/ordinal.ts from an ordered factor, integers or --levels. */
export const ORDINAL: ResponseRule = {
  trials: null,
  integer: true,
  allZeroUninformative: false,
  check: (v) => Number.isInteger(v) && v >= 1,
  rule: 'must be an ordered category: an ordered factor with --levels, or the integers 1..K',
  ordinal: true,
};

/** Strictly inside (0, 1) (beta); every row at 0 or 1 is named. */
export const UNIT_INTERVAL: ResponseRule = {
  trials: null,
  integer: false,
  allZeroUninformative: false,
  check: (v) => Number.isFinite(v) && v > 0 && v < 1,
  rule: 'must be strictly between 0 and 1 (the beta has no density at 0 or 1: for successes out of n use binomial or betabinomial with cbind(x, n - x))',
  namesAllRows: true,
};
