/**
 * The model facts of the Load step: the core's summary plus the fingerprint that share
 * links and the profile cache use, the file size and the engine.
 */
import { modelFileBytes } from '../../src/core/onnx/model';
import type { InspectedModel } from '../../src/core/api';
import type { TextTokenizer } from '../../src/core/data/tokenizer';
import { elementSize } from '../../src/core/onnx/dtype';
import type { EngineInfo, ModelSummary } from './api';

/** Bytes of the .onnx file plus the external data files it references. */
export function modelBytes(inspected: InspectedModel): number {
  return modelFileBytes(inspected.model);
}

export function studioSummary(inspected: InspectedModel, tokenizer: TextTokenizer, fingerprint: string, engine: EngineInfo, label: string, demo: boolean): ModelSummary {
  const { summary, anatomy } = inspected;
  const first = anatomy.ffn[0];
  return {
    label,
    demo,
    fingerprint,
    modelPath: summary.modelFile,
    architecture: summary.architecture,
    layers: summary.layers.length,
    ffnKind: first ? `${first.kind} (${first.activation.join(' → ')})` : 'none',
    ffnWidths: summary.layers.map((layer) => layer.neurons),
    hidden: first?.hidden ?? 0,
    parameters: summary.parameters.total,
    ffnParameters: summary.parameters.ffn,
    modelBytes: modelBytes(inspected),
    bytesPerParameter: first ? (elementSize(first.down.dataType) ?? 4) : 4,
    hasKvCache: summary.kvCache,
    files: summary.files,
    tokenizer: { vocabSize: tokenizer.vocabSize, bos: tokenizer.bosId !== null },
    engine,
  };
}
