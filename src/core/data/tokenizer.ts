/**
 * Text tokenizer over the Hugging Face `tokenizer.json` format, backed by
 * @huggingface/tokenizers (the tokenizer code transformers.js itself uses).
 */

import { Tokenizer } from '@huggingface/tokenizers';
import { GpruneError } from '../errors';
import { logger } from '../log';

const log = logger('data');

/** The tokenizer surface the rest of the core uses. Token ids are plain numbers. */
export interface TextTokenizer {
  /**
   * Encodes text to token ids. Special tokens (BOS, EOS, template tokens) are added only when
   * `addSpecialTokens` is true, because callers prepend BOS explicitly where they want it.
   */
  encode(text: string, options?: { addSpecialTokens?: boolean }): number[];
  /** Decodes token ids to text. Special tokens stay in the output unless `skipSpecialTokens` is set. */
  decode(ids: ArrayLike<number>, options?: { skipSpecialTokens?: boolean }): string;
  /** One more than the largest token id, added tokens included. */
  readonly vocabSize: number;
  readonly bosId: number | null;
  readonly eosId: number | null;
  readonly padId: number | null;
}

/** The files of a tokenizer folder, as JSON text or already parsed. */
export interface TokenizerFiles {
  /** Contents of `tokenizer.json`. */
  tokenizerJson: string | object;
  /** Contents of `tokenizer_config.json`; the source of bos_token, eos_token and pad_token. */
  tokenizerConfig?: string | object;
  /** File or folder name used in error messages, e.g. `models/llama/tokenizer.json`. */
  source?: string;
}

/**
 * Loads a tokenizer from `tokenizer.json` (and optionally `tokenizer_config.json`) and resolves
 * the BOS, EOS and PAD ids named in the config. Raises TOKENIZER_INVALID when a file is not
 * JSON, when the library rejects the tokenizer, or when the config names a special token
 * that is not in the vocabulary.
 */
export function loadTokenizer(files: TokenizerFiles): TextTokenizer {
  const source = files.source ?? 'tokenizer.json';
  const tokenizerJson = parseJsonObject(files.tokenizerJson, source, 'tokenizer.json');
  const tokenizerConfig =
    files.tokenizerConfig === undefined ? {} : parseJsonObject(files.tokenizerConfig, source, 'tokenizer_config.json');

  let tokenizer: Tokenizer;
  try {
    tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);
    // Some unsupported components only fail when text goes through them.
    tokenizer.decode(tokenizer.encode('Hello world.', { add_special_tokens: false }).ids);
  } catch (error) {
    throw new GpruneError(
      'TOKENIZER_INVALID',
      `The tokenizer in ${source} could not be loaded: ${errorText(error)}. ` +
        'Provide the tokenizer.json (and tokenizer_config.json) saved with the model by Hugging Face tokenizers or transformers.',
      { cause: error, details: { source } },
    );
  }

  const vocabulary = tokenizer.get_vocab(true);
  let maxId = -1;
  for (const id of vocabulary.values()) maxId = Math.max(maxId, id);
  if (maxId < 0) {
    throw new GpruneError('TOKENIZER_INVALID', `The tokenizer in ${source} has an empty vocabulary. Provide the model's own tokenizer.json.`, {
      details: { source },
    });
  }

  const specialId = (key: 'bos_token' | 'eos_token' | 'pad_token'): number | null => {
    const content = specialTokenContent(tokenizerConfig[key]);
    if (content === null) return null;
    const id = vocabulary.get(content);
    if (id === undefined) {
      throw new GpruneError(
        'TOKENIZER_INVALID',
        `tokenizer_config.json in ${source} sets ${key} to "${content}", which is not in the vocabulary of tokenizer.json. ` +
          'Use the tokenizer_config.json that belongs to this tokenizer.json.',
        { details: { source, key, content } },
      );
    }
    return id;
  };

  const bosId = specialId('bos_token');
  const eosId = specialId('eos_token');
  const padId = specialId('pad_token');
  log.debug(() => `loaded tokenizer from ${source}: vocabulary size ${maxId + 1}, bos ${bosId}, eos ${eosId}, pad ${padId}`);

  return {
    encode: (text, options) => tokenizer.encode(text, { add_special_tokens: options?.addSpecialTokens ?? false }).ids,
    decode: (ids, options) => tokenizer.decode(Array.from(ids), { skip_special_tokens: options?.skipSpecialTokens ?? false }),
    vocabSize: maxId + 1,
    bosId,
    eosId,
    padId,
  };
}

function parseJsonObject(value: string | object, source: string, fileName: string): Record<string, unknown> {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      throw new GpruneError('TOKENIZER_INVALID', `${fileName} in ${source} is not valid JSON: ${errorText(error)}. Provide the file as saved with the model.`, {
        cause: error,
        details: { source, fileName },
      });
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new GpruneError('TOKENIZER_INVALID', `${fileName} in ${source} must contain a JSON object. Provide the file as saved with the model.`, {
      details: { source, fileName },
    });
  }
  return parsed as Record<string, unknown>;
}

/** Reads a special-token entry of tokenizer_config.json, which is a string or an AddedToken object `{content}`. */
function specialTokenContent(entry: unknown): string | null {
  if (typeof entry === 'string') return entry;
  if (typeof entry === 'object' && entry !== null && typeof (entry as { content?: unknown }).content === 'string') {
    return (entry as { content: string }).content;
  }
  return null;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
