/**
 * Generated models for benchmarks, written once into a cache folder under the system
 * temporary directory and reused by later runs.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type LlamaModelOptions, presetShape, writeLlamaModel } from '../../src/core/synth';
import { nodeFolderSink } from '../../src/runtime/nodeFiles';

/** Folder of the cached generated model; generates it first when missing. */
export async function generatedModel(shapeName: string, options: Partial<LlamaModelOptions> = {}): Promise<string> {
  const { kvCache = false, dataType = 'float32', seed = 0 } = options;
  const dir = path.join(os.tmpdir(), 'gprune-bench', `${shapeName}-${dataType}${kvCache ? '-kv' : ''}-seed${seed}`);
  if (existsSync(path.join(dir, 'onnx/model.onnx'))) return dir;
  const started = performance.now();
  console.error(`generating ${shapeName} (${dataType}${kvCache ? ', KV cache' : ''}) into ${dir} …`);
  await writeLlamaModel(presetShape(shapeName), { ...options, kvCache, dataType, seed }, await nodeFolderSink(dir, { overwrite: true }));
  console.error(`generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return dir;
}

/** Returns the model path given on the command line, else the generated model of `--shape`, else `fallback`. */
export async function modelFromArgs(positional: string | undefined, shape: string | undefined, fallback: string): Promise<string> {
  if (positional) return positional;
  if (shape) return generatedModel(shape);
  return fallback;
}
