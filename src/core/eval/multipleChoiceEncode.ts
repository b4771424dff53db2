/**
 * Tokenization of (context, continuation) pairs the way lm-evaluation-harness does it, and
 * the cut of long sequences to the model's context length.
 */
import type { TextTokenizer } from '../data/tokenizer';
import { GpruneError } from '../errors';
import type { ScoringRequest, TaskItem } from './tasks/types';

/** One request as tokens: the context followed by the continuation. */
export interface EncodedRequest {
  /** Context and continuation tokens, cut from the left to at most maxLength + 1 tokens. */
  tokens: Int32Array;
  /** Number of continuation tokens at the end of `tokens`; each is scored. */
  continuationTokens: number;
  /** Whether context tokens were dropped from the left to fit maxLength. */
  truncated: boolean;
}

export interface EncodePairOptions {
  /** Token put before every context (BOS), or null for none. */
  prefixId: number | null;
  /**
   * Token that stands for an empty context (the harness's prefix token: BOS, else EOS), so
   * the first continuation token has something to be predicted from.
   */
  emptyContextId: number | null;
}

/**
 * Splits `request` into context and continuation tokens as the harness's `_encode_pair`:
 * trailing whitespace of the context moves to the start of the continuation, then the
 * continuation tokens are those of encode(context + continuation) after the first
 * encode(context).length tokens. Merges across the boundary therefore count toward the
 * continuation.
 */
export function encodePair(tokenizer: TextTokenizer, request: ScoringRequest, options: EncodePairOptions): { context: number[]; continuation: number[] } {
  const trimmed = request.context.replace(/\s+$/, '');
  const continuationText = request.context.slice(trimmed.length) + request.continuation;
  const whole = tokenizer.encode(trimmed + continuationText);
  const contextIds = trimmed === '' ? [] : tokenizer.encode(trimmed);
  const continuation = whole.slice(contextIds.length);
  const prefix = options.prefixId !== null ? [options.prefixId] : [];
  const context = [...prefix, ...contextIds];
  if (context.length === 0) {
    if (options.emptyContextId === null) {
      throw new GpruneError('TOKENIZER_INVALID', `The context of "${request.continuation.slice(0, 40)}" is empty and the tokenizer has neither BOS nor EOS to start from. Use a tokenizer_config.json that names bos_token or eos_token.`);
    }
    context.push(options.emptyContextId);
  }
  return { context, continuation };
}

/**
 * Encodes a request and keeps at most `maxLength + 1` tokens, dropping context tokens from
 * the left: the model then reads at most maxLength tokens and predicts every continuation
 * token (the harness's `(context + continuation)[-(max_length + 1):]`).
 */
export function encodeRequest(tokenizer: TextTokenizer, request: ScoringRequest, options: EncodePairOptions & { maxLength: number; where: string }): EncodedRequest {
  const { context, continuation } = encodePair(tokenizer, request, options);
  if (continuation.length > options.maxLength) {
    throw new GpruneError('INVALID_ARGUMENT', `${options.where}: the continuation has ${continuation.length} tokens, more than the maximum length ${options.maxLength}. Raise maxLength or drop that item.`);
  }
  const all = [...context, ...continuation];
  const keep = Math.min(all.length, options.maxLength + 1);
  return { tokens: Int32Array.from(all.slice(all.length - keep)), continuationTokens: continuation.length, truncated: keep < all.length };
}

export function encodeItem(tokenizer: TextTokenizer, item: TaskItem, options: EncodePairOptions & { maxLength: number }): EncodedRequest[] {
  return item.requests.map((request) => encodeRequest(tokenizer, request, { ...options, where: item.source }));
}
