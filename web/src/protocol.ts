/**
 * Messages between the page (app.ts) and the fitting worker (worker.ts). Draws cross as plain
 * objects whose Float64Arrays are transferred, not copied.
 */
import type { Draws } from '../../diagnostics/draws.js';
import type { FamilyName, LinkName } from '../../models/families/types.js';
import type { SummaryJson } from '../../src/report/schema.js';
import type { PosteriorPredictive } from '../../src/report/plots/ppc.js';

/** tfjs backends the app offers (wasm by default; webgpu only where the browser has navigator.gpu). */
export type BackendChoice = 'wasm' | 'webgl' | 'webgpu' | 'cpu';

/** A fit as the form describes it: the `glmm fit` flags (undefined = the default of SAMPLER_DEFAULTS, as the CLI). */
export interface RunRequest {
  readonly csv: string;
  readonly formula: string;
  readonly family: FamilyName;
  readonly link?: LinkName;
  readonly factors: readonly string[];
  /** The categories of an ordinal response, lowest first (`--levels`); undefined: integers 1..K. */
  readonly levels?: readonly string[];
  /** The zero part's one-sided formula (`--zi`, e.g. '~ mined'); undefined: one zi/hu. */
  readonly zi?: string;
  readonly priors: readonly string[];
  readonly sampler: 'chees' | 'nuts';
  readonly chains?: number;
  readonly warmup?: number;
  readonly draws?: number;
  readonly seed: number;
  readonly adaptDelta?: number;
  /** NUTS only (sent only when NUTS is chosen). */
  readonly maxTreedepth?: number;
  readonly metric?: 'diag' | 'dense';
  readonly init?: 'laplace' | 'random';
  readonly backend: BackendChoice;
  /** Milliseconds between live snapshots (default 500). */
  readonly liveMs?: number;
}

/** What the live view shows while the sampler runs. */
export interface LiveSnapshot {
  readonly warmup: boolean;
  /** Iterations done (ChEES: per chain; NUTS: summed over chains) and the total (ChEES warmup: the maximum). */
  readonly done: number;
  readonly total: number;
  /** Which draws the table and densities use, e.g. "draws 1–40 of 256 chains". */
  readonly window: string;
  /** summary.json of the window's draws beside the Laplace answer (sampler null). */
  readonly summary: SummaryJson;
  /** Constrained draws of the first chains over every iteration of the phase so far (trace plots). */
  readonly trace: Draws;
  /** Constrained draws of the window (densities). */
  readonly density: Draws;
  readonly seconds: number;
}

/** The page → the worker. */
export type ToWorker =
  | { readonly type: 'run'; readonly request: RunRequest }
  | { readonly type: 'stop' }
  | { readonly type: 'draws' };

/** The finished fit as renderReport takes it. */
export interface FinalReport {
  readonly summary: SummaryJson;
  readonly draws: Draws;
  readonly ppc: PosteriorPredictive;
}

/** The worker → the page. */
export type FromWorker =
  | { readonly type: 'ready'; readonly backends: readonly BackendChoice[] }
  | { readonly type: 'laplace'; readonly summary: SummaryJson; readonly seconds: number }
  | { readonly type: 'backend'; readonly backend: string }
  | { readonly type: 'progress'; readonly warmup: boolean; readonly done: number; readonly total: number; readonly seconds: number }
  | { readonly type: 'live'; readonly snapshot: LiveSnapshot }
  | { readonly type: 'done'; readonly report: FinalReport | null; readonly laplaceSummary: SummaryJson | null; readonly stopped: boolean; readonly seconds: number; readonly message?: string }
  | { readonly type: 'draws'; readonly name: string; readonly bytes: Uint8Array }
  | { readonly type: 'error'; readonly message: string };
