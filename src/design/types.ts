/**
 * The design of a GLMM: what the formula and the data give the model, the Laplace fit and the
 * reports. It is the analogue of lme4's `model.frame` + `model.matrix` + `mkReTrms` output.
 * Every matrix is float64, row-major. Rows are the rows kept after dropping missing values.
 */
import type { FamilyName } from '../../models/families/types.js';
import type { Covariance } from './covariance/types.js';
import type { ParamFormula } from '../../models/families/formula-layout.js';

export interface FixedEffects {
  /** n × p, row-major. */
  readonly X: Float64Array;
  readonly p: number;
  /** R's model.matrix column names: "(Intercept)", "trt1", "x1:x2", "log(dose)". */
  readonly columns: readonly string[];
  /** brms parameter names: "b_Intercept", "b_trt1", "b_x1:x2". */
  readonly names: readonly string[];
  /** Columns dropped because X was rank deficient (as R reports them), in model.matrix names. */
  readonly dropped: readonly string[];
  readonly hasIntercept: boolean;
}

/**
 * One random-effect term `(cols | group)`, as one element of lme4's mkReTrms `Ztlist`.
 * `(x || g)` becomes several terms with k = 1 each; `(1 | g1/g2)` becomes `(1|g1)` and `(1|g1:g2)`.
 */
export interface RandomTerm {
  /** Grouping factor as written, interactions joined by ':' ("block", "block:trt"). */
  readonly group: string;
  /** brms term labels of the k columns: "Intercept", "amount", "trt1". */
  readonly terms: readonly string[];
  /** R model.matrix names of the k columns: "(Intercept)", "amount", "trt1". */
  readonly columns: readonly string[];
  readonly k: number;
  /**
   * The covariance structure of a level's k effects (src/design/covariance): us for `(x | g)` (k > 1
   * correlated, k = 1 a scalar), diag, cs, ar1 as glmmTMB writes them. `(x || g)` gives k = 1 pieces;
   * for a factor f, `(f || g)` keeps f's indicator columns in one us `(0 + f | g)` block, exactly as
   * lme4 does (see src/formula/terms.ts).
   */
  readonly cov: Covariance;
  /** Level labels of the grouping factor (interaction levels joined by ':' as R's interaction()). */
  readonly levels: readonly string[];
  /** Level index (0-based) of each row, length n. */
  readonly index: Int32Array;
  /** n × k row-major: the value of each term column in each row. */
  readonly Z: Float64Array;
}

/**
 * A family parameter's formula with its random-effect terms (`ziformula = ~ mined + (1|site)`): the
 * fixed part as models/families/formula-layout.ts's ParamFormula, the terms as the count part's
 * (their labels carry the parameter's prefix, `zi_Intercept`).
 */
export type DesignParamFormula = ParamFormula<RandomTerm>;

export interface Response {
  /** The response as written ("count", "cbind(x, n - x)"). */
  readonly label: string;
  /** Successes for binomial, 0/1 for bernoulli, the value otherwise. */
  readonly y: Float64Array;
  /** Binomial trials per row (1 for bernoulli); null for other families. */
  readonly trials: Float64Array | null;
  /** For a two-level factor Bernoulli response: [failure level, success level] (R: second = success). */
  readonly levels?: readonly [string, string];
  /** For an ordinal response (y = 1..K): the category labels, lowest first. */
  readonly categories?: readonly string[];
}

export interface Design {
  readonly formula: string;
  readonly family: FamilyName;
  readonly nobs: number;
  /** Rows dropped because a used column was missing. */
  readonly droppedRows: number;
  readonly response: Response;
  readonly fixed: FixedEffects;
  readonly random: readonly RandomTerm[];
  /**
   * Family parameters with their own linear predictor (the zero part's --zi '~ x'): their model
   * matrices on the kept rows (models/families/formula-layout.ts) and their random terms (`random`:
   * `--zi '~ mined + (1|site)'`, terms labelled `zi_Intercept`); empty or absent: one value per parameter.
   */
  readonly paramFormulas?: readonly DesignParamFormula[];
  /** Offset per row (sum of every offset() term), or null. */
  readonly offset: Float64Array | null;
  /** Factor levels per grouping factor name, for model.groups in summary.json. */
  readonly groups: Readonly<Record<string, number>>;
  /**
   * 0-based index into the input DataFrame of each kept row (length nobs); add 1 for the data row
   * number users see (row 1 = first row after the CSV header). Added by src/design/design.ts.
   */
  readonly rows?: Int32Array;
  /**
   * Levels (R's order, after dropping rows) of every factor column the formula uses, so that a reference
   * grid (LS means, Type III tests) can be built from the design alone. Added by src/design/design.ts.
   */
  readonly factorLevels?: Readonly<Record<string, readonly string[]>>;
  /**
   * Notes about the design for the user, one line each (aliased columns dropped, as lme4's
   * "fixed-effect model matrix is rank deficient so dropping ..."; a gaussian grouping factor with
   * as many levels as rows). Added by src/design/design.ts.
   */
  readonly warnings?: readonly string[];
}
