/**
 * A plain-data description of a loaded model (no functions, no protobuf objects), so it can
 * cross a worker boundary by structured clone and be printed by the CLI as JSON.
 */
import type { FfnKind } from '../anatomy/types';
import { elementSize } from '../onnx/dtype';
import { externalLocation, isExternal } from '../onnx/model';
import { tensorElements } from '../onnx/tensor';
import type { LoadedModel } from '../run/loaded';

export interface ModelSummary {
  /** Folder or file name the model was opened from. */
  label: string;
  /** Path of the .onnx file inside the folder. */
  modelFile: string;
  /** config.json `architectures[0]`, else `model_type`, else 'unknown'. */
  architecture: string;
  opset: number;
  kvCache: boolean;
  vocabSize?: number;
  parameters: { total: number; ffn: number };
  layers: { layer: number; kind: FfnKind; activation: string[]; neurons: number; hidden: number }[];
  /** Every file of the folder with its size in bytes. */
  files: { path: string; bytes: number }[];
  /** Bytes of initializer data, embedded and external. */
  weightBytes: number;
  /** Bytes of the largest initializer (it bounds the memory a streaming export needs). */
  largestTensorBytes: number;
  /** External data files the model references. */
  externalDataFiles: string[];
}

export function summarizeModel(loaded: LoadedModel): ModelSummary {
  const { model, anatomy, config } = loaded;
  let weightBytes = 0;
  let largestTensorBytes = 0;
  const external = new Set<string>();
  for (const tensor of model.proto.graph!.initializer) {
    const bytes = tensorElements(tensor) * (elementSize(tensor.dataType) ?? 0);
    weightBytes += bytes;
    largestTensorBytes = Math.max(largestTensorBytes, bytes);
    if (isExternal(tensor)) external.add(externalLocation(model, tensor).path);
  }
  let architecture = 'unknown';
  const architectures = config?.architectures;
  if (Array.isArray(architectures) && typeof architectures[0] === 'string') architecture = architectures[0];
  else if (typeof config?.model_type === 'string') architecture = config.model_type;
  return {
    label: model.files.label,
    modelFile: model.path,
    architecture,
    opset: anatomy.opset,
    kvCache: anatomy.hasKvCache,
    vocabSize: anatomy.vocabSize,
    parameters: { total: anatomy.totalParameters, ffn: anatomy.ffnParameters },
    layers: anatomy.ffn.map((b) => ({ layer: b.layer, kind: b.kind, activation: [...b.activation], neurons: b.width, hidden: b.hidden })),
    files: model.files.list().map((path) => ({ path, bytes: model.files.get(path)!.size })),
    weightBytes,
    largestTensorBytes,
    externalDataFiles: [...external],
  };
}
