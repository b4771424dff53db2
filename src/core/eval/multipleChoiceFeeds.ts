/**
 * Feeds for scoring rows: right-padded ids with explicit next-token labels, and, for rows
 * that continue a cached prefix, the prefix's keys/values, attention mask and positions.
 */
import type { FeedTensor, OutputTensor, SessionHandle } from '../engine';
import { type LayerOverrides, buildFeeds, layoutBatch } from '../run/feeds';
import type { LoadedModel } from '../run/loaded';
import { LABELS } from '../surgery/names';
import type { ScoringRow } from './multipleChoiceRows';

/** A KV-cache input of the graph and the output that returns its updated value. */
export interface CachePair {
  past: string;
  present: string;
}

/**
 * Pairs each past-key/value input with its present output (`past_key_values.N.key` →
 * `present.N.key`, as Optimum names them), or returns null when the graph has no KV cache
 * or an output is missing.
 */
export function findCachePairs(session: SessionHandle, loaded: LoadedModel): CachePair[] | null {
  const past = loaded.anatomy.inputs.past.map((p) => p.name);
  if (past.length === 0) return null;
  const outputs = new Set(session.outputNames);
  const pairs = past.map((name) => ({ past: name, present: name.replace(/^past_key_values/, 'present').replace(/^past\b/, 'present') }));
  return pairs.every((pair) => outputs.has(pair.present)) ? pairs : null;
}

/** Keys/values of a batch of prefixes, and which prefix each row continues. */
export interface PrefixCache {
  pairs: CachePair[];
  /** Present outputs of the prefix run, [prefixes, heads, prefixLength, headDim] each. */
  tensors: Record<string, OutputTensor>;
  /** Real (unpadded) length of each prefix. */
  lengths: number[];
  /** Prefix index of each row. */
  prefixOfRow: number[];
}

/** Feeds for scoring rows; `cache` makes each row continue its cached prefix. */
export function rowFeeds(session: SessionHandle, loaded: LoadedModel, rows: ScoringRow[], overrides: LayerOverrides | undefined, cache?: PrefixCache): Record<string, FeedTensor> {
  const layout = layoutBatch(rows.map((r) => r.input));
  const feeds = buildFeeds(session.inputNames, loaded.anatomy, layout, overrides, loaded.kv);
  const { batch, sequence } = layout;
  const labels = new BigInt64Array(batch * sequence);
  rows.forEach((row, b) => {
    for (let t = 0; t < row.labels.length; t++) labels[b * sequence + t] = BigInt(row.labels[t]);
  });
  feeds[LABELS] = { type: 'int64', data: labels, dims: [batch, sequence] };
  if (cache) Object.assign(feeds, cachedPrefixFeeds(session, loaded, rows, sequence, cache));
  return feeds;
}

/**
 * Builds the feeds that continue cached prefixes. The attention mask spans the padded prefix
 * and the row ([rows, prefixLength + sequence]) and is zero on each prefix's padding.
 * Positions continue from the real prefix length.
 */
function cachedPrefixFeeds(session: SessionHandle, loaded: LoadedModel, rows: ScoringRow[], sequence: number, cache: PrefixCache): Record<string, FeedTensor> {
  const inputs = loaded.anatomy.inputs;
  const want = new Set(session.inputNames);
  const batch = rows.length;
  const first = cache.tensors[cache.pairs[0].present];
  const prefixLength = first.dims[2];
  const feeds: Record<string, FeedTensor> = {};

  if (inputs.attentionMask && want.has(inputs.attentionMask)) {
    const width = prefixLength + sequence;
    const mask = new BigInt64Array(batch * width);
    rows.forEach((row, b) => {
      const prefix = cache.lengths[cache.prefixOfRow[b]];
      for (let t = 0; t < prefix; t++) mask[b * width + t] = 1n;
      for (let t = 0; t < row.input.length; t++) mask[b * width + prefixLength + t] = 1n;
    });
    feeds[inputs.attentionMask] = { type: 'int64', data: mask, dims: [batch, width] };
  }
  if (inputs.positionIds && want.has(inputs.positionIds)) {
    const positions = new BigInt64Array(batch * sequence);
    rows.forEach((_row, b) => {
      const prefix = cache.lengths[cache.prefixOfRow[b]];
      for (let t = 0; t < sequence; t++) positions[b * sequence + t] = BigInt(prefix + t);
    });
    feeds[inputs.positionIds] = { type: 'int64', data: positions, dims: [batch, sequence] };
  }
  if (inputs.useCacheBranch && want.has(inputs.useCacheBranch)) {
    feeds[inputs.useCacheBranch] = { type: 'bool', data: new Uint8Array([prefixLength > 0 ? 1 : 0]), dims: [1] };
  }
  for (const pair of cache.pairs) {
    const source = cache.tensors[pair.present];
    const [, heads, length, headDim] = source.dims;
    const stride = heads * length * headDim;
    const data = source.data as Float32Array;
    const gathered = new Float32Array(batch * stride);
    for (let b = 0; b < batch; b++) {
      const from = cache.prefixOfRow[b] * stride;
      gathered.set(data.subarray(from, from + stride), b * stride);
    }
    feeds[pair.past] = { type: 'float32', data: gathered, dims: [batch, heads, length, headDim] };
  }
  return feeds;
}
