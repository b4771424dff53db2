/**
 * One scoring run: the summed log-likelihood of every row's continuation, and whether each
 * continuation token was the model's greedy choice.
 */
import type { OutputTensor, SessionHandle } from '../engine';
import { GpruneError } from '../errors';
import { halfToFloat } from '../onnx/dtype';
import { type LayerOverrides, buildFeeds, layoutBatch } from '../run/feeds';
import type { LoadedModel } from '../run/loaded';
import { NLL } from '../surgery/names';
import { type CachePair, type PrefixCache, rowFeeds } from './multipleChoiceFeeds';
import type { ItemRows, ScoringRow } from './multipleChoiceRows';

export interface RowScore {
  /** Sum of log p(token | preceding tokens) over the continuation tokens, in nats. */
  logLikelihood: number;
  /** Whether every continuation token is the argmax of its logits; null when not requested. */
  greedy: boolean | null;
}

export interface ChunkOptions {
  overrides?: LayerOverrides;
  /** KV-cache pairs to run each item's prefix once and continue it in the rows; null runs whole rows. */
  cachePairs: CachePair[] | null;
  /** Fetch logits and check greedy matches (LAMBADA). */
  greedy: boolean;
}

/**
 * Largest logits tensor fetched in one run, in elements (128 MiB of float32). Rows are split
 * into smaller runs to stay under it when greedy matches are checked.
 */
export const MAX_LOGITS_ELEMENTS = 1 << 25;

/** Scores the rows of a group of items; the result follows `chunk.flatMap(e => e.rows)`. */
export async function scoreChunk(session: SessionHandle, loaded: LoadedModel, chunk: ItemRows[], options: ChunkOptions): Promise<RowScore[]> {
  const rows = chunk.flatMap((entry) => entry.rows);
  const prefixOfRow = chunk.flatMap((entry, index) => entry.rows.map(() => index));
  const cache = options.cachePairs && chunk.some((entry) => entry.prefix.length > 0) ? await runPrefixes(session, loaded, chunk, options.cachePairs, options.overrides) : undefined;

  const scores: RowScore[] = [];
  for (const [from, to] of rowRanges(rows, options.greedy ? vocabularySize(loaded) : 0)) {
    const part = rows.slice(from, to);
    const partCache = cache && { ...cache, prefixOfRow: prefixOfRow.slice(from, to) };
    const fetches = options.greedy ? [NLL, loaded.anatomy.logits] : [NLL];
    const out = await session.run(rowFeeds(session, loaded, part, options.overrides, partCache), fetches);
    scores.push(...readRowScores(part, out[NLL], options.greedy ? out[loaded.anatomy.logits] : undefined));
  }
  return scores;
}

/** Runs each item's prefix once and returns the keys/values the rows continue from. */
async function runPrefixes(session: SessionHandle, loaded: LoadedModel, chunk: ItemRows[], pairs: CachePair[], overrides?: LayerOverrides): Promise<Omit<PrefixCache, 'prefixOfRow'>> {
  const layout = layoutBatch(chunk.map((entry) => entry.prefix));
  const out = await session.run(buildFeeds(session.inputNames, loaded.anatomy, layout, overrides, loaded.kv), pairs.map((p) => p.present));
  for (const pair of pairs) {
    if (out[pair.present].type !== 'float32') {
      throw new GpruneError('MODEL_INPUT_UNSUPPORTED', `${pair.present} is ${out[pair.present].type}; the prefix cache handles float32 keys/values only. Use the batched strategy for this model.`);
    }
  }
  return { pairs, tensors: out, lengths: layout.lengths };
}

function vocabularySize(loaded: LoadedModel): number {
  const size = loaded.anatomy.vocabSize ?? Number(loaded.config?.vocab_size);
  return Number.isFinite(size) && size > 0 ? size : 0;
}

/** Splits rows into runs whose logits stay under MAX_LOGITS_ELEMENTS; one run when vocab is 0. */
function rowRanges(rows: ScoringRow[], vocab: number): [number, number][] {
  if (vocab === 0) return [[0, rows.length]];
  const ranges: [number, number][] = [];
  let from = 0;
  let longest = 0;
  for (let i = 0; i < rows.length; i++) {
    const next = Math.max(longest, rows[i].input.length);
    if (i > from && (i - from + 1) * next * vocab > MAX_LOGITS_ELEMENTS) {
      ranges.push([from, i]);
      from = i;
      longest = rows[i].input.length;
    } else {
      longest = next;
    }
  }
  ranges.push([from, rows.length]);
  return ranges;
}

function readRowScores(rows: ScoringRow[], nllTensor: OutputTensor, logits?: OutputTensor): RowScore[] {
  const nll = nllTensor.data as Float32Array;
  const sequence = nllTensor.dims[1];
  return rows.map((row, b) => {
    let sum = 0;
    for (let t = row.scoreFrom; t < row.input.length; t++) sum -= nll[b * sequence + t];
    return { logLikelihood: sum, greedy: logits ? isGreedy(row, b, sequence, logits) : null };
  });
}

function isGreedy(row: ScoringRow, b: number, sequence: number, logits: OutputTensor): boolean {
  const vocab = logits.dims[2];
  const value = logitReader(logits);
  for (let t = row.scoreFrom; t < row.input.length; t++) {
    const base = (b * sequence + t) * vocab;
    let best = 0;
    let bestValue = value(base);
    for (let v = 1; v < vocab; v++) {
      const x = value(base + v);
      if (x > bestValue) {
        bestValue = x;
        best = v;
      }
    }
    if (best !== row.labels[t]) return false;
  }
  return true;
}

function logitReader(logits: OutputTensor): (index: number) => number {
  if (logits.type === 'float32') {
    const data = logits.data as Float32Array;
    return (index) => data[index];
  }
  if (logits.type === 'float16') {
    const data = logits.data as Uint16Array;
    return (index) => halfToFloat(data[index]);
  }
  throw new GpruneError('UNSUPPORTED_DTYPE', `Logits of type ${logits.type} cannot be read for the greedy check; float32 and float16 are supported.`);
}
