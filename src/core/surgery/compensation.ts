/**
 * FLAP bias compensation: when neurons P are removed, their mean contribution
 * Σ_{j∈P} W_down[j, :] · mean(x_j) is added to the layer's output bias, so the expected
 * output over the calibration data stays the same.
 */
import type { FfnBlock } from '../anatomy/types';
import { GpruneError } from '../errors';
import type { OnnxModel } from '../onnx/model';
import { findInitializer, readFloat32 } from '../onnx/tensor';

/** Returns the bias [hidden] to add to the down projection's output of one layer. */
export async function compensationBias(model: OnnxModel, block: FfnBlock, keep: ArrayLike<number>, meanActivation: ArrayLike<number>): Promise<Float32Array> {
  if (meanActivation.length !== block.width || keep.length !== block.width) {
    throw new GpruneError('STATS_MISMATCH', `Layer ${block.layer}: bias compensation got ${meanActivation.length} means and ${keep.length} mask entries for ${block.width} neurons. Profile the model again.`);
  }
  const weight = await readFloat32(model, findInitializer(model, block.down.initializer));
  const [rows, cols] = block.down.dims;
  const bias = new Float64Array(block.hidden);
  for (let j = 0; j < block.width; j++) {
    if (keep[j]) continue;
    const mean = meanActivation[j];
    if (mean === 0) continue;
    for (let d = 0; d < block.hidden; d++) {
      // W_down is [F, hidden] (neuron axis 0) or [hidden, F] (neuron axis 1).
      bias[d] += (block.down.neuronAxis === 0 ? weight[j * cols + d] : weight[d * cols + j]) * mean;
    }
  }
  void rows;
  return Float32Array.from(bias);
}
