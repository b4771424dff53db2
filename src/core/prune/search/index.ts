export type { SearchModule, SearchProblem } from './problem';
export { masksForKeepCounts, layerKeepCounts, keptParameters } from './problem';
export { layerSearchProblem } from './layerProblem';
export { keepCountsFromRatios } from './keepCountsFromRatios';
export type { SearchMove, SearchStep, SearchProgressEvent, SearchOptions, SearchResult } from './types';
export { searchModuleSparsity } from './searchModuleSparsity';
