// Check the exported demo model with onnxruntime-node against the PyTorch reference.
//
// 1. Logits of each reference case (no cache, left padding, cached step) match PyTorch
//    within 1e-4 (max abs difference).
// 2. Greedy generation with the KV cache yields the same tokens as recomputing the
//    whole sequence without a cache, for a prompt from each domain.
//
// Usage (from the repository root):
//   node tools/demo/check-onnx.mjs [--model-dir public/models/demo] [--reference /tmp/gprune-demo/reference.json]
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { Tokenizer } from '@huggingface/tokenizers';

const { values: options } = parseArgs({
  options: {
    'model-dir': { type: 'string', default: 'public/models/demo' },
    reference: { type: 'string', default: '/tmp/gprune-demo/reference.json' },
    tokens: { type: 'string', default: '40' },
  },
});
const TOLERANCE = 1e-4;
const modelDir = options['model-dir'];
const config = JSON.parse(fs.readFileSync(path.join(modelDir, 'config.json'), 'utf8'));
const session = await ort.InferenceSession.create(path.join(modelDir, 'onnx', 'model.onnx'), {
  intraOpNumThreads: 1,
});
const kvShape = (batch, len) => [batch, config.num_key_value_heads, len, config.head_dim];

function int64(rows) {
  const flat = rows.flat();
  return new ort.Tensor('int64', BigInt64Array.from(flat.map(BigInt)), [rows.length, rows[0].length]);
}

function emptyPast(batch) {
  const feeds = {};
  for (let i = 0; i < config.num_hidden_layers; i++) {
    for (const kind of ['key', 'value']) {
      feeds[`past_key_values.${i}.${kind}`] = new ort.Tensor('float32', new Float32Array(0), kvShape(batch, 0));
    }
  }
  return feeds;
}

function presentsAsPast(outputs) {
  const feeds = {};
  for (let i = 0; i < config.num_hidden_layers; i++) {
    for (const kind of ['key', 'value']) feeds[`past_key_values.${i}.${kind}`] = outputs[`present.${i}.${kind}`];
  }
  return feeds;
}

async function run(inputIds, attentionMask, positionIds, past) {
  return session.run({
    input_ids: int64(inputIds),
    attention_mask: int64(attentionMask),
    position_ids: int64(positionIds),
    ...past,
  });
}

let failures = 0;
const reference = JSON.parse(fs.readFileSync(options.reference, 'utf8'));
for (const c of reference.cases) {
  let past = emptyPast(c.input_ids.length);
  if (c.past_len > 0) {
    const prefixMask = c.attention_mask.map((row) => row.slice(0, c.past_len));
    const prefixPos = c.prefix_ids.map((row) => row.map((_, j) => j));
    past = presentsAsPast(await run(c.prefix_ids, prefixMask, prefixPos, past));
  }
  const out = await run(c.input_ids, c.attention_mask, c.position_ids, past);
  const expected = c.logits.flat(2);
  let maxDiff = 0;
  for (let i = 0; i < expected.length; i++) maxDiff = Math.max(maxDiff, Math.abs(out.logits.data[i] - expected[i]));
  const ok = maxDiff <= TOLERANCE && out.logits.data.length === expected.length;
  if (!ok) failures++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} logits vs PyTorch, ${c.name}: max abs diff ${maxDiff.toExponential(2)}`);
}

function argmaxLast(logits) {
  const [, seq, vocab] = logits.dims;
  const offset = (seq - 1) * vocab;
  let best = 0;
  for (let v = 1; v < vocab; v++) if (logits.data[offset + v] > logits.data[offset + best]) best = v;
  return best;
}

async function greedyNoCache(prompt, count) {
  const ids = [...prompt];
  for (let k = 0; k < count; k++) {
    const out = await run([ids], [ids.map(() => 1)], [ids.map((_, j) => j)], emptyPast(1));
    ids.push(argmaxLast(out.logits));
  }
  return ids.slice(prompt.length);
}

async function greedyCached(prompt, count) {
  const ids = [...prompt];
  let out = await run([ids], [ids.map(() => 1)], [ids.map((_, j) => j)], emptyPast(1));
  for (let k = 0; k < count; k++) {
    const next = argmaxLast(out.logits);
    ids.push(next);
    if (k === count - 1) break;
    out = await run([[next]], [ids.map(() => 1)], [[ids.length - 1]], presentsAsPast(out));
  }
  return ids.slice(prompt.length);
}

const tokenizer = new Tokenizer(
  JSON.parse(fs.readFileSync(path.join(modelDir, 'tokenizer.json'), 'utf8')),
  JSON.parse(fs.readFileSync(path.join(modelDir, 'tokenizer_config.json'), 'utf8')),
);
const prompts = [
  'And it came to pass, when the',
  'The :mod:`json` module',
  'def __init__(self',
  'river, stream (noun):',
];
const count = Number(options.tokens);
for (const text of prompts) {
  const prompt = [config.bos_token_id, ...tokenizer.encode(text, { add_special_tokens: false }).ids];
  const cached = await greedyCached(prompt, count);
  const plain = await greedyNoCache(prompt, count);
  const ok = cached.length === plain.length && cached.every((t, i) => t === plain[i]);
  if (!ok) failures++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} greedy with cache equals no cache: ${JSON.stringify(text + tokenizer.decode(cached))}`);
}

if (failures > 0) {
  console.error(`${failures} check(s) failed`);
  process.exit(1);
}
