/**
 * The studio's model work, in the order of the CLI's prune command: open the model and
 * its tokenizer, add datasets, profile, plan, estimate losses through masks, learn module
 * sparsity, evaluate variants, export. The worker exposes it through comlink; tests call
 * it directly with onnxruntime-node.
 */
import { type InspectedModel, inspectModel, loadTokenizerFiles } from '../../src/core/api';
import type { TextTokenizer } from '../../src/core/data/tokenizer';
import type { Engine } from '../../src/core/engine';
import { GpruneError } from '../../src/core/errors';
import type { FileSink } from '../../src/core/onnx/files';
import type { CalibrationConfig } from '../../src/core/pipeline/calibration';
import type { NllResult } from '../../src/core/eval/perplexity';
import { summarizeWeights } from '../../src/core/profile/weights';
import { masksForKeepCounts } from '../../src/core/prune/search/problem';
import type { LayerWeightSummary } from '../../src/core/prune/types';
import { type PruneSettings, validatePruneSettings } from '../../src/core/session/pruneSettings';
import type { DatasetStats } from '../../src/core/stats/types';
import { createCompensator } from '../../src/core/surgery/compensation';
import { browserModelFiles, fetchModelFiles } from '../../src/runtime/browserFiles';
import { directorySink } from '../../src/runtime/directorySink';
import { type ArchiveStore, ZipSink } from '../../src/runtime/zipSink';
import { buildAnalysis } from './analysis';
import type { DatasetInput, DatasetSummary, EngineInfo, EvalRequest, EvalResult, TaskEvalRequest, TaskEvalResult, TaskFileInput, TaskFileSummary, ExportRequest, ExportResult, LearnResult, LossEstimate, ModelInput, ModelSummary, PlanResult, ProfileEstimate, ProfileRequest, ProfileSummary, ProgressCallback, StudioApi, VariantInput } from './api';
import { type SessionDataset, pickDatasets, readDataset } from './datasets';
import { evaluateVariants, type Variant } from './evaluation';
import { exportPruned } from './exporter';
import { evaluateTaskFiles, readTaskFile, summarizeTaskFile } from './zeroShot';
import { JobRegistry, throttleProgress } from './jobs';
import { type Compensator, maskOverrides, maskedNll } from './maskedLoss';
import { studioSummary } from './modelSummary';
import { loadedModelFingerprint } from '../../src/core/session/statsFile';
import { type BuiltPlan, buildPlan, methodLabel } from './planning';
import { pooledMeanActivation } from '../../src/core/stats/meanActivation';
import { deviceLimits, estimateProfile } from './profileEstimate';
import { profileDatasets } from './profiling';
import { learnModuleSparsity } from './learning';
import { ModelSessions } from './sessions';
import type { StatsCache } from './statsCache';

interface OpenModel {
  inspected: InspectedModel;
  tokenizer: TextTokenizer;
  summary: ModelSummary;
  weights: LayerWeightSummary[];
  sessions: ModelSessions;
  /** Revokes the blob: URLs of the model's external data. */
  release(): void;
}

/** Browser-only parts of the service; tests in Node leave them out. */
export interface StudioServiceOptions {
  /** Hand external data to the engine as blob: URLs rather than Blobs (see browserModelFiles). */
  objectUrls: boolean;
  /** Opens a store for a ZIP archive (OPFS in the worker); null or absent keeps it in memory. */
  openArchive?: (name: string) => Promise<ArchiveStore | null>;
}

interface Profiled {
  stats: DatasetStats[];
  calibration: CalibrationConfig;
  heldOut: Int32Array[];
  protocol: string;
}

interface HeldOut {
  windows: Int32Array[];
  batchSize: number;
  protocol: string;
}

interface CurrentPlan {
  settings: PruneSettings;
  built: BuiltPlan;
  means: Float64Array[] | undefined;
  compensator: Compensator;
}

export class StudioService implements StudioApi {
  private model: OpenModel | null = null;
  private readonly datasets = new Map<string, SessionDataset>();
  private profiled: Profiled | null = null;
  private current: CurrentPlan | null = null;
  private readonly variants = new Map<string, Variant>();
  private readonly jobs = new JobRegistry();
  private enginePromise: Promise<Engine> | null = null;

  constructor(
    private readonly createEngine: () => Promise<Engine>,
    private readonly describeEngine: (engine: Engine) => EngineInfo,
    private readonly cache: StatsCache,
    private readonly options: StudioServiceOptions = { objectUrls: false },
  ) {}

  private engineOnce(): Promise<Engine> {
    this.enginePromise ??= this.createEngine();
    return this.enginePromise;
  }

  async engine(): Promise<EngineInfo> {
    return this.describeEngine(await this.engineOnce());
  }

