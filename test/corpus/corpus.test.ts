/**
 * Runs every case of manifest.json through the CLI (a separate Node process) and through the
 * in-process API the studio worker calls, and checks that both report the error code, or
 * the success, the manifest expects.
 *
 * `bin/gprune.js` compiles TypeScript with tsx on every start (about 0.7 s of CPU). So the
 * cases run a bundle of the same CLI entry, built once with esbuild (about 0.15 s per
 * start), and a few cases also run `bin/gprune.js` itself.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inspectModel, loadDatasetBytes, loadTokenizerFiles } from '../../src/core/api';
import { type ErrorCode, isGpruneError } from '../../src/core/errors';
import { nodeModelFiles } from '../../src/runtime/nodeFiles';
import { REPO_ROOT, fixtureDir, makeTempDir } from '../helpers/fixtures';
import { GENERATORS } from './generate';

interface ManifestEntry {
  id: string;
  kind: 'model' | 'dataset' | 'tokenizer';
  /** Generator name in generate.ts. */
  make?: string;
  /** Stored file under test/corpus/files. */
  file?: string;
  expect: ErrorCode | 'ok';
  note: string;
  /** CLI command for a model case. @defaultValue 'inspect' */
  command?: 'inspect' | 'eval';
  /** Where the case applies. @defaultValue ['cli', 'api'] */
  surfaces?: ('cli' | 'api')[];
}

const CORPUS_DIR = path.join(REPO_ROOT, 'test/corpus');
const MANIFEST: ManifestEntry[] = JSON.parse(readFileSync(path.join(CORPUS_DIR, 'manifest.json'), 'utf8'));
const FIXTURE = fixtureDir('stories260K-llama');
/** CLI processes run at once. */
const CLI_CONCURRENCY = 3;
/** Cases also run through `bin/gprune.js`, to cover the real entry. */
const ENTRY_CASES = ['fixture-folder', 'truncated-before-opset', 'external-data-chunks-eval', 'tokenizer-ids-beyond-embedding', 'dataset-onnx-model'];
/**
 * The bundled CLI. It sits two folders below the repository root, as src/cli/context.ts
 * does, so its package-root lookup finds public/, and inside node_modules, so the packages
 * left out of the bundle resolve and git ignores it.
 */
const BUNDLE = path.join(REPO_ROOT, `node_modules/.gprune-corpus/cli-${process.pid}.mjs`);

const applies = (entry: ManifestEntry, surface: 'cli' | 'api') => (entry.surfaces ?? ['cli', 'api']).includes(surface);

