/** A transfer of neurons from one module's keep count to another's. */
export interface SearchMove {
  /** Module index (in `SearchProblem.modules`) that keeps fewer neurons. */
  from: number;
  /** Module index that keeps more neurons. */
  to: number;
  /** Neurons transferred. */
  neurons: number;
}

/** One loss evaluation of the search. */
export interface SearchStep {
  /** 1-based evaluation number; 1 is the prior. */
  evaluation: number;
  /** The move tried, null for the prior. */
  move: SearchMove | null;
  loss: number;
  /** Whether the move lowered the best loss and was kept. */
  accepted: boolean;
  /** Best loss after this evaluation. */
  bestLoss: number;
}

/** Progress of a long job, one member per phase. */
export type SearchProgressEvent = { phase: 'search'; done: number; total: number; bestLoss: number };

/** Options of `searchModuleSparsity`. */
export interface SearchOptions {
  /** Loss evaluations to spend, the prior's included; at least 1. */
  evaluations: number;
  /** Seed of the move sampling. */
  seed: number;
  /** Most neurons one move transfers; 'auto' (the default) takes max(1, round(2% of the median module size)). */
  moveSize?: number | 'auto';
  /** Aborting raises CANCELLED, with the best result so far in `error.details.bestSoFar`. */
  signal?: AbortSignal;
  /** Called after every evaluation. */
  onProgress?: (event: SearchProgressEvent) => void;
}

/** Outcome of the search. */
export interface SearchResult {
  /** Best keep count of each module (neurons), in `SearchProblem.modules` order. */
  keepCounts: number[];
  /** Loss of `keepCounts`; never above `priorLoss`. */
  loss: number;
  /** Loss of the prior. */
  priorLoss: number;
  /** Evaluations spent, the prior's included; at most the budget. */
  evaluations: number;
  /** Every evaluation in order. */
  history: SearchStep[];
  /**
   * 'budget' when the budget ran out, 'no-move' when no untried feasible move could be
   * found, 'cancelled' in the best-so-far result attached to a CANCELLED error.
   */
  stopReason: 'budget' | 'no-move' | 'cancelled';
}
