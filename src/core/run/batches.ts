/**
 * Groups windows into batches of similar length (less padding), keeping a stable order.
 */
export function batchWindows(windows: Int32Array[], batchSize: number): Int32Array[][] {
  const order = windows.map((w, i) => ({ w, i })).sort((a, b) => b.w.length - a.w.length || a.i - b.i);
  const batches: Int32Array[][] = [];
  for (let i = 0; i < order.length; i += batchSize) batches.push(order.slice(i, i + batchSize).map((x) => x.w));
  return batches;
}

/** Tokens in a set of windows. */
export function countTokens(windows: Int32Array[]): number {
  return windows.reduce((sum, w) => sum + w.length, 0);
}
