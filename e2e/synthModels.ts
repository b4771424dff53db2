/**
 * LLaMA-shaped models of random weights with external data, written for one test into a
 * temporary folder and removed after it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type LlamaShape, writeLlamaModel } from '../src/core/synth';
import { nodeFolderSink } from '../src/runtime/nodeFiles';

/** A generated model folder: its path, the files written and the size of its largest weight. */
export interface SynthModel {
  dir: string;
  files: { path: string; bytes: number }[];
  weightBytes: number;
  largestTensorBytes: number;
}

/** Bytes of the largest float32 weight of `shape`: the token embedding or the LM head (vocab × hidden), or an FFN matrix. */
export function largestTensorBytes(shape: LlamaShape): number {
  return 4 * Math.max(shape.vocab * shape.hidden, shape.hidden * shape.intermediate, shape.hidden * shape.heads * shape.headDim);
}

export async function makeTempDir(prefix: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `gprune-e2e-${prefix}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Writes `shape` with random weights into `dir`, external data split into `chunkBytes` files. */
export async function writeSynthModel(dir: string, shape: LlamaShape, chunkBytes: number): Promise<SynthModel> {
  const result = await writeLlamaModel(shape, { seed: 1 }, await nodeFolderSink(dir), { chunkBytes });
  return { dir, files: result.files, weightBytes: result.weightBytes, largestTensorBytes: largestTensorBytes(shape) };
}
