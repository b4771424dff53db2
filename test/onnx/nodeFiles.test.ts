import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { readOnnxModel } from '../../src/core/onnx/model';
import { writeOnnxModel } from '../../src/core/onnx/write';
import { nodeFolderSink, nodeModelFiles } from '../../src/runtime/nodeFiles';
import { fixtureDir, makeTempDir } from '../helpers/fixtures';
import { buildMlpDecoder, openModel } from '../helpers/onnxGraph';

const encoder = new TextEncoder();

describe('nodeFolderSink', () => {
  let dir: string;
  let remove: () => Promise<void>;
  let target: string;

  beforeEach(async () => {
    ({ dir, remove } = await makeTempDir('sink'));
    target = path.join(dir, 'out');
  });

  afterEach(async () => {
    await remove();
  });

  test('nodeFolderSink.finish renames the partial folder to the target', async () => {
    const sink = await nodeFolderSink(target);
    await sink.write('a.txt', encoder.encode('hello '));
    await sink.write('sub/b.bin', new Uint8Array([1, 2, 3]));
    await sink.write('a.txt', encoder.encode('world'));
    expect(existsSync(target)).toBe(false);
    expect(await readdir(dir)).toEqual([`out.partial-${process.pid}`]);

    await sink.finish!();
    expect(await readdir(dir)).toEqual(['out']);
    expect(await readFile(path.join(target, 'a.txt'), 'utf8')).toBe('hello world');
    expect(Array.from(await readFile(path.join(target, 'sub/b.bin')))).toEqual([1, 2, 3]);
  });

  test('nodeFolderSink.abort leaves neither the target nor the partial folder', async () => {
    const sink = await nodeFolderSink(target);
    await sink.write('a.txt', encoder.encode('partial'));
    await sink.abort!();
    expect(await readdir(dir)).toEqual([]);
  });

  test('nodeFolderSink rejects a non-empty target without overwrite', async () => {
    await mkdir(target);
    await writeFile(path.join(target, 'keep.txt'), 'old');
    await expect(nodeFolderSink(target)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('--overwrite') });
    expect(await readdir(target)).toEqual(['keep.txt']);
  });

  test('nodeFolderSink with overwrite replaces the target on finish', async () => {
    await mkdir(target);
    await writeFile(path.join(target, 'old.txt'), 'old');
    const sink = await nodeFolderSink(target, { overwrite: true });
    await sink.write('new.txt', encoder.encode('new'));
    expect(await readdir(target)).toEqual(['old.txt']);
    await sink.finish!();
    expect(await readdir(target)).toEqual(['new.txt']);
  });

  test('nodeFolderSink with overwrite keeps the old target when aborted', async () => {
    await mkdir(target);
    await writeFile(path.join(target, 'old.txt'), 'old');
    const sink = await nodeFolderSink(target, { overwrite: true });
    await sink.write('new.txt', encoder.encode('new'));
    await sink.abort!();
    expect(await readdir(dir)).toEqual(['out']);
    expect(await readdir(target)).toEqual(['old.txt']);
  });

  test('nodeFolderSink accepts an existing empty target without overwrite', async () => {
    await mkdir(target);
    const sink = await nodeFolderSink(target);
    await sink.write('a.txt', encoder.encode('a'));
    await sink.finish!();
    expect(await readdir(target)).toEqual(['a.txt']);
  });

  test('nodeFolderSink.write rejects a path outside the folder', async () => {
    const sink = await nodeFolderSink(target);
    await expect(sink.write('../escape.txt', encoder.encode('x'))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await sink.abort!();
    expect(existsSync(path.join(dir, 'escape.txt'))).toBe(false);
  });

  test('writeOnnxModel aborts the sink when a tensor has the wrong size', async () => {
    const model = await openModel(buildMlpDecoder({ vocab: 8, hidden: 4, width: 6, layers: 1, activation: 'relu' }));
    const sink = await nodeFolderSink(target);
    const wrong = new Map([['layers.0.fc1.weight', new Uint8Array(3)]]);
    await expect(writeOnnxModel(model, model.proto, sink, wrong)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('nodeModelFiles', () => {
  test('nodeModelFiles(folder) lists the onnx-community layout', async () => {
    const files = await nodeModelFiles(fixtureDir('stories260K-llama'));
    expect(files.list()).toEqual(expect.arrayContaining(['onnx/model.onnx', 'config.json', 'tokenizer.json']));
    expect(files.modelPath).toBeUndefined();
    const model = await readOnnxModel(files);
    expect(model.path).toBe('onnx/model.onnx');
  });

  test('nodeModelFiles(file in onnx/) roots the folder one level up', async () => {
    const files = await nodeModelFiles(path.join(fixtureDir('stories260K-llama'), 'onnx/model.onnx'));
    expect(files.root).toBe(fixtureDir('stories260K-llama'));
    expect(files.modelPath).toBe('onnx/model.onnx');
    expect(files.get('config.json')).toBeDefined();
  });

  test('nodeModelFiles source reads ranges and stops at the end of the file', async () => {
    const files = await nodeModelFiles(fixtureDir('stories260K-llama'));
    const source = files.get('config.json')!;
    const whole = await readFile(path.join(fixtureDir('stories260K-llama'), 'config.json'));
    expect(Array.from(await source.read(5, 10))).toEqual(Array.from(whole.subarray(5, 15)));
    expect((await source.read(source.size - 3, 100)).byteLength).toBe(3);
  });

  test('nodeModelFiles raises FILE_NOT_FOUND for a missing path', async () => {
    await expect(nodeModelFiles(path.join(fixtureDir('stories260K-llama'), 'missing'))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });
});
