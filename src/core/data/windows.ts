/**
 * Token windows for perplexity and calibration: fixed-length cuts of a dataset's tokens,
 * with a one-line protocol that states how they were made.
 */

import { GpruneError, throwIfAborted } from '../errors';
import { logger } from '../log';
import type { TextDataset } from './dataset';
import { DOCUMENT_JOINER, tokenizeLongText } from './longText';
import type { TextTokenizer } from './tokenizer';

const log = logger('data');

/**
 * `concat`: all documents joined and cut into consecutive windows, the usual wikitext-2
 * perplexity setup. `document`: one window per document, from its start.
 */
export type WindowMode = 'concat' | 'document';

export interface WindowConfig {
  /** Window length in tokens, BOS included. */
  seqlen: number;
  mode: WindowMode;
  /** `prepend`: every window starts with the tokenizer's BOS id, followed by seqlen - 1 text tokens. */
  bos: 'prepend' | 'none';
  /** Keep only the first maxWindows windows. */
  maxWindows?: number;
  /**
   * Document mode only: `truncate` drops a document's tokens after the first window;
   * `split` continues the document in further windows, each with its own BOS.
   * @default 'truncate'
   */
  documentOverflow?: 'truncate' | 'split';
}

export interface TokenWindows {
  /** Token ids per window; each has at most seqlen and at least 2 ids. */
  windows: Int32Array[];
  /** Total ids over all windows, BOS included. */
  tokens: number;
  /** One line stating mode, seqlen, BOS handling and what was dropped, to print beside results. */
  protocol: string;
}

export interface MakeWindowsOptions {
  signal?: AbortSignal;
  /** Called with the share of the dataset tokenized so far, from 0 to 1. */
  onProgress?: (fraction: number) => void;
}

/** Defaults: 128 tokens as in FLAP and LLM-Pruner, concatenated text, BOS prepended. */
export const DEFAULT_WINDOW_CONFIG = {
  seqlen: 128,
  mode: 'concat',
  bos: 'prepend',
  documentOverflow: 'truncate',
} as const satisfies WindowConfig;

/** Windows shorter than this give no next-token prediction and are left out. */
const MIN_WINDOW_TOKENS = 2;

/** Merges `config` over DEFAULT_WINDOW_CONFIG and validates the result. */
export function resolveWindowConfig(config: Partial<WindowConfig> = {}): WindowConfig {
  const resolved: WindowConfig = { ...DEFAULT_WINDOW_CONFIG, ...config };
  validateWindowConfig(resolved);
  return resolved;
}

/**
 * Raises INVALID_CONFIG naming the first invalid field. With a tokenizer it also checks that
 * a BOS id exists when `bos` is `prepend`.
 */
export function validateWindowConfig(config: WindowConfig, tokenizer?: TextTokenizer): void {
  const invalid = (field: string, value: unknown, fix: string) =>
    new GpruneError('INVALID_CONFIG', `Window ${field} ${JSON.stringify(value)} is invalid: ${fix}`, { details: { [field]: value } });

  if (!Number.isInteger(config.seqlen) || config.seqlen < MIN_WINDOW_TOKENS) {
    throw invalid('seqlen', config.seqlen, `use an integer of at least ${MIN_WINDOW_TOKENS}, such as 128.`);
  }
  if (config.mode !== 'concat' && config.mode !== 'document') throw invalid('mode', config.mode, 'use "concat" or "document".');
  if (config.bos !== 'prepend' && config.bos !== 'none') throw invalid('bos', config.bos, 'use "prepend" or "none".');
  if (config.maxWindows !== undefined && (!Number.isInteger(config.maxWindows) || config.maxWindows < 1)) {
    throw invalid('maxWindows', config.maxWindows, 'use a positive integer, or leave it unset for all windows.');
  }
  if (config.documentOverflow !== undefined && config.documentOverflow !== 'truncate' && config.documentOverflow !== 'split') {
    throw invalid('documentOverflow', config.documentOverflow, 'use "truncate" or "split".');
  }
  if (tokenizer !== undefined && config.bos === 'prepend' && tokenizer.bosId === null) {
    throw new GpruneError(
      'INVALID_CONFIG',
      'Window bos "prepend" needs a BOS token, but the tokenizer has none (no bos_token in tokenizer_config.json). Set bos to "none".',
      { details: { bos: config.bos } },
    );
  }
}

/**
 * Tokenizes `dataset` without special tokens and cuts it into windows as `config` sets.
 * Raises DATASET_EMPTY when not a single window results.
 */
export function makeWindows(
  dataset: TextDataset,
  tokenizer: TextTokenizer,
  config: Partial<WindowConfig> = {},
  options: MakeWindowsOptions = {},
): TokenWindows {
  const resolved = resolveWindowConfig(config);
  validateWindowConfig(resolved, tokenizer);
  const started = performance.now();

  const result = resolved.mode === 'concat' ? makeConcatWindows(dataset, tokenizer, resolved, options) : makeDocumentWindows(dataset, tokenizer, resolved, options);
  if (result.windows.length === 0) {
    throw new GpruneError(
      'DATASET_EMPTY',
      `${dataset.name} gives no window of ${resolved.seqlen} tokens in ${resolved.mode} mode (${result.protocol}). ` +
        'Use a smaller seqlen, document mode, or a longer dataset.',
      { details: { name: dataset.name, seqlen: resolved.seqlen, mode: resolved.mode } },
    );
  }

  log.info(() => `${dataset.name}: ${result.windows.length} windows in ${Math.round(performance.now() - started)} ms; ${result.protocol}`);
  return result;
}

