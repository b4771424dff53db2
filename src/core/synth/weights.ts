/**
 * Weight data for generated models, one tensor at a time, and a lazy tensor map that
 * `writeOnnxModel` reads from so that no more than one tensor exists in memory at once.
 */
import { GpruneError } from '../errors';
import { DataType, float32ToBytes } from '../onnx/dtype';
import type { WeightSpec } from './graphBuilder';
import { fillUniform, tensorSeed } from './random';

/** Generates the little-endian bytes of one weight; the same seed and name give the same bytes. */
export function generateWeightBytes(spec: WeightSpec, seed: number): Uint8Array {
  const count = spec.dims.reduce((a, b) => a * b, 1);
  const values = new Float32Array(count);
  if (spec.init.kind === 'ones') values.fill(1);
  else fillUniform(values, tensorSeed(seed, spec.name), spec.init.std);
  if (spec.dataType === DataType.FLOAT) return new Uint8Array(values.buffer);
  if (spec.dataType === DataType.FLOAT16) return float32ToBytes(values, DataType.FLOAT16);
  throw new GpruneError('UNSUPPORTED_DTYPE', `generateWeightBytes: ${spec.name} has element type ${spec.dataType}; the generator writes float32 and float16.`);
}

/**
 * A read-only map from initializer name to bytes that generates each tensor when it is
 * read. Nothing is cached, so every `get` generates the tensor again and the caller decides
 * how long the bytes live.
 */
export class GeneratedTensors implements ReadonlyMap<string, Uint8Array> {
  private readonly specs: Map<string, WeightSpec>;

  constructor(
    specs: readonly WeightSpec[],
    private readonly seed: number,
  ) {
    this.specs = new Map(specs.map((s) => [s.name, s]));
  }

  get size(): number {
    return this.specs.size;
  }

  get(name: string): Uint8Array | undefined {
    const spec = this.specs.get(name);
    return spec && generateWeightBytes(spec, this.seed);
  }

  has(name: string): boolean {
    return this.specs.has(name);
  }

  forEach(callback: (value: Uint8Array, key: string, map: ReadonlyMap<string, Uint8Array>) => void): void {
    for (const [name, bytes] of this.entries()) callback(bytes, name, this);
  }

  *entries(): MapIterator<[string, Uint8Array]> {
    for (const name of this.specs.keys()) yield [name, this.get(name)!];
  }

  keys(): MapIterator<string> {
    return this.specs.keys();
  }

  *values(): MapIterator<Uint8Array> {
    for (const [, bytes] of this.entries()) yield bytes;
  }

  [Symbol.iterator](): MapIterator<[string, Uint8Array]> {
    return this.entries();
  }
}