describe('corpus manifest', () => {
  test('manifest ids are unique', () => {
    const ids = MANIFEST.map((e) => e.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  test('manifest entries name a generator or a stored file', () => {
    for (const entry of MANIFEST) {
      expect(Boolean(entry.make) !== Boolean(entry.file), `${entry.id}: exactly one of make and file`).toBe(true);
      if (entry.make) expect(GENERATORS[entry.make], `${entry.id}: generator ${entry.make}`).toBeTypeOf('function');
      if (entry.file) expect(existsSync(path.join(CORPUS_DIR, 'files', entry.file)), `${entry.id}: files/${entry.file}`).toBe(true);
    }
  });

  test('manifest uses every generator', () => {
    const used = new Set(MANIFEST.map((e) => e.make));
    expect(Object.keys(GENERATORS).filter((name) => !used.has(name))).toEqual([]);
  });
});

let root: Awaited<ReturnType<typeof makeTempDir>>;
/** Path of each built case, by id. */
const built = new Map<string, string>();
/** A valid dataset for the tokenizer cases, which run `gprune eval`. */
let storyFile: string;

beforeAll(async () => {
  await build({
    stdin: { contents: "import { main } from './src/cli/main';\nprocess.exitCode = await main(process.argv.slice(2));\n", resolveDir: REPO_ROOT, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile: BUNDLE,
    logLevel: 'warning',
  });
  root = await makeTempDir('corpus');
  for (const entry of MANIFEST) {
    if (entry.file) {
      built.set(entry.id, path.join(CORPUS_DIR, 'files', entry.file));
      continue;
    }
    const dir = path.join(root.dir, entry.id);
    await fs.mkdir(dir);
    built.set(entry.id, await GENERATORS[entry.make!](dir));
  }
  storyFile = built.get('dataset-text')!;
}, 120_000);

afterAll(async () => {
  await root?.remove();
  await fs.rm(BUNDLE, { force: true });
});

/** Builds the CLI arguments that exercise the case. */
function cliArgs(entry: ManifestEntry, input: string): string[] {
  const evalFlags = ['--max-windows', '1', '--seqlen', '8', '--threads', '1'];
  if (entry.kind === 'model' && entry.command === 'eval') return ['eval', input, '--ppl', storyFile, ...evalFlags];
  if (entry.kind === 'model') return ['inspect', input, '--threads', '1'];
  if (entry.kind === 'tokenizer') return ['eval', input, '--ppl', storyFile, ...evalFlags];
  return ['eval', FIXTURE, '--ppl', input, ...evalFlags];
}

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const waiting: (() => void)[] = [];
let running = 0;

/** Runs `node <entry> …` (the bundle or bin/gprune.js), at most CLI_CONCURRENCY at a time. */
async function runCli(entry: string, args: string[]): Promise<CliResult> {
  if (running >= CLI_CONCURRENCY) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await new Promise<CliResult>((resolve, reject) => {
      const child = spawn(process.execPath, [entry, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** Checks the exit code and the one-line error of a CLI run against the manifest. */
function expectCliOutcome(entry: ManifestEntry, args: string[], result: CliResult): void {
  const context = `${entry.note}\n$ gprune ${args.join(' ')}\nstderr: ${result.stderr}`;
  expect(result.stderr, context).not.toMatch(/\n\s+at .+:\d+:\d+/);
  if (entry.expect === 'ok') {
    expect(result.code, context).toBe(0);
    return;
  }
  expect(result.code, context).toBe(1);
  const errorLines = result.stderr.split('\n').filter((line) => line.startsWith('gprune '));
  expect(errorLines, context).toHaveLength(1);
  expect(errorLines[0], context).toMatch(new RegExp(`^gprune (inspect|eval): error \\[${entry.expect}\\]: \\S`));
  expect(result.stdout, context).toBe('');
}

describe.concurrent('corpus through the CLI', () => {
  for (const entry of MANIFEST.filter((e) => applies(e, 'cli'))) {
    test(`gprune ${cliArgs(entry, '')[0]} ${entry.id} → ${entry.expect}`, async () => {
      const args = cliArgs(entry, built.get(entry.id)!);
      expectCliOutcome(entry, args, await runCli(BUNDLE, args));
    });
  }

  for (const id of ENTRY_CASES) {
    const entry = MANIFEST.find((e) => e.id === id)!;
    test(`bin/gprune.js ${cliArgs(entry, '')[0]} ${entry.id} → ${entry.expect}`, async () => {
      const args = cliArgs(entry, built.get(entry.id)!);
      expectCliOutcome(entry, args, await runCli(path.join(REPO_ROOT, 'bin/gprune.js'), args));
    });
  }
});

/** Feeds the case to the API the studio worker calls; resolves with a short check of the result. */
async function runApi(entry: ManifestEntry, input: string): Promise<void> {
  if (entry.kind === 'dataset') {
    const dataset = loadDatasetBytes(path.basename(input), new Uint8Array(await fs.readFile(input)));
    expect(dataset.documents.length).toBeGreaterThan(0);
    return;
  }
  const files = await nodeModelFiles(input);
  const loaded = await inspectModel(files, files.modelPath);
  if (entry.kind === 'model') {
    expect(loaded.summary.layers).toHaveLength(Number(loaded.config?.num_hidden_layers));
    return;
  }
  const tokenizer = await loadTokenizerFiles(files, loaded);
  expect(tokenizer.decode(tokenizer.encode('Once upon a time'))).toContain('Once upon a time');
}

describe('corpus through the API', () => {
  for (const entry of MANIFEST.filter((e) => applies(e, 'api'))) {
    test(`${entry.kind === 'dataset' ? 'loadDatasetBytes' : entry.kind === 'model' ? 'inspectModel' : 'loadTokenizerFiles'} ${entry.id} → ${entry.expect}`, async () => {
      const run = runApi(entry, built.get(entry.id)!);
      if (entry.expect === 'ok') {
        await run;
        return;
      }
      const error = await run.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isGpruneError(error), `${entry.note}\nthrew: ${String(error)}`).toBe(true);
      expect((error as { code: string }).code, `${entry.note}\n${(error as Error).message}`).toBe(entry.expect);
    });
  }
});

describe('corpus generators', () => {
  test('image-classifier case runs in onnxruntime', async () => {
    const session = await ort.InferenceSession.create(built.get('image-classifier')!, { intraOpNumThreads: 1 });
    const output = await session.run({ pixel_values: new ort.Tensor('float32', new Float32Array(3 * 8 * 8).fill(0.5), [1, 3, 8, 8]) });
    expect(output.logits.dims).toEqual([1, 10]);
    await session.release();
  });

  test('ffn-matmulnbits-4bit case loads in onnxruntime', async () => {
    // The contrib op validates K, N, bits, block_size and the B and scales shapes on load.
    const session = await ort.InferenceSession.create(path.join(built.get('ffn-matmulnbits-4bit')!, 'onnx/model.onnx'), { intraOpNumThreads: 1 });
    expect(session.outputNames).toContain('logits');
    await session.release();
  });
});
