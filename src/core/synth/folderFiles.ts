/**
 * The small files of a generated model folder: config.json in transformers' format and a
 * byte-level BPE tokenizer (256 byte tokens, no merges, plus `<|endoftext|>`), enough for
 * the CLI and the studio to tokenize text for a generated model.
 */
import type { LlamaShape } from './shapes';

/** Id of `<|endoftext|>` (BOS and EOS) in the byte-level tokenizer; the 256 byte tokens come first. */
export const END_OF_TEXT_ID = 256;
/** Token count of the byte-level tokenizer; models with a smaller vocabulary get no tokenizer. */
export const BYTE_TOKENIZER_SIZE = 257;

export function llamaConfigJson(shape: LlamaShape, facts: { dataType: 'float32' | 'float16'; kvCache: boolean; initStd: number }): Record<string, unknown> {
  const special = shape.vocab >= BYTE_TOKENIZER_SIZE ? END_OF_TEXT_ID : null;
  return {
    _name_or_path: `gprune-synth/${shape.name}`,
    architectures: [shape.modelType === 'qwen2' ? 'Qwen2ForCausalLM' : 'LlamaForCausalLM'],
    model_type: shape.modelType,
    hidden_size: shape.hidden,
    intermediate_size: shape.intermediate,
    num_hidden_layers: shape.layers,
    num_attention_heads: shape.heads,
    num_key_value_heads: shape.kvHeads,
    head_dim: shape.headDim,
    vocab_size: shape.vocab,
    hidden_act: 'silu',
    rms_norm_eps: shape.rmsEps,
    rope_theta: shape.ropeTheta,
    rope_scaling: null,
    max_position_embeddings: shape.maxPositions,
    tie_word_embeddings: shape.tiedEmbeddings,
    attention_bias: shape.attentionBias,
    mlp_bias: false,
    initializer_range: facts.initStd,
    bos_token_id: special,
    eos_token_id: special,
    torch_dtype: facts.dataType,
    use_cache: facts.kvCache,
  };
}

/** GPT-2's byte → printable character table, so every byte is one token of a ByteLevel BPE. */
function byteToCharacter(): string[] {
  const printable: number[] = [];
  for (let c = 0x21; c <= 0x7e; c++) printable.push(c);
  for (let c = 0xa1; c <= 0xac; c++) printable.push(c);
  for (let c = 0xae; c <= 0xff; c++) printable.push(c);
  const table: string[] = new Array(256);
  let extra = 0;
  for (let byte = 0; byte < 256; byte++) {
    table[byte] = String.fromCodePoint(printable.includes(byte) ? byte : 256 + extra++);
  }
  return table;
}

/** tokenizer.json of a byte-level BPE without merges: token id = byte value. */
export function byteTokenizerJson(): Record<string, unknown> {
  const vocab: Record<string, number> = {};
  byteToCharacter().forEach((character, byte) => (vocab[character] = byte));
  vocab['<|endoftext|>'] = END_OF_TEXT_ID;
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [{ id: END_OF_TEXT_ID, content: '<|endoftext|>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }],
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: byteLevel,
    decoder: byteLevel,
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab, merges: [] },
  };
}

export function byteTokenizerConfigJson(maxLength: number): Record<string, unknown> {
  return {
    tokenizer_class: 'GPT2Tokenizer',
    bos_token: '<|endoftext|>',
    eos_token: '<|endoftext|>',
    unk_token: null,
    add_bos_token: false,
    clean_up_tokenization_spaces: false,
    model_max_length: maxLength,
  };
}
