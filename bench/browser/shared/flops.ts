/**
 * Floating-point operations of a forward pass of a LLaMA-style decoder, from config.json.
 * An estimate: it counts the matrix products and attention scores, not norms, RoPE,
 * activations or softmax.
 */

export interface ForwardShape {
  layers: number;
  hidden: number;
  heads: number;
  headDim: number;
  vocab: number;
  tiedEmbeddings: boolean;
}

/** Reads the decoder shape from a parsed config.json; NaN fields when a key is missing. */
export function forwardShape(config: Record<string, unknown>): ForwardShape {
  const hidden = Number(config.hidden_size);
  const heads = Number(config.num_attention_heads);
  return {
    layers: Number(config.num_hidden_layers),
    hidden,
    heads,
    headDim: Number(config.head_dim ?? hidden / heads),
    vocab: Number(config.vocab_size),
    tiedEmbeddings: Boolean(config.tie_word_embeddings),
  };
}

/**
 * FLOPs of one forward pass over `windows` windows of `sequence` tokens. `parameters` is the model's total parameter count. Every weight matrix costs
 * one multiply-add per token. The embedding lookup costs nothing, but a tied embedding is
 * also the LM head, so it is counted once as a product. Norm weights are subtracted.
 */
export function forwardFlops(shape: ForwardShape, parameters: number, sequence: number, windows: number): number {
  const lookupOnly = shape.tiedEmbeddings ? 0 : shape.vocab * shape.hidden;
  const normWeights = (2 * shape.layers + 1) * shape.hidden;
  const matmulParameters = parameters - lookupOnly - normWeights;
  // q·kᵀ and p·v over all `sequence` keys: the graph scores every key and masks afterwards.
  const attentionPerToken = shape.layers * 2 * 2 * shape.heads * shape.headDim * sequence;
  return windows * sequence * (2 * matmulParameters + attentionPerToken);
}
