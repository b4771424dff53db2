/**
 * Per-layer neuron values packed into one layer × neuron matrix for the heatmaps. Layers
 * may have different widths after pruning, so short rows are padded with NaN.
 */

export interface NeuronMatrix {
  /** Layers. */
  rows: number;
  /** Widest layer's neurons. */
  cols: number;
  /** Row-major [rows × cols]; NaN where a layer has no neuron. */
  values: Float32Array;
  /** Neuron index shown in each column of each row: order[row][col]. */
  order: Int32Array[];
}

/** How the neurons of each layer are laid out along the columns. */
export type NeuronOrder = 'index' | 'descending';

/**
 * Column order of each layer: neuron index order, or descending by `key` (ties by index),
 * so layers sorted by one key line up for every dataset drawn with the same order.
 */
export function neuronOrder(key: readonly ArrayLike<number>[], mode: NeuronOrder): Int32Array[] {
  return key.map((values) => {
    const order = new Int32Array(values.length).map((_, j) => j);
    if (mode === 'descending') order.sort((a, b) => values[b] - values[a] || a - b);
    return order;
  });
}

/** Packs `layers[l][j]` into a matrix whose row l shows the neurons in `order[l]` (index order by default). */
export function packNeuronMatrix(layers: readonly ArrayLike<number>[], order: readonly Int32Array[] = neuronOrder(layers, 'index')): NeuronMatrix {
  const rows = layers.length;
  const cols = layers.reduce((widest, layer) => Math.max(widest, layer.length), 0);
  const values = new Float32Array(rows * cols).fill(Number.NaN);
  layers.forEach((layer, l) => {
    const layerOrder = order[l];
    for (let c = 0; c < layer.length; c++) values[l * cols + c] = layer[layerOrder[c]];
  });
  return { rows, cols, values, order: order.map((o) => o) };
}
