import { createRng } from '../rng';

/** Options of `kmeans`. */
export interface KmeansOptions {
  /** Seed of the k-means++ initialisation. */
  seed: number;
  /** Stream id combined with the seed, such as a layer index. @defaultValue 0 */
  stream?: number;
  /** Maximum Lloyd iterations. The loop also stops when no assignment changes. */
  maxIterations: number;
}

/** Clusters found by `kmeans`. */
export interface KmeansResult {
  /** Cluster id in [0, clusters) of each point. */
  assignment: Int32Array;
  /** Clusters actually formed: fewer than k when there are fewer distinct points than k. */
  clusters: number;
  /** Lloyd iterations run. */
  iterations: number;
}

/**
 * Lloyd's k-means with seeded k-means++ initialisation on `count` points stored row-major
 * in `points` (`[count × dim]`). Ties in distance go to the lower cluster id. An empty
 * cluster takes the point farthest from its centroid, so no cluster stays empty. The
 * result depends only on the inputs and the seed.
 */
export function kmeans(points: Float64Array, dim: number, k: number, options: KmeansOptions): KmeansResult {
  const count = dim === 0 ? 0 : points.length / dim;
  const assignment = new Int32Array(count);
  if (count === 0) return { assignment, clusters: 0, iterations: 0 };

  const centroids = initialiseCentroids(points, dim, count, k, options.seed, options.stream ?? 0);
  const clusters = centroids.length / dim;
  assignment.fill(-1);

  let iterations = 0;
  while (iterations < options.maxIterations) {
    iterations++;
    const changed = assignPoints(points, dim, centroids, clusters, assignment);
    if (!changed) break;
    updateCentroids(points, dim, centroids, clusters, assignment);
  }
  return { assignment, clusters, iterations };
}

/** k-means++: the first centroid uniformly at random, each next one with probability ∝ D², the squared distance to the nearest centroid. */
function initialiseCentroids(points: Float64Array, dim: number, count: number, k: number, seed: number, stream: number): Float64Array {
  const next = createRng(seed, stream);
  const chosen: number[] = [Math.min(count - 1, Math.floor(next() * count))];
  const nearest = new Float64Array(count).fill(Number.POSITIVE_INFINITY);

  while (chosen.length < k) {
    const latest = chosen[chosen.length - 1];
    let total = 0;
    for (let i = 0; i < count; i++) {
      nearest[i] = Math.min(nearest[i], squaredDistance(points, i * dim, points, latest * dim, dim));
      total += nearest[i];
    }
    // Every point coincides with a centroid: no further distinct centre exists.
    if (total === 0) break;

    let target = next() * total;
    let pick = -1;
    for (let i = 0; i < count; i++) {
      if (nearest[i] === 0) continue;
      pick = i;
      target -= nearest[i];
      if (target < 0) break;
    }
    chosen.push(pick);
  }

  const centroids = new Float64Array(chosen.length * dim);
  chosen.forEach((point, c) => centroids.set(points.subarray(point * dim, point * dim + dim), c * dim));
  return centroids;
}

function assignPoints(points: Float64Array, dim: number, centroids: Float64Array, clusters: number, assignment: Int32Array): boolean {
  let changed = false;
  for (let i = 0; i < assignment.length; i++) {
    let best = 0;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (let c = 0; c < clusters; c++) {
      const distance = squaredDistance(points, i * dim, centroids, c * dim, dim);
      if (distance < bestDistance) {
        bestDistance = distance;
        best = c;
      }
    }
    if (assignment[i] !== best) {
      assignment[i] = best;
      changed = true;
    }
  }
  return changed;
}

function updateCentroids(points: Float64Array, dim: number, centroids: Float64Array, clusters: number, assignment: Int32Array): void {
  const sizes = new Int32Array(clusters);
  centroids.fill(0);
  for (let i = 0; i < assignment.length; i++) {
    const c = assignment[i];
    sizes[c]++;
    for (let e = 0; e < dim; e++) centroids[c * dim + e] += points[i * dim + e];
  }
  for (let c = 0; c < clusters; c++) {
    if (sizes[c] > 0) {
      for (let e = 0; e < dim; e++) centroids[c * dim + e] /= sizes[c];
    }
  }

  for (let c = 0; c < clusters; c++) {
    if (sizes[c] > 0) continue;
    // Refill an empty cluster with the point farthest from its own centroid, taken from a cluster that can spare it.
    let farthest = -1;
    let farthestDistance = -1;
    for (let i = 0; i < assignment.length; i++) {
      const owner = assignment[i];
      if (sizes[owner] < 2) continue;
      const distance = squaredDistance(points, i * dim, centroids, owner * dim, dim);
      if (distance > farthestDistance) {
        farthestDistance = distance;
        farthest = i;
      }
    }
    if (farthest < 0) continue;
    sizes[assignment[farthest]]--;
    assignment[farthest] = c;
    sizes[c] = 1;
    centroids.set(points.subarray(farthest * dim, farthest * dim + dim), c * dim);
  }
}

function squaredDistance(a: Float64Array, aOffset: number, b: Float64Array, bOffset: number, dim: number): number {
  let sum = 0;
  for (let e = 0; e < dim; e++) sum += (a[aOffset + e] - b[bOffset + e]) ** 2;
  return sum;
}
