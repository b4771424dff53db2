/**
 * A generated LLaMA-shaped model as the page hands it to the worker: dropped files as Blobs.
 */
import { type ModelFiles, readAll } from '../../src/core/onnx/files';
import { LLAMA_PRESETS, type LlamaShape, llamaModelFiles } from '../../src/core/synth';
import type { ModelFileInput } from '../../workers/studio/api';
import { StudioService } from '../../workers/studio/service';
import { MemoryStatsCache } from '../../workers/studio/statsCache';
import type { StudioServiceOptions } from '../../workers/studio/service';
import { testEngine } from '../helpers/fixtures';

export async function droppedFiles(files: ModelFiles, folder: string): Promise<ModelFileInput[]> {
  return Promise.all(files.list().map(async (path) => ({ path: `${folder}/${path}`, file: new Blob([(await readAll(files.get(path)!)) as Uint8Array<ArrayBuffer>]) })));
}

/** Returns the tiny preset with embedded weights as a dropped folder named `tiny`. */
export function tinyModelInput(shape: LlamaShape = LLAMA_PRESETS.tiny): Promise<ModelFileInput[]> {
  return droppedFiles(llamaModelFiles(shape, { seed: 3 }), 'tiny');
}

export function newService(options?: StudioServiceOptions): StudioService {
  return new StudioService(async () => testEngine(), (engine) => ({ name: engine.name, reason: engine.reason, backend: 'node', threads: 1, crossOriginIsolated: false }), new MemoryStatsCache(), options);
}
