/**
 * Tokenization of long texts in chunks. Tokenizers without a pre-tokenizer (SentencePiece
 * BPE as in Llama 2) treat the whole input as one word. One encode call over a 1.3 MB text
 * therefore takes several times longer than the same text in chunks of a few thousand
 * characters.
 */

import { GpruneError, throwIfAborted } from '../errors';
import { logger } from '../log';
import type { TextTokenizer } from './tokenizer';

const log = logger('data');

/** Separator placed between documents that are tokenized as one text. */
export const DOCUMENT_JOINER = '\n\n';

/**
 * Target chunk length in characters. Each chunk ends at the first line break after it. With the
 * stories260K tokenizer on the 1.3 MB wikitext-2 test text (Node 20, 2-core AMD EPYC), chunks
 * of 2,048 to 8,192 characters took 1.5 to 1.8 s and one encode call 7.1 s. On a 300 KB part,
 * 32,000-character chunks took twice as long as 8,000.
 */
const CHUNK_CHARS = 4096;
/** Maximum length of the left context that is encoded again before a chunk. */
const MAX_CONTEXT_CHARS = 128;
/** Length of text after a candidate seam used to check that no token crosses it. */
const PROBE_CHARS = 64;

export interface LongTextOptions {
  /** Stop once this many ids exist. The result then contains exactly this many. */
  maxTokens?: number;
  signal?: AbortSignal;
  /** Called after each chunk with the characters encoded so far and the text length. */
  onProgress?: (encodedChars: number, totalChars: number) => void;
}

export interface LongTextTokens {
  ids: Int32Array;
  /** True when `maxTokens` stopped the encoding before the end of the text. */
  truncated: boolean;
}

interface Seam {
  /** Index of the first character after the seam. */
  position: number;
  /** Start of the left context that is encoded together with the next chunk. */
  contextStart: number;
  contextIds: number[];
}

/**
 * Encodes `text` without special tokens, chunk by chunk. Chunks start at line beginnings.
 * Each chunk after the first is encoded together with the end of the preceding line, and
 * the ids of that context are removed again. That keeps normalizers that act on the start of
 * the input (a prepended "▁", stripped leading spaces) from changing the chunk's first
 * tokens. A seam is used only where the context's ids are a prefix of the ids of context plus
 * the following text, so no token crosses it.
 *
 * NOTE: the result equals one encode call over the whole text when tokens depend only on
 * the text around them, as with BPE vocabularies whose merges stop at whitespace. Tests
 * compare both on wikitext-2 and TinyStories with the stories260K tokenizer. A seam whose
 * check passes on the probe but fails on the whole chunk is encoded without context and
 * logged as a warning.
 */
export function tokenizeLongText(text: string, tokenizer: TextTokenizer, options: LongTextOptions = {}): LongTextTokens {
  const { maxTokens, signal, onProgress } = options;
  if (maxTokens !== undefined && (!Number.isInteger(maxTokens) || maxTokens < 0)) {
    throw new GpruneError('INVALID_ARGUMENT', `maxTokens must be a non-negative integer, not ${maxTokens}.`, { details: { maxTokens } });
  }

  const output = new IdBuffer();
  let start = 0;
  let seam: Seam | null = null;
  let inexactSeams = 0;

  while (start < text.length) {
    throwIfAborted(signal);
    const next = findSeam(text, start, tokenizer);
    const end = next === null ? text.length : next.position;

    if (seam === null) {
      output.push(tokenizer.encode(text.slice(start, end)));
    } else {
      const ids = tokenizer.encode(text.slice(seam.contextStart, end));
      if (startsWith(ids, seam.contextIds)) {
        output.push(ids.slice(seam.contextIds.length));
      } else {
        inexactSeams += 1;
        output.push(tokenizer.encode(text.slice(start, end)));
      }
    }
    onProgress?.(end, text.length);

    if (maxTokens !== undefined && output.length >= maxTokens) {
      const truncated = output.length > maxTokens || end < text.length;
      return { ids: output.toArray(maxTokens), truncated };
    }
    seam = next;
    start = end;
  }

  if (inexactSeams > 0) {
    log.warn(`${inexactSeams} chunk seam(s) were encoded without context, so a token or two there may differ from encoding the text in one call.`);
  }
  return { ids: output.toArray(), truncated: false };
}

/**
 * Finds the first line beginning at least CHUNK_CHARS after `start` where no token crosses
 * from the preceding line into the following text, or returns null when the rest of the
 * text is one chunk.
 */
function findSeam(text: string, start: number, tokenizer: TextTokenizer): Seam | null {
  let lineBreak = text.indexOf('\n', start + CHUNK_CHARS - 1);
  while (lineBreak >= 0 && lineBreak + 1 < text.length) {
    const position = lineBreak + 1;
    const contextStart = contextStartBefore(text, position);
    const contextIds = tokenizer.encode(text.slice(contextStart, position));
    const probeIds = tokenizer.encode(text.slice(contextStart, Math.min(text.length, position + PROBE_CHARS)));
    if (startsWith(probeIds, contextIds)) return { position, contextStart, contextIds };
    lineBreak = text.indexOf('\n', position);
  }
  return null;
}

/**
 * Returns the start of the line that ends at `position`, or, for a line longer than
 * MAX_CONTEXT_CHARS, the first space within its last MAX_CONTEXT_CHARS characters.
 */
function contextStartBefore(text: string, position: number): number {
  const lineStart = text.lastIndexOf('\n', position - 2) + 1;
  if (position - lineStart <= MAX_CONTEXT_CHARS) return lineStart;
  const space = text.indexOf(' ', position - MAX_CONTEXT_CHARS);
  return space >= 0 && space < position - 1 ? space : position - MAX_CONTEXT_CHARS;
}

function startsWith(ids: number[], prefix: number[]): boolean {
  if (prefix.length > ids.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    if (ids[i] !== prefix[i]) return false;
  }
  return true;
}

/** An Int32Array that grows by doubling. */
class IdBuffer {
  private data = new Int32Array(1024);
  length = 0;

  push(ids: ArrayLike<number>): void {
    if (this.length + ids.length > this.data.length) {
      let capacity = this.data.length * 2;
      while (capacity < this.length + ids.length) capacity *= 2;
      const grown = new Int32Array(capacity);
      grown.set(this.data.subarray(0, this.length));
      this.data = grown;
    }
    this.data.set(ids, this.length);
    this.length += ids.length;
  }

  toArray(length = this.length): Int32Array {
    return this.data.slice(0, Math.min(length, this.length));
  }
}
