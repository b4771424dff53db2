/**
 * Independent reference for zero-shot tests: the unmodified model graph, fed by hand
 * (no instrumentation, no project feed builder), with log-softmax computed here in float64.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTokenizer, type TextTokenizer } from '../../src/core/data/tokenizer';
import type { FeedTensor, SessionHandle } from '../../src/core/engine';
import { type LoadedModel, createSession, loadModel } from '../../src/core/run/loaded';
import { createNodeEngine } from '../../src/runtime/nodeEngine';
import { nodeModelFiles } from '../../src/runtime/nodeFiles';

export const SHARED_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared');
export const FOUNDRY_DIR = path.join(SHARED_DIR, 'assets/llm-foundry-eval');
export const HELLASWAG_TEXT = path.join(SHARED_DIR, 'assets/hellaswag-val/hellaswag_val_full.txt');
export const PLAIN_MODEL = path.join(SHARED_DIR, 'models/stories260K-llama');
export const KV_MODEL = path.join(SHARED_DIR, 'models/stories260K-llama-kv');

export interface Fixture {
  loaded: LoadedModel;
  tokenizer: TextTokenizer;
  /** The model graph as exported, no instrumentation. */
  plain: SessionHandle;
  /** Instrumented with the NLL output, as the scorer needs. */
  scoring: SessionHandle;
  release(): Promise<void>;
}

export async function openFixture(dir: string, options: { masks?: boolean } = {}): Promise<Fixture> {
  const engine = createNodeEngine({ threads: 1 });
  const loaded = await loadModel(await nodeModelFiles(dir));
  const tokenizer = loadTokenizer({
    tokenizerJson: readFileSync(path.join(dir, 'tokenizer.json'), 'utf8'),
    tokenizerConfig: readFileSync(path.join(dir, 'tokenizer_config.json'), 'utf8'),
    source: dir,
  });
  const plain = await createSession(engine, loaded);
  const scoring = await createSession(engine, loaded, { stats: false, masks: options.masks ?? false, nll: true });
  return { loaded, tokenizer, plain, scoring, release: async () => (await plain.release(), await scoring.release()) };
}

/** Logits [T, V] of one unpadded sequence; an empty KV cache is fed where the graph has one. */
export async function logitsOf(fixture: Fixture, ids: readonly number[]): Promise<{ data: Float32Array; vocab: number }> {
  const T = ids.length;
  const feeds: Record<string, FeedTensor> = {
    input_ids: { type: 'int64', data: BigInt64Array.from(ids.map(BigInt)), dims: [1, T] },
    attention_mask: { type: 'int64', data: new BigInt64Array(T).fill(1n), dims: [1, T] },
    position_ids: { type: 'int64', data: BigInt64Array.from({ length: T }, (_, t) => BigInt(t)), dims: [1, T] },
  };
  // The stories260K KV fixture has 4 key/value heads of size 8.
  for (const name of fixture.plain.inputNames.filter((n) => n.startsWith('past_key_values.'))) {
    feeds[name] = { type: 'float32', data: new Float32Array(0), dims: [1, 4, 0, 8] };
  }
  const out = await fixture.plain.run(feeds, ['logits']);
  return { data: out.logits.data as Float32Array, vocab: out.logits.dims[2] };
}

/**
 * log p(ids[t + 1] | ids[..t]) for every t, from a float64 log-softmax of the logits. The
 * last id is only a label, so the model reads ids.length − 1 tokens.
 */
export async function tokenLogProbs(fixture: Fixture, ids: readonly number[]): Promise<number[]> {
  const { data, vocab } = await logitsOf(fixture, ids.slice(0, -1));
  const out: number[] = [];
  for (let t = 0; t + 1 < ids.length; t++) {
    const row = data.subarray(t * vocab, (t + 1) * vocab);
    let max = -Infinity;
    for (const x of row) max = Math.max(max, x);
    let sum = 0;
    for (const x of row) sum += Math.exp(x - max);
    out.push(row[ids[t + 1]] - max - Math.log(sum));
  }
  return out;
}

/**
 * Tokens of a (context, continuation) pair by the lm-evaluation-harness rule, written out
 * here: BOS, then encode(context); the continuation is encode(context + continuation)
 * after encode(context).length tokens. Contexts in these tests have no trailing spaces.
 */
export function harnessTokens(tokenizer: TextTokenizer, context: string, continuation: string): { ids: number[]; continuationLength: number } {
  const contextIds = tokenizer.encode(context);
  const whole = tokenizer.encode(context + continuation);
  const continuationIds = whole.slice(contextIds.length);
  return { ids: [tokenizer.bosId!, ...contextIds, ...continuationIds], continuationLength: continuationIds.length };
}

/**
 * Summed log-likelihood of the continuation from the plain graph's logits. Sequences longer
 * than maxLength + 1 tokens keep their last maxLength + 1 (the harness's left cut).
 */
export async function referenceLogLikelihood(fixture: Fixture, context: string, continuation: string, maxLength = 512): Promise<number> {
  const { ids, continuationLength } = harnessTokens(fixture.tokenizer, context, continuation);
  const logProbs = await tokenLogProbs(fixture, ids.slice(-(maxLength + 1)));
  return logProbs.slice(logProbs.length - continuationLength).reduce((a, b) => a + b, 0);
}

/** Generates the model's greedy next `count` tokens after `ids`. */
export async function greedyTokens(fixture: Fixture, ids: readonly number[], count: number): Promise<number[]> {
  const sequence = [...ids];
  for (let i = 0; i < count; i++) {
    const { data, vocab } = await logitsOf(fixture, sequence);
    const row = data.subarray((sequence.length - 1) * vocab, sequence.length * vocab);
    let best = 0;
    for (let v = 1; v < vocab; v++) if (row[v] > row[best]) best = v;
    sequence.push(best);
  }
  return sequence.slice(ids.length);
}

/** Reads the first `count` raw JSON records of a shared LLM Foundry file. */
export function foundryRecords(file: string, count: number): Record<string, unknown>[] {
  const lines = readFileSync(path.join(FOUNDRY_DIR, file), 'utf8').split('\n').filter((l) => l.trim() !== '');
  return lines.slice(0, count).map((line) => JSON.parse(line) as Record<string, unknown>);
}
