export type { Extent, Viewport } from './viewport';
export { MIN_VISIBLE_CELLS, cellAt, clampViewport, fullViewport, panViewport, zoomViewport } from './viewport';
export type { NeuronMatrix, NeuronOrder } from './neuronMatrix';
export { neuronOrder, packNeuronMatrix } from './neuronMatrix';
export type { KeptSetOverlap, SpearmanMatrix } from './agreement';
export { keptSetOverlap, spearmanMatrix } from './agreement';
export type { ModuleShape } from './moduleKeeps';
export { estimatePrunedBytes, keepCountsWithOverrides, keptFfnParameters } from './moduleKeeps';
