/**
 * One flag's value, parsed or refused: node:util's parseArgs with glmm's words, numbers checked by
 * fit()'s own rules (fit/check-options.ts), one of a list, the seed, --sep, --centered, comma lists. A
 * malformed value throws UsageError: the CLI prints one line and exits 2.
 */
import { parseArgs } from 'node:util';
import { SAMPLER_RULES, type OptionRule } from '../fit/check-options.js';

/** A usage error: exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function num(name: string, v: string | undefined, dflt: number, check: (x: number) => boolean, what: string): number {
  if (v === undefined) return dflt;
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || !check(x)) throw new UsageError(`--${name} ${v}: expected ${what}`);
  return x;
}

/** A number flag checked by fit()'s own rule for the option (fit/check-options.ts): the same words. */
export function ruled(name: string, v: string | undefined, dflt: number, rule: OptionRule): number {
  return num(name, v, dflt, rule.ok, rule.expected);
}

export function oneOf<T extends string>(name: string, v: string | undefined, dflt: T, allowed: readonly T[]): T {
  if (v === undefined) return dflt;
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`--${name} ${v}: expected one of ${allowed.join(', ')}`);
  return v as T;
}

/** undefined when the flag is absent (the default comes from fit/options.ts), else the parsed value. */
export function opt<T>(v: string | undefined, parseValue: (s: string) => T): T | undefined {
  return v === undefined ? undefined : parseValue(v);
}

export function required(name: string, v: string | undefined): string {
  if (v === undefined || v === '') throw new UsageError(`missing --${name} (see glmm --help)`);
  return v;
}

/**
 * `--draws -5` as `--draws=-5`: node's parseArgs takes a value starting with '-' for an option ("argument
 * is ambiguous"); joined, the value reaches the validation that says what is expected.
 */
export function joinNegativeValues(argv: string[], options: Record<string, { type: 'string' | 'boolean' }>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = argv[i + 1];
    if (a.startsWith('--') && !a.includes('=') && options[a.slice(2)]?.type === 'string' && next !== undefined && /^-(\d|\.\d|Inf)/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/** An integer seed that a double holds exactly (0 … 2^53 − 1), or a usage error (no silent rounding). */
export function seedArg(v: string | undefined): number {
  if (v === undefined) return 1;
  const t = v.trim();
  if (!/^\d+$/.test(t) || BigInt(t) > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new UsageError(`--seed ${v}: expected ${SAMPLER_RULES.seed.expected}`);
  }
  return Number(t);
}

export function parse(argv: string[], options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>) {
  try {
    return parseArgs({ args: joinNegativeValues(argv, options), options, allowPositionals: true, strict: true });
  } catch (e) {
    // node's message, without its hint about positionals that start with '-' (not how glmm is used)
    const msg = (e as Error).message.split('\n')[0].replace(/\. To specify a positional argument.*$/, '').replace(/\.$/, '');
    throw new UsageError(`${msg} (see glmm --help)`);
  }
}

/** --sep: one character; `tab` and `\t` name the tab. */
export function separator(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const s = v === 'tab' || v === '\\t' ? '\t' : v === 'semicolon' ? ';' : v === 'comma' ? ',' : v;
  if (s.length !== 1) throw new UsageError(`--sep ${v}: expected one character, e.g. --sep ';' or --sep tab`);
  return s;
}

/** --centered: undefined for auto, [] for none, else the grouping factors. */
export function centeredArg(v: string | undefined): string[] | undefined {
  if (v === undefined || v === 'auto') return undefined;
  if (v === 'none') return [];
  const groups = v.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (groups.length === 0) throw new UsageError(`--centered ${v}: expected grouping factors (e.g. block,block:trt), none or auto`);
  return groups;
}

export function listArg(v: string | undefined): string[] | undefined {
  return v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter((s) => s !== '');
}
