/**
 * Mutation fuzzing of the model reader: the stories260K .onnx with bits flipped, cut short,
 * or with a length prefix rewritten, under a fixed seed. Opening and analysing each mutant
 * must either succeed or raise GpruneError, finish quickly, and allocate no more than a
 * bounded amount of memory.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { analyzeModel } from '../../src/core/anatomy/analyze';
import { summarizeModel } from '../../src/core/api/summary';
import { isGpruneError } from '../../src/core/errors';
import { memoryFiles, memorySource } from '../../src/core/onnx/files';
import { readOnnxModel } from '../../src/core/onnx/model';
import { findInitializer, readTensorBytes } from '../../src/core/onnx/tensor';
import { type WireField, wireFields, withLength } from '../corpus/protobufFields';
import { fixtureDir } from '../helpers/fixtures';
import { seededRandom } from '../helpers/onnxGraph';

const SEED = 20261204;
/** Mutants per kind; four kinds. Override with GPRUNE_FUZZ_CASES for a longer run. */
const CASES_PER_KIND = Number(process.env.GPRUNE_FUZZ_CASES ?? 500);
/** The slowest mutant may take this long (ms); the unmutated model takes a few ms. */
const MAX_CASE_MS = 1000;
/** Growth of heapUsed + arrayBuffers over the start, sampled after each case (bytes). */
const MAX_MEMORY_GROWTH = 256 * 2 ** 20;

const original = new Uint8Array(readFileSync(path.join(fixtureDir('stories260K-llama'), 'onnx/model.onnx')));

/** Length-delimited fields of the model, its graph, and the graph's nodes, initializers and value infos. */
function structuralFields(bytes: Uint8Array): WireField[] {
  const top = wireFields(bytes);
  const graph = top.find((f) => f.field === 7)!;
  const graphFields = wireFields(bytes, graph.dataStart, graph.end);
  const nested = graphFields.filter((f) => f.wireType === 2 && [1, 5, 11, 12, 13].includes(f.field)).flatMap((f) => wireFields(bytes, f.dataStart, f.end));
  return [...top, ...graphFields, ...nested].filter((f) => f.wireType === 2);
}

const fields = structuralFields(original);

type Mutation = { kind: string; bytes: Uint8Array };

function mutate(kind: string, next: () => number): Mutation {
  const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)];
  switch (kind) {
    case 'bit-flip': {
      const bytes = original.slice();
      const flips = 1 + Math.floor(next() * 8);
      for (let i = 0; i < flips; i++) {
        // Half the flips hit a key or length prefix, where they change structure rather than a weight value.
        const field = pick(fields);
        const offset = next() < 0.5 ? field.start + Math.floor(next() * (field.dataStart - field.start)) : Math.floor(next() * bytes.length);
        bytes[offset] ^= 1 << Math.floor(next() * 8);
      }
      return { kind, bytes };
    }
    case 'truncate':
      return { kind, bytes: original.subarray(0, Math.floor(next() * original.length)) };
    case 'length-prefix': {
      const field = pick(fields);
      const length = field.end - field.dataStart;
      const candidates = [0, 1, length - 1, length + 1, length * 2, 2 ** 31 - 1, 2 ** 32 + 5, 2 ** 53 - 1, Math.floor(next() * original.length)];
      return { kind, bytes: withLength(original, field, Math.max(0, pick(candidates))) };
    }
    case 'splice': {
      // A copy of one field's bytes inserted at another field's start: duplicated nodes, initializers and names.
      const source = pick(fields);
      const target = pick(fields);
      const bytes = new Uint8Array(original.length + source.end - source.start);
      bytes.set(original.subarray(0, target.start), 0);
      bytes.set(original.subarray(source.start, source.end), target.start);
      bytes.set(original.subarray(target.start), target.start + source.end - source.start);
      return { kind, bytes };
    }
    default:
      throw new Error(`unknown mutation ${kind}`);
  }
}

/** Opens a mutant as the studio opens a model: parse, check external data, analyse, summarise, read the first FFN weights. */
async function openMutant(bytes: Uint8Array): Promise<'ok' | string> {
  try {
    const model = await readOnnxModel(memoryFiles('fuzz', [memorySource('onnx/model.onnx', bytes)]));
    const anatomy = analyzeModel(model);
    summarizeModel({ model, anatomy });
    const [block] = anatomy.ffn;
    for (const projection of [block.gate, block.up, block.down]) if (projection) await readTensorBytes(model, findInitializer(model, projection.initializer));
    return 'ok';
  } catch (error) {
    if (isGpruneError(error)) return error.code;
    throw error;
  }
}

function memoryInUse(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

test('readOnnxModel and analyzeModel raise only GpruneError on mutated models', async () => {
  const next = seededRandom(SEED);
  const outcomes = new Map<string, number>();
  const unexpected: string[] = [];
  let slowest = { ms: 0, kind: '' };
  let maxGrowth = 0;

  expect(await openMutant(original)).toBe('ok');
  const baseline = memoryInUse();
  const started = performance.now();
  let cases = 0;
  for (const kind of ['bit-flip', 'truncate', 'length-prefix', 'splice']) {
    for (let i = 0; i < CASES_PER_KIND; i++) {
      const mutation = mutate(kind, next);
      const caseStart = performance.now();
      try {
        const outcome = await openMutant(mutation.bytes);
        outcomes.set(`${kind} → ${outcome}`, (outcomes.get(`${kind} → ${outcome}`) ?? 0) + 1);
      } catch (error) {
        if (unexpected.length < 10) unexpected.push(`${kind} #${i}: ${error instanceof Error ? `${error.name}: ${error.message}\n${error.stack}` : String(error)}`);
      }
      const ms = performance.now() - caseStart;
      if (ms > slowest.ms) slowest = { ms, kind: `${kind} #${i}` };
      maxGrowth = Math.max(maxGrowth, memoryInUse() - baseline);
      cases++;
    }
  }
  const seconds = (performance.now() - started) / 1000;

  console.log(`fuzz: ${cases} mutants in ${seconds.toFixed(1)} s (${(cases / seconds).toFixed(0)} cases/s), slowest ${slowest.ms.toFixed(0)} ms (${slowest.kind}), max memory growth ${(maxGrowth / 2 ** 20).toFixed(0)} MiB`);
  console.log([...outcomes].sort().map(([key, count]) => `  ${key}: ${count}`).join('\n'));
  expect(unexpected, unexpected.join('\n\n')).toEqual([]);
  expect(slowest.ms, `slowest case ${slowest.kind}`).toBeLessThan(MAX_CASE_MS);
  expect(maxGrowth).toBeLessThan(MAX_MEMORY_GROWTH);
}, 300_000);
