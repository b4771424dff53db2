import { describe, expect, it } from 'vitest';
import { isGpruneError } from '../../src/core/errors';
import { readAll } from '../../src/core/onnx/files';
import { blobSource, browserModelFiles, fetchModelFiles, normalizeDroppedPaths } from '../../src/runtime/browserFiles';

const blob = (text: string) => new Blob([text]);

describe('browser model files', () => {
  it('normalizeDroppedPaths() strips the dropped folder name', () => {
    const paths = normalizeDroppedPaths([
      { path: 'llama/onnx/model.onnx', file: blob('a') },
      { path: 'llama/config.json', file: blob('b') },
      { path: 'llama/.git/HEAD', file: blob('c') },
      { path: 'llama/.DS_Store', file: blob('d') },
    ]).map((e) => e.path);
    expect(paths).toEqual(['onnx/model.onnx', 'config.json']);
  });

  it('normalizeDroppedPaths() keeps an onnx/ folder and loose files', () => {
    expect(normalizeDroppedPaths([{ path: 'onnx/model.onnx', file: blob('a') }, { path: 'onnx/model.onnx_data', file: blob('b') }]).map((e) => e.path)).toEqual(['onnx/model.onnx', 'onnx/model.onnx_data']);
    expect(normalizeDroppedPaths([{ path: 'model.onnx', file: blob('a') }, { path: 'config.json', file: blob('b') }]).map((e) => e.path)).toEqual(['model.onnx', 'config.json']);
  });

  it('blobSource() reads ranges and clips at the end', async () => {
    const source = blobSource('x.bin', new Blob([new Uint8Array([1, 2, 3, 4, 5])]));
    expect(Array.from(await source.read(1, 3))).toEqual([2, 3, 4]);
    expect(Array.from(await source.read(3, 10))).toEqual([4, 5]);
    expect((await source.read(9, 2)).byteLength).toBe(0);
    expect(source.native).toBeInstanceOf(Blob);
  });

  it('browserModelFiles() rejects an empty drop', () => {
    let code: string | undefined;
    try {
      browserModelFiles('x', [{ path: '.DS_Store', file: blob('') }]);
    } catch (error) {
      code = isGpruneError(error) ? error.code : 'other';
    }
    expect(code).toBe('FILE_NOT_FOUND');
  });

  it('fetchModelFiles() takes the files that exist, or the files.json listing', async () => {
    const served: Record<string, string> = { '/m/onnx/model.onnx': 'ONNX', '/m/config.json': '{}', '/m/tokenizer.json': '{"t":1}' };
    const fakeFetch = (async (url: string) => (served[url] !== undefined ? new Response(served[url]) : new Response('no', { status: 404 }))) as typeof fetch;
    const files = await fetchModelFiles('/m/', 'm', fakeFetch);
    expect(files.list().sort()).toEqual(['config.json', 'onnx/model.onnx', 'tokenizer.json']);
    expect(new TextDecoder().decode(await readAll(files.get('tokenizer.json')!))).toBe('{"t":1}');

    served['/m/files.json'] = JSON.stringify(['onnx/model.onnx', 'extra/vocab.txt']);
    served['/m/extra/vocab.txt'] = 'v';
    const listed = await fetchModelFiles('/m/', 'm', fakeFetch);
    expect(listed.list().sort()).toEqual(['extra/vocab.txt', 'onnx/model.onnx']);
  });

  it('fetchModelFiles() raises FILE_NOT_FOUND without a model', async () => {
    const fakeFetch = (async () => new Response('no', { status: 404 })) as unknown as typeof fetch;
    await expect(fetchModelFiles('/none/', 'none', fakeFetch)).rejects.toThrow(/No \.onnx model was found/);
  });
});
