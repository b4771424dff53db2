/**
 * z-scores (x − mean) / std of one layer's scores, with the population standard
 * deviation. A layer whose scores are all equal standardizes to zeros.
 */
export function standardize(scores: ArrayLike<number>): Float64Array {
  const count = scores.length;
  const z = new Float64Array(count);
  if (count === 0) return z;

  let sum = 0;
  for (let j = 0; j < count; j++) sum += scores[j];
  const mean = sum / count;
  let squares = 0;
  for (let j = 0; j < count; j++) squares += (scores[j] - mean) ** 2;
  const std = Math.sqrt(squares / count);
  if (std === 0 || !Number.isFinite(std)) return z;

  for (let j = 0; j < count; j++) z[j] = (scores[j] - mean) / std;
  return z;
}
