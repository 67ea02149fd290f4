/**
 * The glmmTMB models of test/fixtures/families/zi-random.json (script zi-random.R beside it) as designs:
 * the zero formula's fixed part from `--zi`, its random terms (Design.paramFormulas[k].random) from the
 * count formula's design of the same terms (the same rows: the Salamanders data have no missing values).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCsvFile } from '../../src/data/read.js';
import { buildDesign } from '../../src/design/design.js';
import type { Design } from '../../src/design/types.js';
import type { FamilyName, FamilyParamName } from '../../models/families/types.js';
import type { ParamFormula } from '../../models/families/formula-layout.js';
import { getFamily } from '../../models/families/index.js';
import { repoRoot } from '../architecture/graph.js';

export interface Est { estimate: number; se: number }
export interface ZiRandomGolden {
  data: string; factors: string[]; formula: string; zi: string; family: FamilyName; link: string;
  laplace: {
    logLik: number; df: number; nobs: number;
    fixef: Record<string, Est>; zi_fixef: Record<string, Est>;
    varcomp: { part: 'cond' | 'zi'; group: string; terms: string; sd: number; se_log: number }[];
    family_params: { shape?: number; se_log_shape?: number } | never[];
    ranef: Record<'cond' | 'zi', Record<string, { levels: string[]; estimate: number[]; condsd: number[] }>>;
    convergence: { code: number; pdHess: boolean };
  };
}

const root = repoRoot();

/** The fixture's models by id. */
export function ziRandomGoldens(): Record<string, ZiRandomGolden> {
  return (JSON.parse(readFileSync(join(root, 'test/fixtures/families/zi-random.json'), 'utf8')) as { models: Record<string, ZiRandomGolden> }).models;
}

/** The design of a fixture model: glmmTMB's `ziformula = ~ a + (1|g)` as --zi '~ a + (1|g)' (src/design/param-formula.ts). */
export function ziRandomDesign(g: ZiRandomGolden): Design {
  const frame = readCsvFile(join(root, g.data), { factors: g.factors });
  return buildDesign(g.formula, frame, g.family, { zi: g.zi });
}
