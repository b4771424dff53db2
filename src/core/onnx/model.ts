/**
 * Reading an ONNX model: the protobuf (ONNX 1.20 schema, unknown fields kept) plus lazy
 * access to its weights, embedded or in external data files.
 */
import { fromBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema, type ModelProto, type TensorProto, TensorProto_DataLocation } from 'onnx-buf';
import { GpruneError } from '../errors';
import { elementSize } from './dtype';
import { type ByteSource, type ModelFiles, dirname, joinPath, normalizePath, readAll } from './files';

/** Protobuf messages over 2 GiB cannot be parsed by any runtime; weights must be external then. */
export const MAX_PROTOBUF_BYTES = 2 ** 31 - 1;

/** Location of one external initializer's bytes. */
export interface ExternalLocation {
  /** Path of the data file relative to the model folder. */
  path: string;
  offset: number;
  length: number;
}

/** A parsed model and the folder it came from. */
export interface OnnxModel {
  readonly proto: ModelProto;
  /** Path of the .onnx file relative to the folder. */
  readonly path: string;
  readonly files: ModelFiles;
  /** Size of the .onnx file in bytes. */
  readonly protoBytes: number;
}

/** Finds the model file of a folder: `onnx/model.onnx` (onnx-community layout), else the only .onnx. */
export function findModelPath(files: ModelFiles, preferred?: string): string {
  const all = files.list();
  if (preferred) {
    const path = normalizePath(preferred);
    if (!files.get(path)) throw new GpruneError('MODEL_FILE_NOT_FOUND', `${files.label}: ${preferred} not found. Files present: ${all.slice(0, 12).join(', ') || 'none'}.`);
    return path;
  }
  const onnx = all.filter((p) => p.toLowerCase().endsWith('.onnx'));
  for (const candidate of ['onnx/model.onnx', 'model.onnx', 'onnx/decoder_model_merged.onnx', 'decoder_model_merged.onnx', 'onnx/decoder_model.onnx', 'decoder_model.onnx']) {
    if (onnx.includes(candidate)) return candidate;
  }
  if (onnx.length === 1) return onnx[0];
  if (onnx.length === 0) throw new GpruneError('MODEL_FILE_NOT_FOUND', `${files.label} contains no .onnx file. Give a folder with onnx/model.onnx or the path of an .onnx file.`);
  throw new GpruneError('MODEL_FILE_NOT_FOUND', `${files.label} contains several .onnx files (${onnx.join(', ')}); name the one to use.`);
}

/**
 * Parses the .onnx protobuf and checks that every external data reference stays inside the
 * folder, names a file that exists and fits in it. Weights are not read here.
 */
export async function readOnnxModel(files: ModelFiles, modelPath?: string): Promise<OnnxModel> {
  const path = findModelPath(files, modelPath);
  const source = files.get(path)!;
  if (source.size > MAX_PROTOBUF_BYTES) {
    throw new GpruneError('ONNX_TOO_LARGE', `${path} is ${source.size} bytes; a protobuf over 2 GiB cannot be parsed. Export the model with its weights as external data (.onnx_data).`);
  }
  if (source.size === 0) throw new GpruneError('ONNX_PARSE_FAILED', `${path} is empty (0 bytes). Download or export the model again.`);
  const bytes = await readAll(source);
  const proto = parseModelProto(bytes, path);
  const model: OnnxModel = { proto, path, files, protoBytes: source.size };
  for (const tensor of proto.graph!.initializer) {
    if (isExternal(tensor)) checkExternal(model, tensor);
    checkDeclaredSize(model, tensor);
  }
  return model;
}

/**
 * Rejects an initializer whose shape does not match the bytes it stores (raw_data or the
 * external length), so a corrupt shape is reported on opening and never sizes a buffer.
 * Typed fields (float_data, …) and types without a byte size are checked where they are read.
 */
function checkDeclaredSize(model: OnnxModel, tensor: TensorProto): void {
  const size = elementSize(tensor.dataType);
  if (size === undefined) return;
  const expected = tensor.dims.reduce((product, d) => product * Number(d), size);
  const shape = `[${tensor.dims.join(', ')}]`;
  if (tensor.dims.some((d) => d < 0n) || !Number.isSafeInteger(expected)) {
    throw new GpruneError('ONNX_PARSE_FAILED', `${model.path}: initializer ${tensor.name} declares the shape ${shape}, which no tensor can have; the file is corrupt. Download or export the model again.`);
  }
  if (isExternal(tensor)) {
    const { path, length } = externalLocation(model, tensor);
    if (length !== expected) {
      throw new GpruneError('EXTERNAL_DATA_TRUNCATED', `${model.path}: initializer ${tensor.name} of shape ${shape} needs ${expected} bytes, but its data in ${path} is ${length} bytes long. Export the model again.`);
    }
  } else if (tensor.rawData.byteLength > 0 && tensor.rawData.byteLength !== expected) {
    throw new GpruneError('ONNX_PARSE_FAILED', `${model.path}: initializer ${tensor.name} of shape ${shape} needs ${expected} bytes, but it stores ${tensor.rawData.byteLength}; the file is corrupt. Download or export the model again.`);
  }
}

