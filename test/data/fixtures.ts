import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTokenizer, type TextTokenizer } from '../../src/core/data';

/** The read-only shared assets folder beside the repository. */
export const SHARED_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared');

export const STORIES_MODEL_DIR = path.join(SHARED_DIR, 'models/stories260K-llama');
export const TINYSTORIES_PATH = path.join(SHARED_DIR, 'assets/tinystories-valid/validation_100.txt');
export const WIKITEXT_TEST_PATH = path.join(SHARED_DIR, 'assets/wikitext-2/wiki.test.raw');

export function readSharedText(filePath: string): string {
  return readFileSync(filePath, 'utf8');
}

export function readSharedBytes(filePath: string): Uint8Array {
  return new Uint8Array(readFileSync(filePath));
}

/** Loads the stories260K tokenizer from its tokenizer.json and tokenizer_config.json. */
export function loadStoriesTokenizer(): TextTokenizer {
  return loadTokenizer({
    tokenizerJson: readSharedText(path.join(STORIES_MODEL_DIR, 'tokenizer.json')),
    tokenizerConfig: readSharedText(path.join(STORIES_MODEL_DIR, 'tokenizer_config.json')),
    source: 'stories260K-llama',
  });
}
