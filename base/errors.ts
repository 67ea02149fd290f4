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
