/**
 * The bundled example data sets (examples/data/, copied beside the app by web/build.mjs) with the model
 * each is used with in examples/data/PROVENANCE.md.
 */
import type { FamilyName } from '../../models/families/types.js';

/** An example: its CSV file and the model PROVENANCE.md lists for it. */
export interface Example {
  readonly file: string;
  readonly title: string;
  readonly formula: string;
  readonly family: FamilyName;
  readonly factors: readonly string[];
}

export const EXAMPLES: readonly Example[] = [
  { file: 'rcbd.csv', title: 'RCBD counts · Poisson', formula: 'count ~ trt + (1|block) + (1|block:trt)', family: 'poisson', factors: ['trt', 'block'] },
  { file: 'beitler_landis_1985.csv', title: 'Beitler & Landis clinics · binomial', formula: 'cbind(x, n - x) ~ t + (1|clinic) + (1|clinic:t)', family: 'binomial', factors: ['t', 'clinic'] },
  { file: 'lme4_cbpp.csv', title: "lme4's cbpp · binomial", formula: 'cbind(incidence, size - incidence) ~ period + (1|herd)', family: 'binomial', factors: ['period', 'herd'] },
  { file: 'bugs_seeds.csv', title: 'WinBUGS Seeds · binomial', formula: 'cbind(r, n - r) ~ x1*x2 + (1|plate)', family: 'binomial', factors: ['plate'] },
  { file: 'sim_lots_visible.csv', title: 'Lots, random slopes · Poisson', formula: 'count ~ amount + (amount|lot) + (1|sample)', family: 'poisson', factors: ['lot', 'sample'] },
  { file: 'glmmTMB_Salamanders.csv', title: "Salamanders · negative binomial", formula: 'count ~ mined + spp + (1|site)', family: 'negbinomial', factors: ['mined', 'spp', 'site'] },
  { file: 'ordinal_wine.csv', title: 'Wine bitterness ratings · cumulative (ordinal)', formula: 'rating ~ temp + contact + (1|judge)', family: 'cumulative', factors: ['judge'] },
  { file: 'brms_epilepsy.csv', title: 'Epilepsy visits, AR(1) · Poisson', formula: 'count ~ zAge + zBase * Trt + ar1(visit + 0 | patient)', family: 'poisson', factors: ['Trt', 'patient', 'visit'] },
];
