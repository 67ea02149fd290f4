/** Public API (re-exports only). See README.md for a tour. */
export { fit, laplaceOnly, specify, toFrame, type FitOptions, type GlmmFit, type LaplaceOnlyFit, type ModelInput, type DataInput } from './fit.js';
export {
  posteriorLinpred, posteriorEpred, posteriorPredict, laplacePredict, posteriorMeans, fittedValues, residualsOf,
  ranef, coef, VarCorr, priorSample, type Answer, type FitLike, type PredictionOptions,
} from './fit/api.js';
export { derive, means, contrasts, type Derived, type DerivedLaplace, type DeriveOptions, type ContrastRow } from './fit/quantities.js';
export { fixef, confint, summary, anova, predict, type ConfintRow, type AnovaRow, type FitWithSummary } from './fit/verbs.js';
export { SAMPLER_DEFAULTS, type SamplerOptions } from './fit/options.js';
export { saveFit, loadDraws, drawsCsvFiles, fitOutputFiles, outputText, parseDrawsTexts, type DrawsLayout, type OutputFile } from './fit/io.js';

export type { LaplaceRun } from './fit/laplace-run.js';
export { readCsv, readCsvFile, frameFromRows } from './data/read.js';
export type { DataFrame } from './data/frame.js';
export { buildDesign } from './design/design.js';
export type { Design, RandomTerm, FixedEffects } from './design/types.js';
export { parseFormula } from './formula/parser.js';
export { buildModel, type ModelSpec } from './target/parameters.js';
export { logDensity64 } from './target/logDensity64.js';
export { constrain, constrainDraws, unconstrain } from './target/constrain.js';
export type { ExtraParameter, UserTerm, CustomFamily, Constraint, ParamTensors, UserContext, DataTensors, FamilyData64 } from './logdensity/user.js';
export { fitLaplace } from './laplace/laplace.js';
export type { LaplaceFit } from './laplace/types.js';
export { fitLmm, type LmmFit } from './lmm/lmm.js';
export { anovaTable } from './lmm/anova.js';
export { lsmeans } from './lmm/lsmeans.js';
export { likelihoodRatioTest, informationCriteria } from './laplace/compare.js';
export { sampleNuts, type NutsOptions, type NutsResult } from './sampler/nuts.js';
export { sampleChees, type CheesOptions, type CheesResult } from './sampler/chees.js';
export { formatSummaryTable, toJson } from './report/table.js';
export { renderReport } from './report/html.js';
export type { SummaryJson, ParameterSummary } from './report/schema.js';
export { GlmmInputError } from '../base/errors.js';
export * as diagnostics from '../diagnostics/index.js';
export { getFamily } from '../models/families/index.js';
export { getLink } from '../models/links.js';
export { PACKAGE_VERSION } from './version.js';
export { loo, waic, logLik, compare, type LooOutput, type CompareEntry } from './loo/api.js';
export { kfold, kfoldSplitGrouped, KfoldStopped, type KfoldOptions, type KfoldResult } from './loo/kfold.js';
export { runJobs, defaultWorkers, type JobsOptions, type JobsOutcome, type JobsProgress } from './pool/pool.js';
export { jobSeed } from './pool/seed.js';
export { power, type PowerOptions, type PowerResult, type PowerRow } from './power/power.js';
export type { PowerTest } from './power/rules.js';
export type { PowerDesign, FactorDesign } from './power/design.js';
export { binomialInterval, type IntervalMethod } from './power/interval.js';
export { psisLoo, relativeEff, type LooResult, type LooOptions } from './loo/loo.js';
export { waic as waicOfMatrix, type WaicResult } from './loo/waic.js';
export { elpdCompare, type ElpdCompareRow } from './loo/compare.js';
export { compareModels, type ModelComparison } from './loo/models.js';
export { pointwiseLogLik } from './loo/loglik.js';
export { readLogLik } from './loo/read.js';
export { formatLoo, looJson, formatComparison, comparisonJson, comparisonHtml, formatKfold } from './loo/format.js';
