import { GpruneError } from '../errors';

/**
 * Ranks values in ascending order, 0 for the smallest, and gives tied values the mean of
 * the positions they span (so [5, 7, 7] ranks as [0, 1.5, 1.5]). The input is not
 * reordered. Raises INVALID_ARGUMENT for NaN, which has no place in an order.
 */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const count = values.length;
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    if (Number.isNaN(values[i])) {
      throw new GpruneError('INVALID_ARGUMENT', `value ${i} is NaN and cannot be ranked; check the statistics that produced the scores`);
    }
    order[i] = i;
  }
  order.sort((i, j) => values[i] - values[j] || i - j);

  const ranks = new Float64Array(count);
  let start = 0;
  while (start < count) {
    // Extend [start, end) over the run of values equal to the one at `start`.
    let end = start + 1;
    while (end < count && values[order[end]] === values[order[start]]) end++;
    const meanPosition = (start + end - 1) / 2;
    for (let k = start; k < end; k++) ranks[order[k]] = meanPosition;
    start = end;
  }
  return ranks;
}
