import { GpruneError } from '../../errors';
import { keptParameters, layerKeepCounts, type SearchProblem } from './problem';

/**
 * Step 7 (rounding): converts module keep ratios κ_k (ratio 0–1 per module, e.g. from UI
 * sliders) into keep counts round(κ_k · |k|) that keep exactly `targetKept` parameters,
 * by default the prior's.
 *
 * A layer that rounding left below `minPerLayer` is raised first. Then the counts are
 * corrected one neuron at a time. A neuron is added to the module furthest below its
 * ideal κ_k · |k|, or removed from the module furthest above it, and no layer goes below
 * `minPerLayer`. When every module has the same paramsPerNeuron and the target is
 * reachable, the total is met exactly. Otherwise the correction stops once no single
 * neuron brings the total closer, within half the largest paramsPerNeuron.
 */
export function keepCountsFromRatios(problem: SearchProblem, ratios: readonly number[], targetKept = keptParameters(problem, problem.prior)): number[] {
  if (ratios.length !== problem.modules.length) {
    throw new GpruneError('INVALID_ARGUMENT', `expected one keep ratio per module (${problem.modules.length} modules), got ${ratios.length}`);
  }
  ratios.forEach((ratio, m) => {
    if (!(ratio >= 0 && ratio <= 1)) {
      throw new GpruneError('INVALID_ARGUMENT', `keep ratio ${ratio} of module ${m} is out of range [0, 1]`);
    }
  });

  const sizes = problem.modules.map((module) => module.neurons.length);
  const ideal = ratios.map((ratio, m) => ratio * sizes[m]);
  const counts = ideal.map((value) => Math.round(value));
  const perLayer = layerKeepCounts(problem, counts);
  raiseToLayerMinimum(problem, ideal, counts, perLayer);
  let gap = targetKept - keptParameters(problem, counts);

  for (;;) {
    const adding = gap > 0;
    let best = -1;
    let bestDeficit = adding ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    problem.modules.forEach((module, m) => {
      const p = module.paramsPerNeuron;
      // One neuron of p parameters must bring the total no further from the target.
      if (p > 2 * Math.abs(gap)) return;
      const deficit = ideal[m] - counts[m];
      if (adding) {
        if (counts[m] < sizes[m] && deficit > bestDeficit) [best, bestDeficit] = [m, deficit];
      } else {
        const layerHasSpare = perLayer[module.layer] > Math.min(problem.minPerLayer, problem.widths[module.layer]);
        if (counts[m] > 0 && layerHasSpare && deficit < bestDeficit) [best, bestDeficit] = [m, deficit];
      }
    });
    if (best < 0) break;

    const step = adding ? 1 : -1;
    counts[best] += step;
    perLayer[problem.modules[best].layer] += step;
    gap -= step * problem.modules[best].paramsPerNeuron;
  }
  return counts;
}

/** Adds neurons, furthest-below-ideal module first, to every layer that rounding left under `minPerLayer`. */
function raiseToLayerMinimum(problem: SearchProblem, ideal: number[], counts: number[], perLayer: number[]): void {
  problem.widths.forEach((width, l) => {
    const minimum = Math.min(problem.minPerLayer, width);
    while (perLayer[l] < minimum) {
      let best = -1;
      problem.modules.forEach((module, m) => {
        if (module.layer !== l || counts[m] >= module.neurons.length) return;
        if (best < 0 || ideal[m] - counts[m] > ideal[best] - counts[best]) best = m;
      });
      counts[best]++;
      perLayer[l]++;
    }
  });
}
