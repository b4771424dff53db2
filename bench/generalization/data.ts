/**
 * The benchmark's text: calibration sets and disjoint evaluation sets.
 *
 * Calibration: a seeded half of the 100 TinyStories validation stories, WikiText-2 valid
 * and PTB valid. Evaluation: the other half of the stories, WikiText-2 test (raw), PTB
 * test and the LAMBADA (OpenAI) passages (context + " " + continuation).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type TextDataset, parseDataset } from '../../src/core/data/dataset';
import { splitDocuments } from '../../src/core/data/sample';
import type { TextTokenizer } from '../../src/core/data/tokenizer';
import { makeWindows } from '../../src/core/data/windows';

/** Evaluation windows of one set. */
export interface EvalSet {
  name: string;
  windows: Int32Array[];
  /** Protocol line of the windows (from `makeWindows`). */
  protocol: string;
}

/** The fixed datasets, read once per run. */
export interface BenchTexts {
  stories: string[];
  wikiValid: TextDataset;
  ptbValid: TextDataset;
  /** Evaluation sets that do not depend on the seed. */
  fixedEval: EvalSet[];
}

export const ASSET_FILES = {
  stories: 'tinystories-valid/validation_100.txt',
  wikiValid: 'wikitext-2/wiki.valid.tokens',
  wikiTest: 'wikitext-2/wiki.test.raw',
  ptbValid: 'ptb/ptb.valid.txt',
  ptbTest: 'ptb/ptb.test.txt',
  lambada: 'llm-foundry-eval/lambada_openai.jsonl',
} as const;

export function readDataset(assetsDir: string, file: string, name: string): TextDataset {
  return parseDataset({ name, bytes: new Uint8Array(readFileSync(path.join(assetsDir, file))) });
}

/** Reads the LAMBADA passages as documents, each record's context and continuation joined by a space. */
export function lambadaPassages(assetsDir: string): TextDataset {
  const text = readFileSync(path.join(assetsDir, ASSET_FILES.lambada), 'utf8');
  const documents = text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const record = JSON.parse(line) as { context: string; continuation: string };
      return `${record.context} ${record.continuation.trimStart()}`;
    });
  return { name: 'lambada', format: 'jsonl', documents, bytes: text.length };
}

/** Concatenated windows of `seqlen` tokens with BOS prepended, the first `maxWindows` of the set. */
export function evalSet(dataset: TextDataset, tokenizer: TextTokenizer, seqlen: number, maxWindows: number): EvalSet {
  const cut = makeWindows(dataset, tokenizer, { seqlen, mode: 'concat', bos: 'prepend', maxWindows });
  return { name: dataset.name, windows: cut.windows, protocol: cut.protocol };
}

export function readBenchTexts(assetsDir: string, tokenizer: TextTokenizer, seqlen: number, maxWindows: number): BenchTexts {
  const stories = readDataset(assetsDir, ASSET_FILES.stories, 'tinystories').documents;
  const wikiTest = readDataset(assetsDir, ASSET_FILES.wikiTest, 'wikitext-2');
  const ptbTest = readDataset(assetsDir, ASSET_FILES.ptbTest, 'ptb');
  return {
    stories,
    wikiValid: readDataset(assetsDir, ASSET_FILES.wikiValid, 'wikitext-2-valid'),
    ptbValid: readDataset(assetsDir, ASSET_FILES.ptbValid, 'ptb-valid'),
    fixedEval: [wikiTest, ptbTest, lambadaPassages(assetsDir)].map((dataset) => evalSet(dataset, tokenizer, seqlen, maxWindows)),
  };
}

/** Splits the stories by seed: one half calibrates, the other half is evaluated. */
export function splitStories(stories: readonly string[], seed: number): { calibration: TextDataset; evaluation: TextDataset } {
  const halves = splitDocuments(stories, { calibration: 0.5, evaluation: 0.5 }, seed);
  const asDataset = (name: string, documents: string[]): TextDataset => ({ name, format: 'text', documents, bytes: documents.reduce((sum, d) => sum + d.length, 0) });
  return { calibration: asDataset('tinystories-calib', halves.calibration), evaluation: asDataset('tinystories', halves.evaluation) };
}
