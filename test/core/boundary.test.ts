import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';

const CORE = path.resolve(__dirname, '../../src/core');
/** Packages the pure core may import; anything else (node:, react, comlink, onnxruntime, DOM) belongs in runtime/, app/ or workers/. */
const ALLOWED = new Set(['onnx-buf', '@bufbuild/protobuf', '@huggingface/tokenizers']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

test('src/core imports only relative modules and pure packages', () => {
  const files = sourceFiles(CORE);
  expect(files.length).toBeGreaterThan(50);
  const offending: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
      const specifier = match[1];
      if (!specifier.startsWith('.') && !ALLOWED.has(specifier)) offending.push(`${path.relative(CORE, file)}: ${specifier}`);
    }
    // Globals of browsers and workers are not available in Node tests or the CLI.
    for (const global of ['document.createElement', 'document.getElementById', 'document.querySelector', 'window.location', 'window.addEventListener', 'localStorage', 'indexedDB', 'navigator.', 'importScripts', 'postMessage(']) {
      if (text.includes(global)) offending.push(`${path.relative(CORE, file)}: uses ${global}`);
    }
  }
  expect(offending).toEqual([]);
});
