/**
 * How much the calibration datasets agree about neuron importance: Spearman correlation of
 * their score vectors, and the Jaccard overlap of the neurons each dataset alone would keep.
 */
import { masksFromScores } from '../prune/masks/masksFromScores';
import { jaccard } from '../stats/jaccard';
import { spearman } from '../stats/spearman';

export interface SpearmanMatrix {
  /** [dataset][dataset]: ρ averaged over the layers where it is defined (NaN when it is nowhere). */
  mean: number[][];
  /** [layer][dataset][dataset]: ρ of one layer's scores. */
  perLayer: number[][][];
}

/** Spearman ρ of every dataset pair, per layer and averaged over layers. `scores` is `[dataset][layer][neuron]`. */
export function spearmanMatrix(scores: readonly (readonly Float64Array[])[]): SpearmanMatrix {
  const datasets = scores.length;
  const layers = scores[0]?.length ?? 0;
  const perLayer: number[][][] = [];
  for (let l = 0; l < layers; l++) {
    const matrix = square(datasets, 1);
    for (let a = 0; a < datasets; a++) {
      for (let b = a + 1; b < datasets; b++) {
        const rho = spearman(scores[a][l], scores[b][l]);
        matrix[a][b] = rho;
        matrix[b][a] = rho;
      }
    }
    perLayer.push(matrix);
  }

  const mean = square(datasets, 1);
  for (let a = 0; a < datasets; a++) {
    for (let b = 0; b < datasets; b++) {
      if (a === b) continue;
      const defined = perLayer.map((m) => m[a][b]).filter((rho) => !Number.isNaN(rho));
      mean[a][b] = defined.length ? defined.reduce((sum, rho) => sum + rho, 0) / defined.length : Number.NaN;
    }
  }
  return { mean, perLayer };
}

export interface KeptSetOverlap {
  /** Dataset index pairs (a < b), in the column order of `perLayer`. */
  pairs: [number, number][];
  /** [layer][pair]: Jaccard overlap of the two datasets' kept sets, a ratio in [0, 1]. */
  perLayer: number[][];
  /** [layer]: mean over pairs, NaN with fewer than two datasets. */
  meanPerLayer: number[];
}

/**
 * Jaccard overlap by depth of the neurons each dataset alone would keep when every layer
 * keeps round(keepRatio · width) neurons (at least one) by that dataset's scores.
 * `scores` is `[dataset][layer][neuron]`; `keepRatio` is a ratio in [0, 1].
 */
export function keptSetOverlap(scores: readonly (readonly Float64Array[])[], keepRatio: number): KeptSetOverlap {
  const masks = scores.map((layers) => masksFromScores(layers, layers.map((layer) => Math.min(layer.length, Math.max(1, Math.round(keepRatio * layer.length))))));
  const pairs: [number, number][] = [];
  for (let a = 0; a < scores.length; a++) for (let b = a + 1; b < scores.length; b++) pairs.push([a, b]);

  const layers = scores[0]?.length ?? 0;
  const perLayer: number[][] = [];
  const meanPerLayer: number[] = [];
  for (let l = 0; l < layers; l++) {
    const row = pairs.map(([a, b]) => jaccard(masks[a][l], masks[b][l]));
    perLayer.push(row);
    meanPerLayer.push(row.length ? row.reduce((sum, value) => sum + value, 0) / row.length : Number.NaN);
  }
  return { pairs, perLayer, meanPerLayer };
}

function square(size: number, diagonal: number): number[][] {
  return Array.from({ length: size }, (_, a) => Array.from({ length: size }, (_, b) => (a === b ? diagonal : Number.NaN)));
}
