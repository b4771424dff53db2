/**
 * The studio worker's API: a handful of async methods over serialisable data. The page
 * calls it through comlink; tests call `StudioService` directly.
 */
import type { FitProblem, MemoryEstimate } from '../../src/core/estimate';
import type { CalibrationConfig } from '../../src/core/pipeline/calibration';
import type { PruneSettings } from '../../src/core/session/pruneSettings';

/** The engine running the model, as the UI shows it. */
export interface EngineInfo {
  name: string;
  reason: string;
  /** 'webgpu', 'wasm', or 'node' in tests. */
  backend: string;
  threads: number;
  crossOriginIsolated: boolean;
}

/** A dropped or picked file and its path relative to the dropped folder. */
export interface ModelFileInput {
  path: string;
  file: Blob;
}

export type ModelInput =
  | { kind: 'files'; label: string; files: ModelFileInput[] }
  /** A model folder served with the app; `baseUrl` ends with '/'. */
  | { kind: 'url'; label: string; baseUrl: string; demo: boolean };

export interface ModelSummary {
  label: string;
  demo: boolean;
  /** SHA-256 hex of the .onnx bytes and the external data sizes (the CLI's `modelFingerprint`). */
  fingerprint: string;
  /** Path of the .onnx file inside the folder. */
  modelPath: string;
  /** `model_type` or `architectures[0]` from config.json, else 'unknown'. */
  architecture: string;
  layers: number;
  ffnKind: string;
  /** FFN neurons per layer. */
  ffnWidths: number[];
  hidden: number;
  parameters: number;
  ffnParameters: number;
  /** Bytes of the .onnx file and its external data. */
  modelBytes: number;
  /** Bytes per FFN weight element (4 for float32, 2 for float16). */
  bytesPerParameter: number;
  hasKvCache: boolean;
  files: { path: string; bytes: number }[];
  tokenizer: { vocabSize: number; bos: boolean };
  engine: EngineInfo;
}

export interface DatasetInput {
  /** Built-in id or the dropped file's name; unique within the session. */
  id: string;
  builtin: boolean;
  file: Blob;
}

export interface DatasetSummary {
  id: string;
  builtin: boolean;
  format: string;
  documents: number;
  bytes: number;
  /** SHA-256 hex of the file. */
  sha256: string;
  warnings: string[];
}

/** Progress of a long job, one event per step; `done`/`total` are in `unit`. */
export interface JobProgress {
  phase: 'load' | 'profile' | 'search' | 'eval' | 'tasks' | 'export';
  done: number;
  total: number;
  unit: 'tokens' | 'evaluations' | 'bytes' | 'files' | 'items';
  /** Current item of work, e.g. "code-calib (2 of 4)". */
  detail: string;
  /** Search only: best loss so far and the prior's loss, in nats per token. */
  bestLoss?: number;
  priorLoss?: number;
}

export type ProgressCallback = (event: JobProgress) => void;

export interface ProfileRequest {
  /** Calibration dataset ids, in order. */
  datasets: string[];
  calibration: CalibrationConfig;
}

/** What a profile of the current settings will need, computed from the model's shapes before it runs. */
export interface ProfileEstimate {
  /** Profiled windows (samples per dataset times datasets), their length and the batch size. */
  windows: number;
  seqlen: number;
  batchSize: number;
  tokens: number;
  /** The device the estimate was checked against: 'wasm', 'webgpu' or 'onnxruntime-node'. */
  device: string;
  memory: MemoryEstimate;
  /** Estimated seconds of the forward passes at the guessed throughput (session creation not included). */
  seconds: number;
  /** FLOP/s the time estimate assumes. */
  throughput: number;
  /** What will not fit the device; empty when the run fits. */
  problems: FitProblem[];
  /** The largest batch size up to `batchSize` that fits; 0 when even one window does not. */
  fittingBatchSize: number;
  largestTensorBytes: number;
}

export interface ProfileSummary {
  datasets: { id: string; tokens: number; cached: boolean }[];
  seconds: number;
  protocol: string;
}

/** One module as the sliders and the module table show it (for baselines, one per layer). */
export interface ModuleInfo {
  layer: number;
  module: number;
  size: number;
  paramsPerNeuron: number;
  /** Keep count of the plan before any search, in neurons. */
  priorKeep: number;
  /** GPrune only: mean σ, mean μ, mean m, reliability and the scoring source's label. */
  meanSigma?: number;
  meanMu?: number;
  meanMagnitude?: number;
  reliable?: boolean;
  source?: string;
}

/**
 * Per-neuron arrays behind the views, per layer (bulk data: the page keeps it outside its
 * store). Present when statistics exist.
 */
export interface AnalysisData {
  datasets: string[];
  metric: string;
  /** [dataset][layer]: the base metric S_d per neuron. */
  scores: Float32Array[][];
  /** [dataset][layer]: percentile rank r_d within the layer, 1 = most important. */
  ranks: Float32Array[][];
  /** [layer]: σ, μ and m per neuron. */
  sigma: Float32Array[];
  mu: Float32Array[];
  magnitude: Float32Array[];
  /** [layer]: module id per neuron. */
  module: Int32Array[];
  /** [layer][module]: reliability and scoring-source label. */
  moduleReliable: boolean[][];
  moduleSource: string[][];
  /** [dataset][dataset] mean over layers, and [layer][dataset][dataset]. */
  spearman: number[][];
  spearmanPerLayer: number[][][];
  /** Kept-set overlap at the plan's mean keep ratio: dataset pairs and [layer][pair]. */
  overlapPairs: [number, number][];
  overlapPerLayer: number[][];
  overlapKeepRatio: number;
}

