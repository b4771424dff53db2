/**
 * A model ready to run: parsed protobuf, anatomy, config.json facts, and sessions built from
 * instrumented copies of the graph.
 */
import { toBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema, type ModelProto } from 'onnx-buf';
import { analyzeModel } from '../anatomy/analyze';
import type { ModelAnatomy } from '../anatomy/types';
import type { Engine, ExternalDataRef, SessionHandle } from '../engine';
import { GpruneError } from '../errors';
import { type ModelFiles, dirname, joinPath, readAll } from '../onnx/files';
import { type OnnxModel, externalLocation, isExternal, readOnnxModel } from '../onnx/model';
import { type InstrumentOptions, instrumentModel } from '../surgery/instrument';
import type { KvShape } from './feeds';

export interface LoadedModel {
  model: OnnxModel;
  anatomy: ModelAnatomy;
  /** Parsed config.json, when the folder has one. */
  config?: Record<string, unknown>;
  kv?: KvShape;
}

/** Reads a JSON file of the model folder, or undefined when absent; names the file when invalid. */
export async function readJsonFile(files: ModelFiles, path: string): Promise<Record<string, unknown> | undefined> {
  const source = files.get(path);
  if (!source) return undefined;
  const text = new TextDecoder().decode(await readAll(source));
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (cause) {
    throw new GpruneError('INVALID_ARGUMENT', `${files.label}/${path} is not valid JSON (${(cause as Error).message}). Restore the original file.`, { cause });
  }
}

export async function loadModel(files: ModelFiles, modelPath?: string): Promise<LoadedModel> {
  const model = await readOnnxModel(files, modelPath);
  const anatomy = analyzeModel(model);
  const config = (await readJsonFile(files, 'config.json')) ?? (await readJsonFile(files, joinPath(dirname(model.path), 'config.json')));
  let kv: KvShape | undefined;
  if (config) {
    const heads = Number(config.num_key_value_heads ?? config.num_attention_heads);
    const hidden = Number(config.hidden_size);
    const headDim = Number(config.head_dim ?? hidden / Number(config.num_attention_heads));
    if (Number.isFinite(heads) && Number.isFinite(headDim)) kv = { heads, headDim };
  }
  return { model, anatomy, config, kv };
}

/** External data files the model references, as onnxruntime wants them. */
export async function externalDataRefs(model: OnnxModel): Promise<ExternalDataRef[]> {
  const seen = new Map<string, ExternalDataRef>();
  const base = dirname(model.path);
  for (const tensor of model.proto.graph!.initializer) {
    if (!isExternal(tensor)) continue;
    const location = externalLocation(model, tensor);
    if (seen.has(location.path)) continue;
    const source = model.files.get(location.path)!;
    const relative = base ? location.path.slice(base.length + 1) : location.path;
    seen.set(location.path, { path: relative, data: source.native ?? (await readAll(source)) });
  }
  return [...seen.values()];
}

/** Creates a session of the model's graph as it is, or instrumented with `instrument`. */
export async function createSession(engine: Engine, loaded: LoadedModel, instrument?: Partial<InstrumentOptions>, proto?: ModelProto): Promise<SessionHandle> {
  const graph = proto ?? loaded.model.proto;
  const final = instrument ? instrumentModel(graph, loaded.anatomy, instrument) : graph;
  return engine.createSession(toBinary(ModelProtoSchema, final), await externalDataRefs(loaded.model));
}
