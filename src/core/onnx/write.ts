/**
 * Writing an ONNX model: the protobuf plus its weights, embedded or streamed into external
 * data files one tensor at a time, so peak memory stays near the largest tensor.
 */
import { clearField, clone, create, toBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema, StringStringEntryProtoSchema, TensorProtoSchema, type ModelProto, type TensorProto, TensorProto_DataLocation } from 'onnx-buf';
import { GpruneError } from '../errors';
import type { FileSink } from './files';
import { MAX_PROTOBUF_BYTES, type OnnxModel } from './model';
import { readTensorBytes, tensorByteLength } from './tensor';

export interface WriteOptions {
  /**
   * Weight placement: `keep` each tensor where the input had it, `embed` all in the
   * .onnx file, `external` all tensors of at least `sizeThreshold` bytes in data files.
   * @defaultValue 'keep'
   */
  weights: 'keep' | 'embed' | 'external';
  /** Maximum bytes per external data file; more data is split into `_1`, `_2`, … chunks. @defaultValue 2 GiB − 1 */
  chunkBytes: number;
  /** With `external`, smaller tensors stay embedded (bytes). @defaultValue 1024 */
  sizeThreshold: number;
  /** Path of the written .onnx file relative to the sink root. @defaultValue the input's path */
  path?: string;
}

/** New data of an initializer: its bytes, or a function that produces them when the writer reaches it. */
export type TensorBytes = Uint8Array | (() => Promise<Uint8Array>);

export const DEFAULT_WRITE_OPTIONS: WriteOptions = { weights: 'keep', chunkBytes: 2 ** 31 - 1, sizeThreshold: 1024 };

/** Files and bytes a write produced, for reports and size checks. */
export interface WriteResult {
  /** Every written file with its size in bytes. */
  files: { path: string; bytes: number }[];
  /** Bytes of initializer data written (embedded and external). */
  weightBytes: number;
}

/**
 * Writes `proto` (a possibly edited copy of `source.proto`) to `sink`. The data of each
 * initializer comes from `replaced` when present, else from the source model's files.
 */
export async function writeOnnxModel(
  source: OnnxModel,
  proto: ModelProto,
  sink: FileSink,
  replaced: ReadonlyMap<string, TensorBytes> = new Map(),
  options: Partial<WriteOptions> = {},
): Promise<WriteResult> {
  const opts = { ...DEFAULT_WRITE_OPTIONS, ...options };
  const out = clone(ModelProtoSchema, proto);
  const modelPath = opts.path ?? source.path;
  const slash = modelPath.lastIndexOf('/');
  const dir = slash < 0 ? '' : modelPath.slice(0, slash + 1);
  const baseName = modelPath.slice(slash + 1);
  const chunks: { name: string; bytes: number }[] = [];
  let weightBytes = 0;
  const originals = new Map(proto.graph!.initializer.map((t) => [t.name, t]));

  try {
    for (const tensor of out.graph!.initializer) {
      const original = originals.get(tensor.name) ?? tensor;
      // Lazy replacements are produced one at a time, so only one tensor is in memory.
      const given = replaced.get(tensor.name);
      const bytes = given === undefined ? await readTensorBytes(source, original) : typeof given === 'function' ? await given() : given;
      if (bytes.byteLength !== tensorByteLength(tensor)) {
        throw new GpruneError('INVALID_ARGUMENT', `writeOnnxModel: ${tensor.name} has ${bytes.byteLength} bytes for shape [${tensor.dims}].`);
      }
      weightBytes += bytes.byteLength;
      const external = opts.weights === 'external' ? bytes.byteLength >= opts.sizeThreshold : opts.weights === 'keep' && original.dataLocation === TensorProto_DataLocation.EXTERNAL;
      if (!external) {
        setEmbedded(tensor, bytes);
        continue;
      }
      let chunk = chunks[chunks.length - 1];
      if (!chunk || (chunk.bytes > 0 && chunk.bytes + bytes.byteLength > opts.chunkBytes)) {
        chunk = { name: chunks.length === 0 ? `${baseName}_data` : `${baseName}_data_${chunks.length}`, bytes: 0 };
        chunks.push(chunk);
      }
      setExternal(tensor, chunk.name, chunk.bytes, bytes.byteLength);
      await sink.write(dir + chunk.name, bytes);
      chunk.bytes += bytes.byteLength;
    }

    const encoded = toBinary(ModelProtoSchema, out, { writeUnknownFields: true });
    if (encoded.byteLength > MAX_PROTOBUF_BYTES) {
      throw new GpruneError('ONNX_TOO_LARGE', `The written model would be ${encoded.byteLength} bytes, over the 2 GiB protobuf limit. Write the weights as external data.`);
    }
    await sink.write(modelPath, encoded);
    await sink.finish?.();
    return { files: [...chunks.map((c) => ({ path: dir + c.name, bytes: c.bytes })), { path: modelPath, bytes: encoded.byteLength }], weightBytes };
  } catch (error) {
    await sink.abort?.();
    throw error;
  }
}

// onnx.proto is proto2, so a field assigned its default value is still written. Clearing
// (rather than assigning empty or DEFAULT) keeps a read → write round trip equal to its input.
function clearData(tensor: TensorProto): void {
  tensor.floatData = [];
  tensor.int32Data = [];
  tensor.int64Data = [];
  tensor.doubleData = [];
  tensor.uint64Data = [];
  clearField(tensor, TensorProtoSchema.field.rawData);
  clearField(tensor, TensorProtoSchema.field.dataLocation);
  tensor.externalData = [];
}

function setEmbedded(tensor: TensorProto, bytes: Uint8Array): void {
  clearData(tensor);
  tensor.rawData = bytes as Uint8Array<ArrayBuffer>;
}

function setExternal(tensor: TensorProto, location: string, offset: number, length: number): void {
  clearData(tensor);
  tensor.dataLocation = TensorProto_DataLocation.EXTERNAL;
  tensor.externalData = [
    create(StringStringEntryProtoSchema, { key: 'location', value: location }),
    create(StringStringEntryProtoSchema, { key: 'offset', value: String(offset) }),
    create(StringStringEntryProtoSchema, { key: 'length', value: String(length) }),
  ];
}