export interface PlanResult {
  /** Short label such as "gprune(flap, K=4)". */
  method: string;
  biasCompensation: boolean;
  ffnParametersBefore: number;
  /** FFN parameters the plan keeps. */
  ffnParametersAfter: number;
  /** Neurons kept per layer. */
  keepCounts: number[];
  modules: ModuleInfo[];
  /** Keep count per module, in `modules` order. */
  moduleKeepCounts: number[];
  minPerLayer: number;
  analysis: AnalysisData | null;
  /** Warnings to show (one dataset only, and so on). */
  warnings: string[];
}

export interface LossEstimate {
  /** Mean next-token NLL on the held-out calibration windows, nats per token. */
  loss: number;
  perplexity: number;
  tokens: number;
  /** FFN parameters the masks keep. */
  ffnParametersAfter: number;
  seconds: number;
  protocol: string;
}

export interface LearnResult {
  moduleKeepCounts: number[];
  priorLoss: number;
  loss: number;
  evaluations: number;
  stopReason: string;
  /** Best loss after each evaluation. */
  bestLossHistory: number[];
}

export interface VariantInput {
  id: string;
  label: string;
  moduleKeepCounts: number[];
}

export interface EvalRequest {
  datasets: string[];
  seqlen: number;
  maxWindows: number;
  /** Variant ids; 'dense' is the unpruned model. */
  variants: string[];
  batchSize: number;
}

export interface EvalRow {
  variant: string;
  label: string;
  dataset: string;
  nll: number;
  perplexity: number;
  tokens: number;
}

export interface EvalResult {
  rows: EvalRow[];
  /** Window protocol per dataset. */
  protocol: Record<string, string>;
  method: string;
}

/** A dropped zero-shot task file and the task whose template reads it. */
export interface TaskFileInput {
  /** Task id or alias from the catalog (arc_easy, hellaswag, ...), or any name for LLM Foundry files. */
  task: string;
  /** File name; `.txt` selects HellaSwag's six-line text layout. Named in error messages. */
  file: string;
  data: Blob;
}

/** What a task file contains, read before scoring it. */
export interface TaskFileSummary {
  task: string;
  file: string;
  /** Items after the limit. */
  items: number;
  kind: 'choice' | 'lambada';
  shape: string;
  warnings: string[];
}

export interface TaskEvalRequest {
  tasks: TaskFileInput[];
  /** Items scored per task (the first ones of each file). */
  limit: number;
  /** Variant ids; 'dense' is the unpruned model. */
  variants: string[];
  /** Rows (one per choice) per onnxruntime run. */
  batchSize: number;
}

export interface TaskScoreRow {
  variant: string;
  label: string;
  /** Task id as scored (the catalog id, or the given name for LLM Foundry files). */
  task: string;
  file: string;
  items: number;
  acc: number;
  accStderr: number;
  /** Null for LAMBADA-style tasks. */
  accNorm: number | null;
  accNormStderr: number | null;
  /** LAMBADA-style tasks only. */
  perplexity: number | null;
  strategy: string;
}

export interface TaskEvalResult {
  rows: TaskScoreRow[];
  /** Protocol line per task, as scoreTask states it. */
  protocol: Record<string, string>;
  method: string;
}

export interface ExportRequest {
  moduleKeepCounts: number[];
  /** Folder name inside the archive, e.g. "demo-pruned". */
  folder: string;
  /** Free-form facts recorded in the report (settings, share link). */
  session: Record<string, unknown>;
}

export interface ExportResult {
  /** The archive (zip exports) or null (folder exports). */
  zip: Blob | null;
  files: { path: string; bytes: number }[];
  modelBytesBefore: number;
  modelBytesAfter: number;
  parametersBefore: number;
  parametersAfter: number;
  widths: number[];
}

export interface StudioApi {
  engine(): Promise<EngineInfo>;
  openModel(input: ModelInput, jobId: number, onProgress?: ProgressCallback): Promise<ModelSummary>;
  addDataset(input: DatasetInput): Promise<DatasetSummary>;
  removeDataset(id: string): Promise<void>;
  estimateProfile(request: ProfileRequest): Promise<ProfileEstimate>;
  profile(request: ProfileRequest, jobId: number, onProgress?: ProgressCallback): Promise<ProfileSummary>;
  plan(settings: PruneSettings): Promise<PlanResult>;
  estimateLoss(moduleKeepCounts: number[], jobId: number): Promise<LossEstimate>;
  learn(evaluations: number, jobId: number, onProgress?: ProgressCallback): Promise<LearnResult>;
  saveVariant(variant: VariantInput): Promise<void>;
  evaluate(request: EvalRequest, jobId: number, onProgress?: ProgressCallback): Promise<EvalResult>;
  /** Parses a task file without scoring it; raises the parser's error naming the file. */
  inspectTask(input: TaskFileInput, limit: number): Promise<TaskFileSummary>;
  evaluateTasks(request: TaskEvalRequest, jobId: number, onProgress?: ProgressCallback): Promise<TaskEvalResult>;
  exportZip(request: ExportRequest, jobId: number, onProgress?: ProgressCallback): Promise<ExportResult>;
  exportToDirectory(folder: FileSystemDirectoryHandle, request: ExportRequest, jobId: number, onProgress?: ProgressCallback): Promise<ExportResult>;
  cancel(jobId: number): Promise<void>;
}