  async openModel(input: ModelInput, jobId: number): Promise<ModelSummary> {
    return this.jobs.run(jobId, async () => {
      const dropped = input.kind === 'files' ? browserModelFiles(input.label, input.files, { objectUrls: this.options.objectUrls }) : null;
      const files = dropped ?? (await fetchModelFiles((input as Extract<ModelInput, { kind: 'url' }>).baseUrl, input.label));
      const release = () => dropped?.release();
      try {
        const inspected = await inspectModel(files);
        const tokenizer = await loadTokenizerFiles(files, inspected);
        const [fingerprint, weights, engine] = await Promise.all([loadedModelFingerprint(inspected), summarizeWeights(inspected), this.engine()]);

        await this.model?.sessions.releaseAll();
        this.model?.release();
        this.profiled = null;
        this.current = null;
        this.variants.clear();
        const summary = studioSummary(inspected, tokenizer, fingerprint, engine, input.label, input.kind === 'url' && input.demo);
        this.model = { inspected, tokenizer, summary, weights, sessions: new ModelSessions(() => this.engineOnce(), inspected), release };
        return summary;
      } catch (error) {
        release();
        throw error;
      }
    });
  }

  async addDataset(input: DatasetInput): Promise<DatasetSummary> {
    const entry = await readDataset(input);
    this.datasets.set(input.id, entry);
    return entry.summary;
  }

  async removeDataset(id: string): Promise<void> {
    this.datasets.delete(id);
  }

  async estimateProfile(request: ProfileRequest): Promise<ProfileEstimate> {
    const model = this.requireModel();
    return estimateProfile(model.inspected, request, await deviceLimits(model.summary.engine), model.summary.engine.threads);
  }

  async profile(request: ProfileRequest, jobId: number, onProgress?: ProgressCallback): Promise<ProfileSummary> {
    const model = this.requireModel();
    const datasets = pickDatasets(this.datasets, request.datasets);
    return this.jobs.run(jobId, async (signal) => {
      const result = await profileDatasets({ model: model.inspected, tokenizer: model.tokenizer, sessions: model.sessions, fingerprint: model.summary.fingerprint, cache: this.cache }, datasets, request.calibration, signal, throttleProgress(onProgress));
      this.profiled = { stats: result.stats, calibration: request.calibration, heldOut: result.heldOut, protocol: result.summary.protocol };
      this.current = null;
      return result.summary;
    });
  }

  async plan(settings: PruneSettings): Promise<PlanResult> {
    const model = this.requireModel();
    validatePruneSettings(settings);
    const stats = this.profiled?.stats ?? [];
    const built = buildPlan(settings, model.weights, stats);
    const means = built.plan.biasCompensation ? pooledMeanActivation(stats) : undefined;
    if (built.plan.biasCompensation && !means) {
      throw new GpruneError('INVALID_CONFIG', 'Bias compensation needs activation statistics: profile calibration datasets first, or turn bias compensation off.');
    }
    const compensator = means ? await createCompensator(model.inspected.model, model.inspected.anatomy.ffn, means) : null;
    this.current = { settings, built, means, compensator };

    const { plan } = built;
    const keepRatio = plan.parameters.before ? plan.parameters.after / plan.parameters.before : 1;
    return {
      method: methodLabel(plan),
      biasCompensation: plan.biasCompensation,
      ffnParametersBefore: plan.parameters.before,
      ffnParametersAfter: plan.parameters.after,
      keepCounts: plan.keepCounts,
      modules: built.modules,
      moduleKeepCounts: [...built.problem.prior],
      minPerLayer: settings.minPerLayer,
      analysis: stats.length ? buildAnalysis(settings, model.weights, stats, built.gprune, keepRatio) : null,
      warnings: built.warnings,
    };
  }

  async estimateLoss(moduleKeepCounts: number[], jobId: number): Promise<LossEstimate> {
    const model = this.requireModel();
    const current = this.requirePlan();
    const heldOut = this.requireHeldOut();
    return this.jobs.run(jobId, async (signal) => {
      const started = performance.now();
      const masks = masksForKeepCounts(current.built.problem, moduleKeepCounts);
      const result = await this.heldOutNll(model, current, heldOut, masks, signal);
      const kept = current.built.problem.modules.reduce((sum, m, i) => sum + moduleKeepCounts[i] * m.paramsPerNeuron, 0);
      return { loss: result.nll, perplexity: result.perplexity, tokens: result.tokens, ffnParametersAfter: kept, seconds: (performance.now() - started) / 1000, protocol: heldOut.protocol };
    });
  }

  async learn(evaluations: number, jobId: number, onProgress?: ProgressCallback): Promise<LearnResult> {
    const model = this.requireModel();
    const current = this.requirePlan();
    const heldOut = this.requireHeldOut();
    return this.jobs.run(jobId, (signal) =>
      learnModuleSparsity(current.built.problem, evaluations, current.settings.seed, signal, throttleProgress(onProgress), async (masks, lossSignal) => (await this.heldOutNll(model, current, heldOut, masks, lossSignal)).nll),
    );
  }

  async saveVariant(variant: VariantInput): Promise<void> {
    const current = this.requirePlan();
    const masks = masksForKeepCounts(current.built.problem, variant.moduleKeepCounts);
    this.variants.set(variant.id, { id: variant.id, label: variant.label, overrides: maskOverrides(masks, current.compensator) });
  }

