import { GpruneError, throwIfAborted } from '../../errors';
import { logger } from '../../log';
import { median } from '../../stats/quantile';
import { createRng, type Rng } from '../rng';
import { layerKeepCounts, masksForKeepCounts, type SearchProblem } from './problem';
import type { SearchMove, SearchOptions, SearchResult, SearchStep } from './types';

const log = logger('search');

/** Draws per proposal before the search concludes that every nearby move was already tried. */
const MAX_DRAWS = 64;

/**
 * Step 6 (learned module-wise sparsity): a derivative-free local search on the module keep
 * counts. It starts from the prior and repeatedly transfers a few neurons from one module
 * to another anywhere in the model, keeping the move when the loss drops below the best
 * so far. After a kept move, the same move is tried again first.
 *
 * Moves only join modules with the same paramsPerNeuron, so the kept parameters stay
 * exactly those of the prior. No layer goes below `minPerLayer`. The loss of the result
 * is never above the prior's, because only improvements are kept.
 *
 * Spends at most `options.evaluations` calls of `lossFn`, the prior's included, and stops
 * early when MAX_DRAWS draws find no feasible move that was not already rejected since
 * the last kept move. Cancelling through `options.signal` raises CANCELLED, with the best
 * result so far in `error.details.bestSoFar` (absent when the prior was not evaluated).
 * A NaN or infinite loss never counts as an improvement, but a prior with such a loss
 * raises INVALID_ARGUMENT because nothing could be compared with it.
 */
export async function searchModuleSparsity(
  problem: SearchProblem,
  lossFn: (masks: Uint8Array[]) => Promise<number>,
  options: SearchOptions,
): Promise<SearchResult> {
  checkOptions(problem, options);
  const budget = options.evaluations;
  const moveSize = resolveMoveSize(problem, options.moveSize ?? 'auto');
  const next = createRng(options.seed);

  const history: SearchStep[] = [];
  const keep = [...problem.prior];
  let best = Number.NaN;
  let priorLoss = Number.NaN;

  const result = (stopReason: SearchResult['stopReason']): SearchResult => ({
    keepCounts: [...keep],
    loss: best,
    priorLoss,
    evaluations: history.length,
    history: [...history],
    stopReason,
  });
  const evaluate = async (counts: number[]): Promise<number> => {
    throwIfCancelled(options.signal, () => (history.length > 0 ? result('cancelled') : undefined), history.length, budget);
    const loss = await lossFn(masksForKeepCounts(problem, counts));
    throwIfCancelled(options.signal, () => (history.length > 0 ? result('cancelled') : undefined), history.length, budget);
    return loss;
  };

  priorLoss = await evaluate(keep);
  if (!Number.isFinite(priorLoss)) {
    throw new GpruneError('INVALID_ARGUMENT', `the loss function returned ${priorLoss} for the prior; it must return a finite loss for the search to compare against`);
  }
  best = priorLoss;
  record(history, options, budget, { evaluation: 1, move: null, loss: priorLoss, accepted: true, bestLoss: best });

  let repeat: SearchMove | null = null;
  let rejected = new Set<string>();
  while (history.length < budget) {
    const move: SearchMove | null = repeat !== null && isFeasible(problem, keep, repeat) ? repeat : proposeMove(problem, keep, moveSize, next, rejected);
    if (move === null) {
      log.info(`stopped after ${history.length} of ${budget} evaluations: no untried move left, best loss ${best}`);
      return result('no-move');
    }

    const candidate = applyMove(keep, move);
    const loss = await evaluate(candidate);
    const accepted = loss < best;
    if (accepted) {
      keep.splice(0, keep.length, ...candidate);
      best = loss;
      repeat = move;
      rejected = new Set();
    } else {
      repeat = null;
      rejected.add(moveKey(move));
    }
    record(history, options, budget, { evaluation: history.length + 1, move, loss, accepted, bestLoss: best });
  }
  log.info(`spent ${budget} evaluations: loss ${priorLoss} → ${best}`);
  return result('budget');
}

function record(history: SearchStep[], options: SearchOptions, budget: number, step: SearchStep): void {
  history.push(step);
  log.debug(() => `evaluation ${step.evaluation}/${budget}: loss ${step.loss}${step.accepted ? ' (kept)' : ''}`);
  options.onProgress?.({ phase: 'search', done: step.evaluation, total: budget, bestLoss: step.bestLoss });
}

