/**
 * Shapes of LLaMA-family decoders (LLaMA, SmolLM2, Qwen2) that the generator builds, with
 * presets copied from the models' published config.json files.
 */
import { GpruneError } from '../errors';

export interface LlamaShape {
  /** Preset id, also written to config.json as `_name_or_path`. */
  name: string;
  /** config.json `model_type`: `llama` or `qwen2` (Qwen2 adds q/k/v biases). */
  modelType: 'llama' | 'qwen2';
  /** hidden_size. */
  hidden: number;
  /** intermediate_size: FFN neurons per layer. */
  intermediate: number;
  /** num_hidden_layers. */
  layers: number;
  /** num_attention_heads. */
  heads: number;
  /** num_key_value_heads; a divisor of `heads` (grouped-query attention when smaller). */
  kvHeads: number;
  /** head_dim; hidden / heads in every preset. */
  headDim: number;
  /** vocab_size. */
  vocab: number;
  /** rope_theta. */
  ropeTheta: number;
  /** rms_norm_eps. */
  rmsEps: number;
  /** tie_word_embeddings: the LM head reuses the token embedding (through a Transpose node). */
  tiedEmbeddings: boolean;
  /** q/k/v projections carry a bias (Qwen2). */
  attentionBias: boolean;
  /** max_position_embeddings (config.json only; the graph accepts any position). */
  maxPositions: number;
}

function shape(fields: Omit<LlamaShape, 'headDim'> & { headDim?: number }): LlamaShape {
  return { ...fields, headDim: fields.headDim ?? fields.hidden / fields.heads };
}

/** Preset shapes. `tiny` is for tests; `big` has 551.3M parameters, 2.2 GB (2.05 GiB) of float32 weights. */
export const LLAMA_PRESETS = {
  tiny: shape({ name: 'tiny', modelType: 'llama', hidden: 32, intermediate: 48, layers: 2, heads: 4, kvHeads: 2, vocab: 320, ropeTheta: 10000, rmsEps: 1e-5, tiedEmbeddings: false, attentionBias: false, maxPositions: 512 }),
  // HuggingFaceTB/SmolLM2-135M config.json
  'smollm2-135m': shape({ name: 'smollm2-135m', modelType: 'llama', hidden: 576, intermediate: 1536, layers: 30, heads: 9, kvHeads: 3, vocab: 49152, ropeTheta: 100000, rmsEps: 1e-5, tiedEmbeddings: true, attentionBias: false, maxPositions: 8192 }),
  // HuggingFaceTB/SmolLM2-360M config.json
  'smollm2-360m': shape({ name: 'smollm2-360m', modelType: 'llama', hidden: 960, intermediate: 2560, layers: 32, heads: 15, kvHeads: 5, vocab: 49152, ropeTheta: 100000, rmsEps: 1e-5, tiedEmbeddings: true, attentionBias: false, maxPositions: 8192 }),
  // Qwen/Qwen2.5-0.5B config.json
  'qwen2.5-0.5b': shape({ name: 'qwen2.5-0.5b', modelType: 'qwen2', hidden: 896, intermediate: 4864, layers: 24, heads: 14, kvHeads: 2, vocab: 151936, ropeTheta: 1000000, rmsEps: 1e-6, tiedEmbeddings: true, attentionBias: true, maxPositions: 32768 }),
  big: shape({ name: 'big', modelType: 'llama', hidden: 1536, intermediate: 4096, layers: 18, heads: 12, kvHeads: 4, vocab: 32000, ropeTheta: 10000, rmsEps: 1e-5, tiedEmbeddings: false, attentionBias: false, maxPositions: 4096 }),
} as const satisfies Record<string, LlamaShape>;

export type LlamaPreset = keyof typeof LLAMA_PRESETS;

/** Returns the preset named `name` (case-insensitive). */
export function presetShape(name: string): LlamaShape {
  const shape = (LLAMA_PRESETS as Record<string, LlamaShape>)[name.toLowerCase()];
  if (!shape) throw new GpruneError('INVALID_CONFIG', `Unknown model shape "${name}". Use one of: ${Object.keys(LLAMA_PRESETS).join(', ')}.`);
  return shape;
}

/** Raises INVALID_CONFIG naming the first field that cannot form a working graph. */
export function validateShape(shape: LlamaShape): void {
  const check = (field: keyof LlamaShape, ok: boolean, expected: string) => {
    if (!ok) throw new GpruneError('INVALID_CONFIG', `Shape ${shape.name}: ${field} ${String(shape[field])} is invalid: expected ${expected}.`);
  };
  const positive = (field: keyof LlamaShape) => check(field, Number.isInteger(shape[field]) && (shape[field] as number) >= 1, 'an integer ≥ 1');
  for (const field of ['hidden', 'intermediate', 'layers', 'heads', 'kvHeads', 'vocab', 'maxPositions'] as const) positive(field);
  check('headDim', Number.isInteger(shape.headDim) && shape.headDim >= 2 && shape.headDim % 2 === 0, 'an even integer ≥ 2 (RoPE rotates pairs)');
  check('kvHeads', shape.heads % shape.kvHeads === 0, `a divisor of heads (${shape.heads})`);
  check('ropeTheta', Number.isFinite(shape.ropeTheta) && shape.ropeTheta > 1, 'a number > 1');
  check('rmsEps', Number.isFinite(shape.rmsEps) && shape.rmsEps > 0, 'a number > 0');
}

/** Parameters of the model the generator writes (the tied embedding counted once). */
export function countParameters(shape: LlamaShape): number {
  const { hidden, intermediate, layers, heads, kvHeads, headDim, vocab } = shape;
  const attention = hidden * heads * headDim * 2 + hidden * kvHeads * headDim * 2 + (shape.attentionBias ? heads * headDim + 2 * kvHeads * headDim : 0);
  const perLayer = attention + 3 * hidden * intermediate + 2 * hidden;
  return layers * perLayer + vocab * hidden * (shape.tiedEmbeddings ? 1 : 2) + hidden;
}