  async evaluate(request: EvalRequest, jobId: number, onProgress?: ProgressCallback): Promise<EvalResult> {
    const model = this.requireModel();
    const datasets = pickDatasets(this.datasets, request.datasets).map((entry) => entry.dataset);
    const variants = this.pickVariants(request.variants);
    return this.jobs.run(jobId, (signal) =>
      evaluateVariants({ model: model.inspected, tokenizer: model.tokenizer, sessions: model.sessions }, datasets, variants, request, signal, throttleProgress(onProgress)),
    );
  }

  async inspectTask(input: TaskFileInput, limit: number): Promise<TaskFileSummary> {
    return summarizeTaskFile(input, await readTaskFile(input, limit));
  }

  async evaluateTasks(request: TaskEvalRequest, jobId: number, onProgress?: ProgressCallback): Promise<TaskEvalResult> {
    const model = this.requireModel();
    const variants = this.pickVariants(request.variants);
    return this.jobs.run(jobId, (signal) =>
      evaluateTaskFiles({ model: model.inspected, tokenizer: model.tokenizer, sessions: model.sessions }, variants, request, signal, throttleProgress(onProgress)),
    );
  }

  async exportZip(request: ExportRequest, jobId: number, onProgress?: ProgressCallback): Promise<ExportResult> {
    const store = (await this.options.openArchive?.(`${request.folder || 'export'}-${Date.now()}.zip`)) ?? undefined;
    const sink = new ZipSink(request.folder ? `${request.folder}/` : '', store);
    const result = await this.exportWith(sink, request, jobId, onProgress).catch(async (error: unknown) => {
      // exportPruned aborts the sink on failures while writing; this covers failures before the first write.
      await sink.abort();
      throw error;
    });
    return { ...result, zip: await sink.archive() };
  }

  async exportToDirectory(folder: FileSystemDirectoryHandle, request: ExportRequest, jobId: number, onProgress?: ProgressCallback): Promise<ExportResult> {
    return { ...(await this.exportWith(directorySink(folder), request, jobId, onProgress)), zip: null };
  }

  async cancel(jobId: number): Promise<void> {
    this.jobs.cancel(jobId);
  }

  private async exportWith(sink: FileSink, request: ExportRequest, jobId: number, onProgress?: ProgressCallback): Promise<Omit<ExportResult, 'zip'>> {
    const model = this.requireModel();
    const current = this.requirePlan();
    const masks = masksForKeepCounts(current.built.problem, request.moduleKeepCounts);
    const stats = this.profiled?.stats ?? [];
    return this.jobs.run(jobId, (signal) =>
      exportPruned(
        {
          loaded: model.inspected,
          label: model.summary.label,
          fingerprint: model.summary.fingerprint,
          plan: current.built.plan,
          masks,
          moduleKeepCounts: request.moduleKeepCounts,
          meanActivation: current.means,
          calibration: this.profiled && { datasets: stats.map((s) => s.dataset), tokens: Object.fromEntries(stats.map((s) => [s.dataset, s.tokens])), protocol: this.profiled.protocol },
          session: request.session,
        },
        sink,
        signal,
        throttleProgress(onProgress),
      ),
    );
  }

  /** Returns the held-out NLL of a candidate's keep-masks with the plan's compensation biases. The live estimate and the search share it. */
  private heldOutNll(model: OpenModel, current: CurrentPlan, heldOut: HeldOut, masks: Uint8Array[], signal: AbortSignal): Promise<NllResult> {
    return maskedNll(model.sessions, model.inspected, heldOut.windows, { overrides: maskOverrides(masks, current.compensator), batchSize: heldOut.batchSize, signal });
  }

  /** Resolves variant ids; 'dense' is the unpruned model. */
  private pickVariants(ids: readonly string[]): Variant[] {
    return ids.map((id): Variant => {
      if (id === 'dense') return { id, label: 'dense', overrides: undefined };
      const variant = this.variants.get(id);
      if (!variant) throw new GpruneError('INVALID_ARGUMENT', `Variant ${id} is not saved in this session. Save it in the Adjust panel first.`);
      return variant;
    });
  }

  private requireModel(): OpenModel {
    if (!this.model) throw new GpruneError('INVALID_ARGUMENT', 'No model is loaded. Load a model or the demo model first.');
    return this.model;
  }

  private requirePlan(): CurrentPlan {
    if (!this.current) throw new GpruneError('INVALID_ARGUMENT', 'No pruning plan exists yet. Choose the sparsity and method in the Adjust panel first.');
    return this.current;
  }

  private requireHeldOut(): HeldOut {
    const profiled = this.profiled;
    if (!profiled || profiled.heldOut.length === 0) {
      throw new GpruneError('INVALID_ARGUMENT', 'The loss estimate needs held-out calibration windows: profile calibration datasets with a held-out share above 0 and at least one held-out window.');
    }
    const { calibration } = profiled;
    const protocol = `mean next-token NLL over ${profiled.heldOut.length} held-out windows (the last ${Math.round(calibration.heldOutFraction * 100)}% of each calibration dataset, never profiled), through keep-masks on the instrumented graph`;
    return { windows: profiled.heldOut, batchSize: calibration.batchSize, protocol };
  }
}