/** Decodes ModelProto bytes with the ONNX 1.20 schema, keeping unknown fields. */
export function parseModelProto(bytes: Uint8Array, label: string): ModelProto {
  let proto: ModelProto;
  try {
    proto = fromBinary(ModelProtoSchema, bytes, { readUnknownFields: true });
  } catch (cause) {
    const looksText = bytes.byteLength > 0 && bytes.subarray(0, 64).every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127));
    const hint = looksText ? 'it looks like a text file, not an ONNX protobuf' : 'the file is truncated or not an ONNX protobuf';
    throw new GpruneError('ONNX_PARSE_FAILED', `${label} could not be parsed as ONNX (${hint}: ${(cause as Error).message}). Download or export the model again.`, { cause });
  }
  if (!proto.graph || (proto.graph.node.length === 0 && proto.graph.output.length === 0) || proto.irVersion === 0n) {
    throw new GpruneError('ONNX_NOT_A_MODEL', `${label} parsed, but it contains no ONNX graph (ir_version ${proto.irVersion}, ${proto.graph?.node.length ?? 0} nodes). Check that this is an .onnx model file.`);
  }
  // opset_import is the last field exporters write, so a file cut right after the graph still parses without it.
  if (proto.opsetImport.length === 0) {
    throw new GpruneError('ONNX_PARSE_FAILED', `${label} declares no operator set (opset_import is empty), so the file is truncated or was not written by an ONNX exporter. Download or export the model again.`);
  }
  return proto;
}

export function isExternal(tensor: TensorProto): boolean {
  return tensor.dataLocation === TensorProto_DataLocation.EXTERNAL;
}

/** Resolves and validates the external data location of a tensor. */
export function externalLocation(model: OnnxModel, tensor: TensorProto): ExternalLocation {
  const entries = new Map(tensor.externalData.map((e) => [e.key, e.value]));
  const location = entries.get('location');
  if (!location) throw new GpruneError('EXTERNAL_DATA_MISSING', `${model.path}: initializer ${tensor.name} is marked external but has no location. Export the model again.`);
  if (location.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(location) || location.startsWith('\\')) {
    throw new GpruneError('EXTERNAL_DATA_OUTSIDE_FOLDER', `${model.path}: initializer ${tensor.name} points at the absolute path "${location}"; external data must be a file inside the model folder. Re-export with a relative location.`);
  }
  const parts = normalizePath(location).split('/');
  if (parts.includes('..')) {
    throw new GpruneError('EXTERNAL_DATA_OUTSIDE_FOLDER', `${model.path}: initializer ${tensor.name} points at "${location}", outside the model folder. Re-export with the data file beside the model.`);
  }
  const offset = parseInteger(entries.get('offset') ?? '0', model, tensor, 'offset');
  const path = joinPath(dirname(model.path), parts.join('/'));
  const length = entries.has('length') ? parseInteger(entries.get('length')!, model, tensor, 'length') : (model.files.get(path)?.size ?? 0) - offset;
  return { path, offset, length };
}

function parseInteger(text: string, model: OnnxModel, tensor: TensorProto, key: string): number {
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new GpruneError('EXTERNAL_DATA_MISSING', `${model.path}: initializer ${tensor.name} has an invalid external ${key} "${text}". Export the model again.`);
  }
  return Number(text);
}

function checkExternal(model: OnnxModel, tensor: TensorProto): void {
  const location = externalLocation(model, tensor);
  const file = model.files.get(location.path);
  if (!file) {
    throw new GpruneError('EXTERNAL_DATA_MISSING', `${model.path}: external data file ${location.path} (initializer ${tensor.name}) is missing. Add it beside the model; models with many weights keep them in .onnx_data files.`, { details: { file: location.path } });
  }
  if (location.offset + location.length > file.size) {
    throw new GpruneError('EXTERNAL_DATA_TRUNCATED', `${location.path} is ${file.size} bytes but initializer ${tensor.name} needs bytes up to ${location.offset + location.length}; the file is truncated. Download it again.`, { details: { file: location.path } });
  }
}

/** Returns the ByteSource that contains an external tensor's data. */
export function externalSource(model: OnnxModel, location: ExternalLocation): ByteSource {
  const file = model.files.get(location.path);
  if (!file) throw new GpruneError('EXTERNAL_DATA_MISSING', `External data file ${location.path} is missing from ${model.files.label}.`);
  return file;
}

/** Bytes of the .onnx file plus every external data file its initializers reference. */
export function modelFileBytes(model: OnnxModel): number {
  const paths = new Set<string>();
  for (const tensor of model.proto.graph!.initializer) if (isExternal(tensor)) paths.add(externalLocation(model, tensor).path);
  let total = model.protoBytes;
  for (const path of paths) total += model.files.get(path)?.size ?? 0;
  return total;
}
