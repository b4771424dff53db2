/**
 * Models of the browser benchmarks: the studio's demo model and a generated decoder of
 * SmolLM2-135M's layer shape with fewer layers and a smaller vocabulary, so that its
 * weights (about 100 MB in float32) load into a browser tab quickly. Both are laid out in
 * one temporary folder that the page server exposes under /bench-files/.
 */
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type LlamaShape, countParameters, presetShape, writeLlamaModel } from '../../../src/core/synth';
import { nodeFolderSink } from '../../../src/runtime/nodeFiles';
import { DEMO_DIR } from '../../../e2e/demoModel';

export interface BenchModel {
  /** Short name in the tables. */
  name: string;
  /** Folder on disk, for onnxruntime-node. */
  dir: string;
  /** URL path of the folder on the page server, ending with '/'. */
  urlPath: string;
}

export interface BenchModels {
  root: string;
  models: BenchModel[];
  remove(): Promise<void>;
}

/** SmolLM2-135M's hidden size, FFN width and heads, with `layers` layers and a `vocab`-token vocabulary. */
export function reducedSmolLm2(layers: number, vocab: number): LlamaShape {
  return { ...presetShape('smollm2-135m'), name: `smollm2-135m-${layers}l-${vocab}v`, layers, vocab };
}

/** Lays out the demo model and, when `generated` is given, a freshly generated model (seed 0) in a temporary folder. */
export async function prepareModels(generated: LlamaShape | null): Promise<BenchModels> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'gprune-bench-models-'));
  const models: BenchModel[] = [];
  await symlink(DEMO_DIR, path.join(root, 'demo'), 'dir');
  models.push({ name: `demo (${path.relative(process.cwd(), DEMO_DIR)})`, dir: path.join(root, 'demo'), urlPath: '/bench-files/demo/' });
  if (generated) {
    const started = performance.now();
    const dir = path.join(root, 'generated');
    await writeLlamaModel(generated, { seed: 0 }, await nodeFolderSink(dir));
    console.error(`generated ${generated.name} (${(countParameters(generated) / 1e6).toFixed(1)}M parameters) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    models.push({ name: `generated ${generated.name}`, dir, urlPath: '/bench-files/generated/' });
  }
  return { root, models, remove: () => rm(root, { recursive: true, force: true }) };
}
