/**
 * Options of zero-shot scoring, their defaults and their validation.
 */
import { GpruneError } from '../errors';
import type { ProgressListener } from '../progress';
import type { LayerOverrides } from '../run/feeds';
import type { LoadedModel } from '../run/loaded';
import type { LengthUnit } from './multipleChoiceMetrics';

/**
 * `prefix-cache`: graphs with a KV cache run each item's shared prefix once, then all its
 * continuations in one batch from the cached keys/values. `batched`: one right-padded
 * window per request, an item's requests in the same run. `per-request`: one run per
 * request (the slow reference). `auto`: prefix-cache when the graph has a KV cache and its
 * first run agrees with `batched`, else batched.
 */
export type ScoringStrategy = 'auto' | 'prefix-cache' | 'batched' | 'per-request';

export interface ScoreTaskOptions {
  /** Rows (one per request) per onnxruntime run. @defaultValue 16 */
  batchSize: number;
  /** Score only the first `limit` items. */
  limit?: number;
  /** Keep-masks and output biases per layer; needs a session created with mask inputs. */
  overrides?: LayerOverrides;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** @defaultValue 'auto' */
  strategy: ScoringStrategy;
  /**
   * Put the tokenizer's BOS before every context. @defaultValue true when the tokenizer has a BOS id
   * NOTE: recent lm-evaluation-harness versions leave BOS to the tokenizer, which adds none
   * for GPT-2-style tokenizers; pass false to match the harness for those models.
   */
  addBos?: boolean;
  /**
   * Most tokens the model reads per request; longer requests lose context tokens from the
   * left. @defaultValue max_position_embeddings (or n_positions, n_ctx) of config.json, else 2048
   */
  maxLength?: number;
  /**
   * Length unit of acc_norm: the continuation's UTF-8 bytes, or its characters as
   * lm-evaluation-harness's code counts them (`len(str)`); the two agree on ASCII text.
   * @defaultValue 'bytes'
   */
  lengthUnit: LengthUnit;
}

export const DEFAULT_SCORE_TASK_OPTIONS = {
  batchSize: 16,
  strategy: 'auto',
  lengthUnit: 'bytes',
} as const satisfies Partial<ScoreTaskOptions>;

/** Context length used when config.json states none (lm-evaluation-harness's default). */
export const FALLBACK_MAX_LENGTH = 2048;

const STRATEGIES: readonly ScoringStrategy[] = ['auto', 'prefix-cache', 'batched', 'per-request'];

/** Raises INVALID_CONFIG naming the first invalid option. */
export function validateScoreTaskOptions(options: ScoreTaskOptions): void {
  const fail = (message: string) => {
    throw new GpruneError('INVALID_CONFIG', message);
  };
  if (!Number.isInteger(options.batchSize) || options.batchSize < 1) fail(`batchSize ${options.batchSize} is invalid: give a positive integer number of rows per run.`);
  if (options.limit !== undefined && !(Number.isInteger(options.limit) && options.limit >= 1)) fail(`limit ${options.limit} is invalid: give a positive integer number of items, or leave it out for all items.`);
  if (!STRATEGIES.includes(options.strategy)) fail(`strategy "${options.strategy}" is not supported. Use one of: ${STRATEGIES.join(', ')}.`);
  if (options.maxLength !== undefined && !(Number.isInteger(options.maxLength) && options.maxLength >= 2)) fail(`maxLength ${options.maxLength} is invalid: give an integer of at least 2 tokens.`);
  if (options.lengthUnit !== 'characters' && options.lengthUnit !== 'bytes') fail(`lengthUnit "${options.lengthUnit}" is not supported. Use characters or bytes.`);
}

/** Reads the model's context length from config.json, else returns FALLBACK_MAX_LENGTH. */
export function modelMaxLength(loaded: LoadedModel): number {
  for (const key of ['max_position_embeddings', 'n_positions', 'n_ctx']) {
    const value = Number(loaded.config?.[key]);
    if (Number.isInteger(value) && value >= 2) return value;
  }
  return FALLBACK_MAX_LENGTH;
}
