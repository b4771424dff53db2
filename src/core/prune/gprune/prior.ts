import type { PriorId } from './config';
import type { LayerModules } from './partitionModules';

/**
 * Step 6 (prior): the starting keep count of every module, `[layer][module]` in neurons.
 *
 * - `inherit`: each module keeps as many of its neurons as the base method's own masks
 *   keep, so the total equals the base method's budget exactly and, with K = 1, each
 *   layer keeps exactly what the base method keeps.
 * - `proportional`: each module keeps its layer's base keep ratio. The layer's base keep
 *   count is split by largest remainder (ties to the lower module id), so layer totals
 *   stay exact. Reconstruction.
 */
export function modulePrior(prior: PriorId, modules: readonly LayerModules[], baseMasks: readonly Uint8Array[]): number[][] {
  switch (prior) {
    case 'inherit':
      return inheritPrior(modules, baseMasks);
    case 'proportional':
      return proportionalPrior(modules, baseMasks);
  }
}

function inheritPrior(modules: readonly LayerModules[], baseMasks: readonly Uint8Array[]): number[][] {
  return modules.map(({ assignment, count }, l) => {
    const keep = new Array<number>(count).fill(0);
    assignment.forEach((module, j) => {
      if (baseMasks[l][j] !== 0) keep[module]++;
    });
    return keep;
  });
}

function proportionalPrior(modules: readonly LayerModules[], baseMasks: readonly Uint8Array[]): number[][] {
  return modules.map(({ assignment, count }, l) => {
    const width = assignment.length;
    const layerKeep = baseMasks[l].reduce((kept, entry) => kept + (entry !== 0 ? 1 : 0), 0);
    const sizes = new Array<number>(count).fill(0);
    assignment.forEach((module) => sizes[module]++);

    const ideal = sizes.map((size) => (width === 0 ? 0 : (layerKeep * size) / width));
    const keep = ideal.map(Math.floor);
    let missing = layerKeep - keep.reduce((sum, value) => sum + value, 0);
    const byRemainder = ideal.map((_, k) => k).sort((a, b) => ideal[b] - keep[b] - (ideal[a] - keep[a]) || a - b);
    for (const k of byRemainder) {
      if (missing === 0) break;
      if (keep[k] >= sizes[k]) continue;
      keep[k]++;
      missing--;
    }
    return keep;
  });
}
