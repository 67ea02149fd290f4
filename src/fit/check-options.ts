/**
 * The options of `fit()` and `laplaceOnly()` checked at the public boundary, as the CLI checks its
 * flags: an unknown option, a value of the wrong type or outside its range is one GlmmInputError line
 * naming the option, the value and what is allowed (`option sampler 'foo': expected one of nuts, chees`),
 * never a TypeError from deep inside. The rules are one table, which the CLI's parser reads for the
 * same options (src/cli/args.ts), so both say the same. Only the form of each value is checked here;
 * what needs the data (a column exists, a link suits the family, a prior names a parameter) is checked
 * where the data are read.
 */
import { GlmmInputError } from '../../base/errors.js';
import { FAMILY_NAMES } from '../../models/families/index.js';
import { LINK_NAMES } from '../../models/links.js';

/** What an option's value must be: a test and the words for it. */
export interface OptionRule {
  readonly ok: (v: unknown) => boolean;
  readonly expected: string;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const oneOf = (xs: readonly string[]): OptionRule => ({ ok: (v) => typeof v === 'string' && xs.includes(v), expected: `one of ${xs.join(', ')}` });
const flag: OptionRule = { ok: (v) => typeof v === 'boolean', expected: 'true or false' };
const text: OptionRule = { ok: (v) => typeof v === 'string', expected: 'a string' };
const texts: OptionRule = { ok: (v) => Array.isArray(v) && v.every((s) => typeof s === 'string'), expected: 'an array of strings' };
const list: OptionRule = { ok: (v) => Array.isArray(v), expected: 'an array' };
const fn: OptionRule = { ok: (v) => typeof v === 'function', expected: 'a function' };
const object: OptionRule = { ok: (v) => typeof v === 'object' && v !== null, expected: 'an object' };
const unitInterval = (expected: string): OptionRule => ({ ok: (v) => isNum(v) && v > 0 && v < 1, expected });

/** Rows (objects), columns (an object of arrays), `{ csv }` text or a DataFrame (src/fit.ts DataInput). */
const data: OptionRule = {
  ok: (v) => typeof v === 'object' && v !== null && (!('csv' in v) || typeof v.csv === 'string'),
  expected: 'rows (an array of objects), columns (an object of arrays), { csv: text } or a DataFrame (a file: readCsvFile(path))',
};

/** The sampler options' rules, also the CLI's (the words are the CLI's `expected …`). */
export const SAMPLER_RULES = {
  sampler: oneOf(['nuts', 'chees']),
  chains: { ok: (v) => isInt(v) && v >= 1, expected: 'a positive integer' },
  warmup: { ok: (v) => isInt(v) && v >= 0, expected: 'a non-negative integer' },
  draws: { ok: (v) => isInt(v) && v >= 1, expected: 'a positive integer' },
  seed: { ok: (v) => isInt(v) && v >= 0 && v <= Number.MAX_SAFE_INTEGER, expected: `an integer from 0 to ${Number.MAX_SAFE_INTEGER} (2^53 − 1; larger seeds would be rounded)` },
  adaptDelta: unitInterval('a number in (0, 1)'),
  maxTreedepth: { ok: (v) => isInt(v) && v >= 1 && v <= 20, expected: 'an integer in 1..20' },
  metric: oneOf(['diag', 'dense']),
  init: {
    ok: (v) => v === 'random' || v === 'laplace' || ((v instanceof Float64Array || Array.isArray(v)) && Array.from(v as ArrayLike<unknown>).every(isNum)),
    expected: "'random', 'laplace' or a point (a Float64Array of finite numbers)",
  },
  ess: { ok: (v) => isInt(v) && v >= 10, expected: 'an integer ≥ 10' },
  threads: { ok: (v) => isInt(v) && v >= 1 && v <= 256, expected: 'an integer in 1..256' },
} satisfies Record<string, OptionRule>;

/** The model options' rules (src/fit.ts ModelInput). */
export const MODEL_RULES = {
  formula: { ok: (v) => typeof v === 'string' && v.trim() !== '', expected: 'a formula such as count ~ trt + (1 | block)' },
  data,
  family: oneOf(FAMILY_NAMES),
  link: oneOf(LINK_NAMES),
  factors: texts,
  weights: text,
  levels: texts,
  zi: text,
  priors: texts,
  ddf: oneOf(['kenward-roger', 'satterthwaite']),
  profile: flag,
  means: texts,
  centered: texts,
  parameters: list,
  terms: list,
  customFamily: object,
  na: texts,
  sep: { ok: (v) => typeof v === 'string' && v.length === 1, expected: "one character, e.g. ';' or '\\t'" },
  prob: unitInterval('a probability in (0, 1), e.g. 0.9'),
} satisfies Record<string, OptionRule>;

/** fit()'s own options besides the model's and the sampler's. */
const FIT_RULES: Record<string, OptionRule> = {
  ...MODEL_RULES,
  ...SAMPLER_RULES,
  backend: oneOf(['js', 'cpu', 'wasm', 'webgl', 'webgpu']),
  laplace: flag,
  onLaplace: fn,
  onProgress: fn,
  shouldStop: fn,
};

/** laplaceOnly()'s: the model's, nAGQ (its range is lme4's, checked by laplace/agq.ts) and reml. */
const LAPLACE_ONLY_RULES: Record<string, OptionRule> = {
  ...MODEL_RULES,
  nAGQ: { ok: isNum, expected: 'an integer from 0 to 100' },
  reml: flag,
  onEvaluation: fn,
};

/** A value as the message shows it: strings quoted, numbers as written, other things by their kind. */
function shown(v: unknown): string {
  if (typeof v === 'string') return `'${v.length > 40 ? v.slice(0, 40) + '…' : v}'`;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v === null) return 'null';
  return Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function checkAgainst(call: string, opts: unknown, rules: Record<string, OptionRule>, required: readonly string[]): void {
  if (typeof opts !== 'object' || opts === null) throw new GlmmInputError(`${call} takes one object of options, e.g. ${call}({ formula, data, family })`);
  const o = opts as Record<string, unknown>;
  for (const k of required) {
    if (o[k] === undefined) throw new GlmmInputError(`${call}: option ${k} is missing; expected ${rules[k].expected}`);
  }
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) continue;
    const rule = rules[k];
    if (!rule) throw new GlmmInputError(`${call}: unknown option '${k}'; options are ${Object.keys(rules).join(', ')}`);
    if (!rule.ok(v)) throw new GlmmInputError(`${call}: option ${k} ${shown(v)}: expected ${rule.expected}`);
  }
}

/** Throws GlmmInputError (one line) unless every option of fit() has an allowed value. */
export function checkFitOptions(opts: unknown): void {
  checkAgainst('fit', opts, FIT_RULES, ['formula', 'data', 'family']);
  const o = opts as { ess?: number; draws?: number };
  if (o.ess !== undefined && o.draws !== undefined) {
    throw new GlmmInputError('fit: options ess and draws exclude each other (draws fixes the length; ess samples until the target is met)');
  }
}

/** Throws GlmmInputError (one line) unless every option of laplaceOnly() has an allowed value. */
export function checkLaplaceOnlyOptions(opts: unknown): void {
  checkAgainst('laplaceOnly', opts, LAPLACE_ONLY_RULES, ['formula', 'data', 'family']);
}
