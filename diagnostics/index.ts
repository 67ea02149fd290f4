/** The diagnostics folder's public API (re-exports only). Reads draws, knows nothing of models. */
export type { Draws } from './draws.js';
export { parameterMatrix } from './draws.js';
export { autocovariance } from './fft.js';
export { rhat, rhatBasic, rhatParts, rhatCore, type RhatParts } from './rhat.js';
export { essBasic, essMean, essBulk, essTail, essQuantile, essMedian, essSd, essCore } from './ess.js';
export { mcseMean, mcseSd, mcseQuantile, mcseMedian } from './mcse.js';
export { quantile, quantileSorted } from './quantile.js';
export { summarizeDraws, summarizeVariable, median, mad, sd, hdi, type VariableSummary } from './summary.js';
export { ebfmi, ebfmiPerChain } from './ebfmi.js';
export { rhatNested, rhatNestedDraws, superchainsOf, nestedRhatThreshold } from './nested-rhat.js';
export { samplerWarnings, RHAT_THRESHOLD, EBFMI_THRESHOLD, type WarningInput } from './warnings.js';
export { readCmdStanCsv, writeCmdStanCsv, csvHeaderNames, formatNumber, type CmdStanChain } from './cmdstan-csv.js';
export { combineChains, splitByChainColumn, isSamplerColumn, chainToCmdStanCsv, type CmdStanDraws } from './cmdstan-chains.js';
export { splitChains, zScale, fold } from './transforms.js';
