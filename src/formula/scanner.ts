/**
 * Formula scanner: splits an lme4-style formula into tokens, one character at a time (no regular
 * expressions). The token set is the part of R's grammar that model formulas use
 * (R Language Definition §10.4.2 "Operators"; ?formula): names (syntactic or `backticked`),
 * numbers, the operators `~ + - * / ^ : | ||`, parentheses and commas.
 */
import { FormulaError } from '../../base/errors.js';

export type TokenKind = 'name' | 'number' | 'op' | '(' | ')' | ',' | 'end';

export interface Token {
  readonly kind: TokenKind;
  /** The text as written (for a backticked name, without the backticks). */
  readonly text: string;
  /** 0-based offset of the first character in the formula text. */
  readonly pos: number;
  /** True for a name written in backticks (`my var`). */
  readonly quoted?: boolean;
}

/** One-line description of a position: "at column 14: count ~ trt + )" (column is 1-based). */
export function formulaErrorMessage(what: string, text: string, pos: number): string {
  return `formula: ${what} at column ${pos + 1}: ${text}`;
}

/** The error thrown for a formula that does not parse: the one-line message plus the 0-based offset `pos`. */
export function formulaError(what: string, text: string, pos: number): FormulaError {
  return new FormulaError(formulaErrorMessage(what, text, pos), pos);
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

function isNameStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '.' || c > '\u007f';
}

function isNameChar(c: string): boolean {
  return isNameStart(c) || isDigit(c) || c === '_';
}

/**
 * Tokenizes a formula. Throws GlmmInputError naming the column of the first character it cannot read.
 * Numbers follow R's lexer: digits with an optional fraction and exponent (`1`, `.5`, `2.5e-3`).
 * A name starting with `.` followed by a digit is a number, as in R.
 */
export function scanFormula(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const start = i;
    if (isDigit(c) || (c === '.' && i + 1 < n && isDigit(text[i + 1]))) {
      while (i < n && isDigit(text[i])) i++;
      if (i < n && text[i] === '.') {
        i++;
        while (i < n && isDigit(text[i])) i++;
      }
      if (i < n && (text[i] === 'e' || text[i] === 'E')) {
        let j = i + 1;
        if (j < n && (text[j] === '+' || text[j] === '-')) j++;
        if (j < n && isDigit(text[j])) {
          i = j;
          while (i < n && isDigit(text[i])) i++;
        } else {
          throw formulaError(`malformed number '${text.slice(start, j)}'`, text, start);
        }
      }
      if (i < n && isNameChar(text[i])) {
        throw formulaError(`unexpected '${text[i]}' after number`, text, i);
      }
      tokens.push({ kind: 'number', text: text.slice(start, i), pos: start });
      continue;
    }
    if (isNameStart(c)) {
      while (i < n && isNameChar(text[i])) i++;
      tokens.push({ kind: 'name', text: text.slice(start, i), pos: start });
      continue;
    }
    if (c === '`') {
      i++;
      while (i < n && text[i] !== '`') i++;
      if (i >= n) throw formulaError('unterminated backtick name', text, start);
      const name = text.slice(start + 1, i);
      if (name.length === 0) throw formulaError('empty backtick name', text, start);
      i++;
      tokens.push({ kind: 'name', text: name, pos: start, quoted: true });
      continue;
    }
    if (c === '|' && i + 1 < n && text[i + 1] === '|') {
      tokens.push({ kind: 'op', text: '||', pos: start });
      i += 2;
      continue;
    }
    if (c === '~' || c === '+' || c === '-' || c === '*' || c === '/' || c === '^' || c === ':' || c === '|') {
      tokens.push({ kind: 'op', text: c, pos: start });
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c, text: c, pos: start });
      i++;
      continue;
    }
    throw formulaError(`unexpected character '${c}'`, text, start);
  }
  tokens.push({ kind: 'end', text: '', pos: n });
  return tokens;
}
