/**
 * Orders neuron indices from most to least important: descending score, and ascending
 * index among equal scores, so the same scores always give the same order.
 * `indices` defaults to every neuron. Pass a subset to order one module.
 */
export function orderByScore(scores: ArrayLike<number>, indices?: ArrayLike<number>): Int32Array {
  const order = indices === undefined ? new Int32Array(scores.length).map((_, j) => j) : Int32Array.from(indices);
  return order.sort((a, b) => scores[b] - scores[a] || a - b);
}
