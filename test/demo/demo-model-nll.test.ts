// Recomputes the per-domain losses of the model card (public/models/demo/README.md) with
// onnxruntime-node and the JS tokenizer, by the protocol that the card states. The documents
// of each evaluation split are joined with "\n\n" and tokenized without special tokens. The
// tokens are cut into non-overlapping windows of 128, and the remainder is dropped. Each
// window is fed as BOS followed by its first 127 tokens, so all 128 window tokens are
// predicted. The loss is the mean NLL in nats over all predicted tokens.
import fs from 'node:fs';
import path from 'node:path';
import type * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DATASETS_DIR,
  MODEL_DIR,
  type ManifestEntry,
  createSession,
  emptyPast,
  int64Tensor,
  loadConfig,
  loadTokenizer,
  readDocuments,
  readJson,
} from './demoAssets';

const WINDOW = 128;
const BATCH = 16;
const TOLERANCE = 0.02;

const config = loadConfig();
const tokenizer = loadTokenizer();
const evaluation = readJson<ManifestEntry[]>(path.join(DATASETS_DIR, 'manifest.json')).filter(
  (e) => e.split === 'evaluation',
);
let session: ort.InferenceSession;

beforeAll(async () => {
  session = await createSession();
});

/** Reads the "model NLL" column of the model card's loss table, keyed by the first column. */
function modelCardNll(): Map<string, number> {
  const lines = fs.readFileSync(path.join(MODEL_DIR, 'README.md'), 'utf8').split('\n');
  const cells = (line: string): string[] => line.split('|').slice(1, -1).map((c) => c.trim());
  const header = lines.findIndex((l) => l.startsWith('|') && cells(l).includes('model NLL'));
  if (header < 0) throw new Error('model card has no table with a "model NLL" column');
  const column = cells(lines[header]).indexOf('model NLL');
  const values = new Map<string, number>();
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    values.set(cells(line)[0], Number(cells(line)[column]));
  }
  return values;
}

/** Sum of −log softmax(logits)[target] over rows, computed in float64. */
function sumNll(logits: Float32Array, targets: number[], vocab: number): number {
  let total = 0;
  for (let row = 0; row < targets.length; row++) {
    const offset = row * vocab;
    let max = -Infinity;
    for (let v = 0; v < vocab; v++) max = Math.max(max, logits[offset + v]);
    let sum = 0;
    for (let v = 0; v < vocab; v++) sum += Math.exp(logits[offset + v] - max);
    total += max + Math.log(sum) - logits[offset + targets[row]];
  }
  return total;
}

async function evaluationNll(file: string): Promise<number> {
  const text = readDocuments(path.join(DATASETS_DIR, file)).join('\n\n');
  const ids = tokenizer.encode(text, { add_special_tokens: false }).ids;
  const windows: number[][] = [];
  for (let start = 0; start + WINDOW <= ids.length; start += WINDOW) windows.push(ids.slice(start, start + WINDOW));

  let total = 0;
  for (let b = 0; b < windows.length; b += BATCH) {
    const batch = windows.slice(b, b + BATCH);
    const inputs = batch.map((w) => [config.bos_token_id, ...w.slice(0, WINDOW - 1)]);
    const out = await session.run({
      input_ids: int64Tensor(inputs),
      attention_mask: int64Tensor(inputs.map((row) => row.map(() => 1))),
      position_ids: int64Tensor(inputs.map((row) => row.map((_, j) => j))),
      ...emptyPast(config, batch.length),
    });
    total += sumNll(out.logits.data as Float32Array, batch.flat(), config.vocab_size);
  }
  return total / (windows.length * WINDOW);
}

describe('demo model losses', () => {
  const card = modelCardNll();

  it('model card lists every evaluation domain', () => {
    expect([...card.keys()].sort()).toEqual(evaluation.map((e) => e.domain).sort());
  });

  it.each(evaluation.map((e) => [e.domain, e.file] as const))(
    'evaluationNll on %s matches the model card',
    async (domain, file) => {
      const nll = await evaluationNll(file);
      expect(Math.abs(nll - card.get(domain)!), `measured ${nll.toFixed(4)}`).toBeLessThanOrEqual(TOLERANCE);
    },
  );
});
