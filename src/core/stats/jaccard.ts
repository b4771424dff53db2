import { GpruneError } from '../errors';

/**
 * Jaccard similarity |A ∩ B| / |A ∪ B| of two kept sets, a ratio in [0, 1]. A mask entry
 * other than 0 marks a kept neuron. Pass one layer's masks or all layers' masks (compared
 * as one set over the model). Two empty sets are identical and give 1.
 */
export function jaccard(maskA: Uint8Array | readonly Uint8Array[], maskB: Uint8Array | readonly Uint8Array[]): number {
  const layersA = maskA instanceof Uint8Array ? [maskA] : maskA;
  const layersB = maskB instanceof Uint8Array ? [maskB] : maskB;
  if (layersA.length !== layersB.length) {
    throw new GpruneError('INVALID_ARGUMENT', `jaccard needs masks of the same layers, got ${layersA.length} and ${layersB.length} layers`);
  }

  let intersection = 0;
  let union = 0;
  layersA.forEach((a, l) => {
    const b = layersB[l];
    if (a.length !== b.length) {
      throw new GpruneError('INVALID_ARGUMENT', `jaccard needs masks of equal width, layer ${l} has ${a.length} and ${b.length} neurons`);
    }
    for (let j = 0; j < a.length; j++) {
      const inA = a[j] !== 0;
      const inB = b[j] !== 0;
      if (inA && inB) intersection++;
      if (inA || inB) union++;
    }
  });
  return union === 0 ? 1 : intersection / union;
}
