// Shared loaders for the tests of the shipped demo model (public/models/demo) and the
// built-in datasets (public/datasets).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { Tokenizer } from '@huggingface/tokenizers';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const MODEL_DIR = path.join(REPO_ROOT, 'public/models/demo');
export const DATASETS_DIR = path.join(REPO_ROOT, 'public/datasets');
export const DOC_SEPARATOR = '<|endoftext|>';

export interface DemoConfig {
  hidden_size: number;
  intermediate_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  num_key_value_heads: number;
  head_dim: number;
  vocab_size: number;
  max_position_embeddings: number;
  bos_token_id: number;
  eos_token_id: number;
  model_type: string;
  use_cache: boolean;
  tie_word_embeddings: boolean;
}

export interface ManifestEntry {
  id: string;
  domain: string;
  split: 'calibration' | 'evaluation';
  file: string;
  documents: number;
  licence: string;
  source: string;
  bytes: number;
  sha256: string;
}

export function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

export function loadConfig(): DemoConfig {
  return readJson<DemoConfig>(path.join(MODEL_DIR, 'config.json'));
}

export function loadTokenizer(): Tokenizer {
  return new Tokenizer(
    readJson<object>(path.join(MODEL_DIR, 'tokenizer.json')),
    readJson<object>(path.join(MODEL_DIR, 'tokenizer_config.json')),
  );
}

export function createSession(): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(path.join(MODEL_DIR, 'onnx', 'model.onnx'), { intraOpNumThreads: 1 });
}

/** Splits a dataset file into its documents (separated by lines equal to <|endoftext|>). */
export function readDocuments(file: string): string[] {
  let text = fs.readFileSync(file, 'utf8');
  if (text.endsWith('\n')) text = text.slice(0, -1);
  return text.split(`\n${DOC_SEPARATOR}\n`);
}

export function int64Tensor(rows: number[][]): ort.Tensor {
  const flat = BigInt64Array.from(rows.flat().map((v) => BigInt(v)));
  return new ort.Tensor('int64', flat, [rows.length, rows[0].length]);
}

/** past_key_values.N.key / .value feeds with past_seq = 0. */
export function emptyPast(config: DemoConfig, batch: number): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  const dims = [batch, config.num_key_value_heads, 0, config.head_dim];
  for (let layer = 0; layer < config.num_hidden_layers; layer++) {
    for (const kind of ['key', 'value']) {
      feeds[`past_key_values.${layer}.${kind}`] = new ort.Tensor('float32', new Float32Array(0), dims);
    }
  }
  return feeds;
}

/** present.N.* outputs of one run, renamed as the past_key_values.N.* feeds of the next. */
export function presentAsPast(config: DemoConfig, outputs: ort.InferenceSession.OnnxValueMapType): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  for (let layer = 0; layer < config.num_hidden_layers; layer++) {
    for (const kind of ['key', 'value']) {
      feeds[`past_key_values.${layer}.${kind}`] = outputs[`present.${layer}.${kind}`] as ort.Tensor;
    }
  }
  return feeds;
}
