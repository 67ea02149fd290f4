/**
 * Number formatting for the human outputs (text table, HTML table, plot labels) and the JSON writer.
 * One place decides how many digits a number gets, so the text table and report.html agree.
 */

/** Text shown for a missing or non-finite number in human output. */
export const MISSING = '—';

/**
 * Decimals that show a quantity whose uncertainty (or magnitude) is `scale` to `sig` significant
 * digits of that scale: 3 significant digits of a posterior sd of 0.0153 is 4 decimals. This is the
 * rule of R's `print.summary.merMod`/posterior's `print(draws_summary)` (digits of the spread, not of
 * the value), clamped to [0, 6].
 */
export function decimalsFor(scale: number | null | undefined, sig = 3): number {
  if (scale == null || !Number.isFinite(scale) || scale === 0) return 2;
  const d = sig - 1 - Math.floor(Math.log10(Math.abs(scale)));
  return Math.min(6, Math.max(0, d));
}

/**
 * Fixed-point text of `x` with `decimals` decimals; null/NaN/±Infinity as {@link MISSING} (or "Inf",
 * "-Inf" for infinities, which carry meaning in an interval). Negative zero prints as 0.
 */
export function formatFixed(x: number | null | undefined, decimals: number): string {
  if (x == null || Number.isNaN(x)) return MISSING;
  if (x === Infinity) return 'Inf';
  if (x === -Infinity) return '-Inf';
  const s = x.toFixed(decimals);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

/**
 * `x` to `sig` significant digits without exponent for 1e-4 ≤ |x| < 1e7 (e.g. 1234.5 → "1235",
 * 0.012345 → "0.0123"); exponent notation outside that range; missing as {@link MISSING}.
 */
export function formatSig(x: number | null | undefined, sig = 3): string {
  if (x == null || !Number.isFinite(x)) return formatFixed(x as number | null, 0);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a < 1e-4 || a >= 1e7) return x.toExponential(Math.max(0, sig - 1));
  return formatFixed(x, decimalsFor(x, sig));
}

/** A count or effective sample size as a rounded integer ("1234"); missing as {@link MISSING}. */
export function formatCount(x: number | null | undefined): string {
  if (x == null || !Number.isFinite(x)) return formatFixed(x as number | null, 0);
  return String(Math.round(x));
}

/** R-hat with 3 decimals (posterior's `print` convention: 1.002). */
export function formatRhat(x: number | null | undefined): string {
  return formatFixed(x, 3);
}

/** Seconds for a timing line: "0.42 s", "12.3 s", "315 s". */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return MISSING;
  return `${s < 10 ? s.toFixed(2) : s < 100 ? s.toFixed(1) : s.toFixed(0)} s`;
}

/**
 * JSON text with NaN and ±Infinity written as null (DESIGN: summary.json) and typed arrays written as
 * plain arrays. `JSON.stringify` already maps non-finite numbers to null; the replacer makes that
 * explicit and also covers Float64Array values, which it would otherwise write as objects.
 */
export function toJson(value: unknown, indent = 2): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v === 'number') return Number.isFinite(v) ? v : null;
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
        return Array.from(v as unknown as ArrayLike<number>, (x) => (Number.isFinite(x) ? x : null));
      }
      return v;
    },
    indent,
  );
}

/** Pads `s` on the left to `width` characters (right-aligns a number column). */
export function padStart(s: string, width: number): string {
  return s.length >= width ? s : ' '.repeat(width - s.length) + s;
}

/** Pads `s` on the right to `width` characters (left-aligns a name column). */
export function padEnd(s: string, width: number): string {
  return s.length >= width ? s : s + ' '.repeat(width - s.length);
}
