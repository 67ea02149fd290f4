/** Every family's tfjs twin by name: the one place the autograd engine keys a family (ARCHITECTURE.md "How to add a family"). */
import type { FamilyName } from '../../../models/families/types.js';
import type { TfjsFamily } from './types.js';
import { poissonTfjs } from './poisson.js';
import { binomialTfjs } from './binomial.js';
import { negbinomialTfjs } from './negbinomial.js';
import { gaussianTfjs } from './gaussian.js';
import { gammaTfjs } from './gamma.js';
import { lognormalTfjs } from './lognormal.js';
import { betaTfjs } from './beta.js';
import { betabinomialTfjs } from './betabinomial.js';
import { studentTfjs } from './student.js';
import { zeroModifiedTfjs } from './zero-modified.js';
import { cumulativeTfjs } from './cumulative.js';

export const TFJS_FAMILIES: Readonly<Record<FamilyName, TfjsFamily>> = {
  poisson: poissonTfjs,
  binomial: binomialTfjs,
  bernoulli: binomialTfjs,
  negbinomial: negbinomialTfjs,
  gaussian: gaussianTfjs,
  gamma: gammaTfjs,
  lognormal: lognormalTfjs,
  beta: betaTfjs,
  betabinomial: betabinomialTfjs,
  student: studentTfjs,
  zipoisson: zeroModifiedTfjs('zi', false),
  zinegbinomial: zeroModifiedTfjs('zi', true),
  hurdle_poisson: zeroModifiedTfjs('hu', false),
  hurdle_negbinomial: zeroModifiedTfjs('hu', true),
  cumulative: cumulativeTfjs,
};
