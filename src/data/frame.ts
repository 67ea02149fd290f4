/**
 * A typed data frame: numeric columns as Float64Array (NaN = missing) and factors as integer codes
 * into a level table (-1 = missing), as R's data.frame holds them after read.csv + factor().
 */
export interface NumericColumn {
  readonly kind: 'numeric';
  readonly name: string;
  readonly values: Float64Array;
}

export interface FactorColumn {
  readonly kind: 'factor';
  readonly name: string;
  /** Level labels in R's order: numeric-looking levels sort numerically, others as R's sort(). */
  readonly levels: readonly string[];
  readonly codes: Int32Array;
}

export type Column = NumericColumn | FactorColumn;

export interface DataFrame {
  readonly nrow: number;
  /** Columns by name, in file order. */
  readonly columns: ReadonlyMap<string, Column>;
}
