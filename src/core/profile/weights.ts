/**
 * Weight-only facts per FFN layer that the metrics need: the norm and mean |w| of each
 * neuron's down-projection weights, and the parameters a neuron carries.
 */
import { paramsPerNeuron } from '../anatomy/analyze';
import type { LoadedModel } from '../run/loaded';
import { findInitializer, readFloat32 } from '../onnx/tensor';
import type { LayerWeightSummary } from '../prune/types';

export async function summarizeWeights(loaded: LoadedModel): Promise<LayerWeightSummary[]> {
  const out: LayerWeightSummary[] = [];
  for (const block of loaded.anatomy.ffn) {
    const w = await readFloat32(loaded.model, findInitializer(loaded.model, block.down.initializer));
    const cols = block.down.dims[1];
    const downNorm = new Float64Array(block.width);
    const downMeanAbs = new Float64Array(block.width);
    for (let j = 0; j < block.width; j++) {
      let sq = 0;
      let abs = 0;
      for (let d = 0; d < block.hidden; d++) {
        // W_down is [F, hidden] (neuron axis 0) or [hidden, F] (neuron axis 1).
        const v = block.down.neuronAxis === 0 ? w[j * cols + d] : w[d * cols + j];
        sq += v * v;
        abs += Math.abs(v);
      }
      downNorm[j] = Math.sqrt(sq);
      downMeanAbs[j] = abs / block.hidden;
    }
    out.push({ width: block.width, paramsPerNeuron: paramsPerNeuron(block), downNorm, downMeanAbs });
  }
  return out;
}
