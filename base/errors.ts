/**
 * An error in what the user gave (formula, data, options). Its message is one line that names the
 * column, row or term and says what to do; the CLI prints it as `error: <message>` and exits 1.
 */
export class GlmmInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GlmmInputError';
  }
}

/**
 * A formula that does not parse: a {@link GlmmInputError} that also carries the 0-based offset in the
 * formula text it points at (the message says the 1-based column), so an editor can mark the spot.
 */
export class FormulaError extends GlmmInputError {
  constructor(message: string, readonly pos: number) {
    super(message);
  }
}
