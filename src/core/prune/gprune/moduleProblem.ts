import { orderByScore } from '../masks/orderByScore';
import type { SearchModule, SearchProblem } from '../search/problem';
import type { LayerWeightSummary } from '../types';
import type { LayerModules } from './partitionModules';

/**
 * Flattens the modules of every layer into a search problem: modules in layer order, then
 * by module id, each with its neurons ordered by the module's score, and `prior`
 * (`[layer][module]`, neurons) as the starting keep counts.
 */
export function buildModuleProblem(
  modules: readonly LayerModules[],
  scores: readonly Float64Array[],
  prior: readonly (readonly number[])[],
  weights: readonly LayerWeightSummary[],
  minPerLayer: number,
): SearchProblem {
  const searchModules: SearchModule[] = [];
  const flatPrior: number[] = [];

  modules.forEach(({ assignment, count }, l) => {
    const members: number[][] = Array.from({ length: count }, () => []);
    assignment.forEach((module, j) => members[module].push(j));
    members.forEach((neurons, k) => {
      searchModules.push({ layer: l, index: k, neurons: orderByScore(scores[l], neurons), paramsPerNeuron: weights[l].paramsPerNeuron });
      flatPrior.push(prior[l][k]);
    });
  });

  return { widths: weights.map((layer) => layer.width), modules: searchModules, prior: flatPrior, minPerLayer };
}
