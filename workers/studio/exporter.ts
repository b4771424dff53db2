/**
 * Export of the pruned model folder: physical pruning, the report, and every file written
 * through a FileSink (a ZIP archive or a folder the user picked), with progress in bytes.
 */
import { throwIfAborted } from '../../src/core/errors';
import type { FileSink } from '../../src/core/onnx/files';
import { describeMethod, type PrunePlan } from '../../src/core/prune/baseline/plan';
import { paramsPerNeuron } from '../../src/core/anatomy/analyze';
import type { InspectedModel } from '../../src/core/api';
import { exportPrunedFolder, isWeightFile } from '../../src/core/surgery/exportFolder';
import { pruneModel, prunedLayers } from '../../src/core/surgery/prune';
import type { ExportResult, JobProgress } from './api';
import { modelBytes } from './modelSummary';

export interface ExportContext {
  loaded: InspectedModel;
  label: string;
  fingerprint: string;
  plan: PrunePlan;
  /** Keep-masks of the exported variant. */
  masks: Uint8Array[];
  moduleKeepCounts: number[];
  /** Mean activations for bias compensation; undefined exports without it. */
  meanActivation: Float64Array[] | undefined;
  calibration: { datasets: string[]; tokens: Record<string, number>; protocol: string } | null;
  session: Record<string, unknown>;
}

/** Wraps a sink to count written bytes and stop at the next write after cancellation. */
function watchedSink(sink: FileSink, total: number, signal: AbortSignal, onProgress: (event: JobProgress) => void): FileSink {
  let done = 0;
  return {
    async write(path, chunk) {
      throwIfAborted(signal);
      await sink.write(path, chunk);
      done += chunk.byteLength;
      onProgress({ phase: 'export', done: Math.min(done, total), total, unit: 'bytes', detail: path });
    },
    finish: sink.finish && (() => sink.finish!()),
    abort: sink.abort && (() => sink.abort!()),
  };
}

export async function exportPruned(context: ExportContext, sink: FileSink, signal: AbortSignal, onProgress: (event: JobProgress) => void): Promise<Omit<ExportResult, 'zip'>> {
  const { loaded, plan, masks } = context;
  const files = loaded.model.files;
  const bytesBefore = modelBytes(loaded);
  const otherBytes = files.list().filter((p) => !isWeightFile(p)).reduce((sum, p) => sum + files.get(p)!.size, 0);

  const pruned = await pruneModel(loaded, masks, { meanActivation: context.meanActivation });
  throwIfAborted(signal);
  const keptFfn = masks.reduce((sum, mask, l) => sum + kept(mask) * paramsPerNeuron(loaded.anatomy.ffn[l]), 0);
  const report = {
    tool: 'gprune-studio 0.1.0',
    model: { source: context.label, fingerprint: context.fingerprint },
    method: describeMethod(plan.method),
    plan: plan.method,
    sparsity: plan.sparsity,
    calibration: context.calibration ?? undefined,
    biasCompensation: context.meanActivation !== undefined,
    parameters: {
      ffnBefore: plan.parameters.before,
      ffnAfter: keptFfn,
      modelBefore: loaded.anatomy.totalParameters,
      modelAfter: loaded.anatomy.totalParameters - pruned.removedParameters,
    },
    layers: prunedLayers(loaded, pruned, masks),
    moduleKeepCounts: context.moduleKeepCounts,
    session: context.session,
  };

  const total = otherBytes + Math.max(1, bytesBefore - pruned.removedBytes);
  const written = await exportPrunedFolder(loaded, pruned, watchedSink(sink, total, signal, onProgress), report);
  onProgress({ phase: 'export', done: total, total, unit: 'bytes', detail: 'done' });
  const bytesAfter = written.files.filter((f) => isWeightFile(f.path)).reduce((sum, f) => sum + f.bytes, 0);
  return {
    files: written.files,
    modelBytesBefore: bytesBefore,
    modelBytesAfter: bytesAfter,
    parametersBefore: report.parameters.modelBefore,
    parametersAfter: report.parameters.modelAfter,
    widths: pruned.widths,
  };
}

function kept(mask: Uint8Array): number {
  return mask.reduce((count, v) => count + (v ? 1 : 0), 0);
}
