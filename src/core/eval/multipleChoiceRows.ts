/**
 * Rows of a scoring run: what each batch row feeds the model, which labels it is scored
 * against, and how rows are grouped into runs.
 */
import type { EncodedRequest } from './multipleChoiceEncode';

/** One request as fed to the model, possibly after a cached prefix. */
export interface ScoringRow {
  item: number;
  request: number;
  /** Tokens fed in this row: the request's tokens from `start`, without the last one. */
  input: Int32Array;
  /** Next-token labels of `input`: the request's tokens from `start + 1`. */
  labels: Int32Array;
  /** Row positions from this index on predict continuation tokens and are summed. */
  scoreFrom: number;
}

/** The rows of one item and the prefix its rows share. */
export interface ItemRows {
  item: number;
  /** Tokens before every row of the item, run once when the prefix cache is used; may be empty. */
  prefix: Int32Array;
  rows: ScoringRow[];
}

/**
 * Builds an item's rows. With `sharePrefix`, the prefix is the longest run of tokens that
 * starts every request and ends before the position that predicts each request's first
 * continuation token; without it the prefix is empty and each row contains its whole request.
 */
export function itemRows(item: number, requests: EncodedRequest[], sharePrefix: boolean): ItemRows {
  const start = sharePrefix ? sharedPrefixLength(requests) : 0;
  const rows = requests.map((encoded, request) => {
    const { tokens, continuationTokens } = encoded;
    const input = tokens.slice(start, tokens.length - 1);
    return { item, request, input, labels: tokens.slice(start + 1), scoreFrom: input.length - continuationTokens };
  });
  return { item, prefix: requests[0].tokens.slice(0, start), rows };
}

function sharedPrefixLength(requests: EncodedRequest[]): number {
  // The row must include the position whose label is the first continuation token.
  let limit = Math.min(...requests.map((r) => r.tokens.length - r.continuationTokens - 1));
  const first = requests[0].tokens;
  for (const { tokens } of requests.slice(1)) {
    let same = 0;
    while (same < limit && tokens[same] === first[same]) same++;
    limit = same;
  }
  return Math.max(0, limit);
}

/**
 * Groups items into runs of at most `batchSize` rows, longest items first so rows of similar
 * length share a run. An item is never split, so an item with more requests than
 * `batchSize` gets a run of its own.
 */
export function chunkItems(items: ItemRows[], batchSize: number): ItemRows[][] {
  const length = (entry: ItemRows) => entry.prefix.length + Math.max(...entry.rows.map((r) => r.input.length));
  const order = items.map((entry, index) => ({ entry, index })).sort((a, b) => length(b.entry) - length(a.entry) || a.index - b.index);
  const chunks: ItemRows[][] = [];
  let current: ItemRows[] = [];
  let rows = 0;
  for (const { entry } of order) {
    if (current.length > 0 && rows + entry.rows.length > batchSize) {
      chunks.push(current);
      current = [];
      rows = 0;
    }
    current.push(entry);
    rows += entry.rows.length;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