function makeConcatWindows(dataset: TextDataset, tokenizer: TextTokenizer, config: WindowConfig, options: MakeWindowsOptions): TokenWindows {
  const text = dataset.documents.join(DOCUMENT_JOINER);
  const { ids } = tokenizeLongText(text, tokenizer, {
    signal: options.signal,
    onProgress: options.onProgress && ((done, total) => options.onProgress?.(done / total)),
  });

  const bosId = config.bos === 'prepend' ? tokenizer.bosId : null;
  const textPerWindow = bosId === null ? config.seqlen : config.seqlen - 1;
  const fullWindows = Math.floor(ids.length / textPerWindow);
  const windowCount = config.maxWindows === undefined ? fullWindows : Math.min(fullWindows, config.maxWindows);

  const windows: Int32Array[] = [];
  for (let w = 0; w < windowCount; w++) {
    windows.push(withBos(ids.subarray(w * textPerWindow, (w + 1) * textPerWindow), bosId));
  }

  const tail = ids.length - fullWindows * textPerWindow;
  const unused = (fullWindows - windowCount) * textPerWindow;
  const documents =
    dataset.documents.length === 1 ? '1 document' : `${count(dataset.documents.length, 'document')} joined with ${JSON.stringify(DOCUMENT_JOINER)},`;
  const parts = [
    `concat: ${documents} tokenized without special tokens (${count(ids.length, 'token')})`,
    `${count(windowCount, 'non-overlapping window')} of ${config.seqlen} tokens, ${bosText(bosId, textPerWindow)}`,
    tail > 0 ? `final partial window of ${count(tail, 'token')} dropped` : 'no partial window',
  ];
  if (unused > 0) parts.push(`only the first ${windowCount} windows kept (maxWindows), ${count(unused, 'later token')} unused`);
  return { windows, tokens: windowCount * config.seqlen, protocol: parts.join('; ') };
}

function makeDocumentWindows(dataset: TextDataset, tokenizer: TextTokenizer, config: WindowConfig, options: MakeWindowsOptions): TokenWindows {
  const bosId = config.bos === 'prepend' ? tokenizer.bosId : null;
  const textPerWindow = bosId === null ? config.seqlen : config.seqlen - 1;
  const split = config.documentOverflow === 'split';
  const maxWindows = config.maxWindows ?? Number.POSITIVE_INFINITY;

  const windows: Int32Array[] = [];
  let tokens = 0;
  let truncatedDocuments = 0;
  let shortWindows = 0;
  let usedDocuments = 0;

  for (const document of dataset.documents) {
    if (windows.length >= maxWindows) break;
    throwIfAborted(options.signal);
    // Truncate mode needs only the first window's tokens, so a long document is not encoded to its end.
    const encoded = tokenizeLongText(document, tokenizer, { signal: options.signal, maxTokens: split ? undefined : textPerWindow });
    if (encoded.truncated) truncatedDocuments += 1;
    usedDocuments += 1;

    for (let offset = 0; offset < encoded.ids.length && windows.length < maxWindows; offset += textPerWindow) {
      const window = withBos(encoded.ids.subarray(offset, offset + textPerWindow), bosId);
      if (window.length < MIN_WINDOW_TOKENS) {
        shortWindows += 1;
        continue;
      }
      windows.push(window);
      tokens += window.length;
      if (!split) break;
    }
    options.onProgress?.(usedDocuments / dataset.documents.length);
  }

  const overflow = split
    ? `documents longer than one window continue in further windows, each ${bosId === null ? 'without BOS' : 'starting with BOS'}`
    : `${count(truncatedDocuments, 'document')} truncated (tokens after the first ${textPerWindow} text tokens dropped)`;
  const parts = [
    `document: ${count(usedDocuments, 'document')} tokenized separately without special tokens`,
    `${count(windows.length, 'window')} of at most ${config.seqlen} tokens, ${bosText(bosId, textPerWindow, 'up to ')}`,
    overflow,
  ];
  if (shortWindows > 0) parts.push(`${count(shortWindows, 'window')} shorter than ${MIN_WINDOW_TOKENS} tokens left out`);
  if (usedDocuments < dataset.documents.length) {
    parts.push(`only the first ${windows.length} windows kept (maxWindows), ${count(dataset.documents.length - usedDocuments, 'later document')} unused`);
  }
  return { windows, tokens, protocol: parts.join('; ') };
}

function withBos(ids: Int32Array, bosId: number | null): Int32Array {
  if (bosId === null) return ids.slice();
  const window = new Int32Array(ids.length + 1);
  window[0] = bosId;
  window.set(ids, 1);
  return window;
}

function bosText(bosId: number | null, textPerWindow: number, quantity = ''): string {
  return bosId === null ? `no BOS, ${quantity}${textPerWindow} text tokens each` : `each BOS (id ${bosId}) + ${quantity}${textPerWindow} text tokens`;
}

function count(value: number, noun: string): string {
  return `${value.toLocaleString('en-US')} ${noun}${value === 1 ? '' : 's'}`;
}
