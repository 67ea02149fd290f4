/** Output of a fit: the human table, JSON, d3 SVG plots and the self-contained report.html (re-exports only). */
export type { SummaryJson, ParameterSummary, LaplaceInterval, ParameterClass } from './schema.js';
export { SCHEMA_VERSION } from './schema.js';
export { toJson, formatFixed, formatSig, formatCount, formatRhat, formatSeconds, decimalsFor, MISSING } from './format.js';
export { formatSummaryTable, summaryTableModel, hasPosterior, tableParameters, type TableOptions } from './table.js';
export { summaryHeaderLines, laplaceFitLines } from './header.js';
export { renderTextTable, type TableModel } from './text-table.js';
export { renderReport, htmlTable, escapeHtml, CAPTIONS, type ReportInput } from './html.js';
export { tracePlot, type PanelPlotOptions } from './plots/trace.js';
export { rankPlot, rankCounts, binomialRange, type RankPlotOptions } from './plots/rank.js';
export { densityPlot, densityDomain, laplaceByName, type DensityPlotOptions } from './plots/density.js';
export { caterpillarPlot, caterpillarGroups, parseRandomEffectName, type CaterpillarGroup, type CaterpillarItem } from './plots/caterpillar.js';
export { ppcPlot, predictiveIntervals, MAX_PPC_OBS, type PosteriorPredictive } from './plots/ppc.js';
export { kde, silvermanBandwidth, type KdeOptions, type KdeResult } from './plots/kde.js';
export { PALETTE, FONT, setSvgDocument } from './plots/svg.js';