function throwIfCancelled(signal: AbortSignal | undefined, bestSoFarOf: () => SearchResult | undefined, done: number, budget: number): void {
  try {
    throwIfAborted(signal);
  } catch (error) {
    const bestSoFar = bestSoFarOf();
    throw new GpruneError('CANCELLED', `The sparsity search was cancelled after ${done} of ${budget} evaluations.`, {
      cause: error,
      details: bestSoFar === undefined ? {} : { bestSoFar },
    });
  }
}

/**
 * Draws a feasible move not rejected since the last kept move: a donor among the modules
 * that keep a neuron, a receiver among those that can take one, a size in [1, moveSize]
 * clipped to what fits. Returns null after MAX_DRAWS draws without such a move.
 */
function proposeMove(problem: SearchProblem, keep: readonly number[], moveSize: number, next: Rng, rejected: Set<string>): SearchMove | null {
  const perLayer = layerKeepCounts(problem, keep);
  const donors = problem.modules.map((_, m) => m).filter((m) => keep[m] > 0);
  if (donors.length === 0) return null;

  for (let draw = 0; draw < MAX_DRAWS; draw++) {
    const from = donors[Math.floor(next() * donors.length)];
    const receivers = problem.modules
      .map((_, m) => m)
      .filter((to) => transferLimit(problem, keep, perLayer, from, to) > 0);
    if (receivers.length === 0) continue;
    const to = receivers[Math.floor(next() * receivers.length)];
    const drawnSize = 1 + Math.floor(next() * moveSize);

    const move = { from, to, neurons: Math.min(drawnSize, transferLimit(problem, keep, perLayer, from, to)) };
    if (!rejected.has(moveKey(move))) return move;
  }
  return null;
}

/**
 * Maximum number of neurons that can move from `from` to `to`: 0 unless both modules share a
 * paramsPerNeuron, limited so the donor keeps ≥ 0, the receiver keeps ≤ its size, and
 * the donor's layer keeps its minimum.
 */
function transferLimit(problem: SearchProblem, keep: readonly number[], perLayer: readonly number[], from: number, to: number): number {
  const source = problem.modules[from];
  const target = problem.modules[to];
  if (from === to || source.paramsPerNeuron !== target.paramsPerNeuron) return 0;
  let limit = Math.min(keep[from], target.neurons.length - keep[to]);
  if (source.layer !== target.layer) {
    limit = Math.min(limit, perLayer[source.layer] - Math.min(problem.minPerLayer, problem.widths[source.layer]));
  }
  return limit;
}

function isFeasible(problem: SearchProblem, keep: readonly number[], move: SearchMove): boolean {
  return move.neurons <= transferLimit(problem, keep, layerKeepCounts(problem, keep), move.from, move.to);
}

function applyMove(keep: readonly number[], move: SearchMove): number[] {
  const candidate = [...keep];
  candidate[move.from] -= move.neurons;
  candidate[move.to] += move.neurons;
  return candidate;
}

function moveKey(move: SearchMove): string {
  return `${move.from}>${move.to}:${move.neurons}`;
}

function resolveMoveSize(problem: SearchProblem, moveSize: number | 'auto'): number {
  if (moveSize !== 'auto') return moveSize;
  const sizes = problem.modules.map((module) => module.neurons.length);
  return sizes.length === 0 ? 1 : Math.max(1, Math.round(0.02 * median(sizes)));
}

function checkOptions(problem: SearchProblem, options: SearchOptions): void {
  if (!(Number.isInteger(options.evaluations) && options.evaluations >= 1)) {
    throw new GpruneError('INVALID_CONFIG', `search evaluations ${options.evaluations} is invalid; pass an integer >= 1 (the prior's evaluation counts)`);
  }
  if (!(Number.isInteger(options.seed) && options.seed >= 0)) {
    throw new GpruneError('INVALID_CONFIG', `search seed ${options.seed} is invalid; pass an integer >= 0`);
  }
  const moveSize = options.moveSize ?? 'auto';
  if (moveSize !== 'auto' && !(Number.isInteger(moveSize) && moveSize >= 1)) {
    throw new GpruneError('INVALID_CONFIG', `search moveSize ${moveSize} is invalid; pass an integer >= 1 or "auto"`);
  }
  if (problem.prior.length !== problem.modules.length) {
    throw new GpruneError('INVALID_ARGUMENT', `the search problem has ${problem.modules.length} modules but ${problem.prior.length} prior keep counts`);
  }
}
