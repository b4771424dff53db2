/**
 * Accuracy metrics of zero-shot tasks, defined as lm-evaluation-harness defines them.
 */

/** Unit in which acc_norm measures a choice's length. */
export type LengthUnit = 'characters' | 'bytes';

/** Index of the largest value; the first one on ties, as numpy.argmax. */
export function argmax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/**
 * Length of a choice text: Unicode code points (Python's len, which the harness's acc_norm
 * divides by) or UTF-8 bytes.
 */
export function textLength(text: string, unit: LengthUnit): number {
  return unit === 'bytes' ? new TextEncoder().encode(text).length : [...text].length;
}

/** Predicted index by summed log-likelihood (acc). */
export function predictByLogLikelihood(logLikelihoods: readonly number[]): number {
  return argmax(logLikelihoods);
}

/**
 * Predicted index by log-likelihood divided by the choice's length (acc_norm). A choice of
 * length 0 is divided by 1 so it does not become ±Infinity.
 */
export function predictByNormalizedLogLikelihood(logLikelihoods: readonly number[], choiceTexts: readonly string[], unit: LengthUnit): number {
  return argmax(logLikelihoods.map((ll, i) => ll / Math.max(1, textLength(choiceTexts[i], unit))));
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * Standard error of the mean: sample standard deviation (n − 1 in the denominator) over
 * √n, the harness's mean_stderr. NaN for fewer than two values.
 */
export function meanStderr(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return NaN;
  const m = mean(values);
  const variance = values.reduce((sum, x) => sum + (x - m) ** 2, 0) / (n - 1);
  return Math.sqrt(variance / n);
}

/** exp(−mean log-likelihood) over items: the harness's LAMBADA perplexity. */
export function perplexityOfLogLikelihoods(logLikelihoods: readonly number[]): number {
  return Math.exp(-mean(logLikelihoods));
}
