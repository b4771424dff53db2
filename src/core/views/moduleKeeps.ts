/**
 * Keep counts after the user's per-module overrides, and the model size they give. The UI
 * computes these on every slider move, before the worker measures the loss.
 */
import type { ModuleOverride } from '../session/pruneSettings';

/** One module as the sliders see it. */
export interface ModuleShape {
  /** FFN layer index. */
  layer: number;
  /** Module id within the layer. */
  module: number;
  /** Neurons in the module. */
  size: number;
  /** Parameters removed with one neuron of the module's layer. */
  paramsPerNeuron: number;
}

/**
 * Replaces the keep count of every overridden module by round(keepRatio · size), then
 * raises each layer that falls below `minPerLayer` neurons (or its width, when narrower)
 * by adding neurons to its modules with the most room. Overrides naming no module are ignored.
 */
export function keepCountsWithOverrides(modules: readonly ModuleShape[], base: readonly number[], overrides: readonly ModuleOverride[], minPerLayer: number): number[] {
  const counts = [...base];
  const index = new Map(modules.map((m, i) => [`${m.layer}:${m.module}`, i]));
  for (const override of overrides) {
    const m = index.get(`${override.layer}:${override.module}`);
    if (m === undefined) continue;
    counts[m] = Math.min(modules[m].size, Math.max(0, Math.round(override.keepRatio * modules[m].size)));
  }

  const byLayer = new Map<number, number[]>();
  modules.forEach((m, i) => byLayer.set(m.layer, [...(byLayer.get(m.layer) ?? []), i]));
  for (const members of byLayer.values()) {
    const width = members.reduce((sum, m) => sum + modules[m].size, 0);
    let kept = members.reduce((sum, m) => sum + counts[m], 0);
    while (kept < Math.min(minPerLayer, width)) {
      const roomiest = members.reduce((best, m) => (modules[m].size - counts[m] > modules[best].size - counts[best] ? m : best), members[0]);
      counts[roomiest]++;
      kept++;
    }
  }
  return counts;
}

/** FFN parameters kept by the given module keep counts. */
export function keptFfnParameters(modules: readonly ModuleShape[], counts: readonly number[]): number {
  return modules.reduce((sum, m, i) => sum + counts[i] * m.paramsPerNeuron, 0);
}

/**
 * Estimated size in bytes of the pruned model files: the dense size minus the removed
 * parameters at `bytesPerParameter` (4 for float32). An estimate, because the protobuf
 * framing and any added compensation biases change the size by a few hundred bytes.
 */
export function estimatePrunedBytes(denseBytes: number, removedParameters: number, bytesPerParameter: number): number {
  return Math.max(0, denseBytes - removedParameters * bytesPerParameter);
}
