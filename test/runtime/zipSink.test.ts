import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ZipSink } from '../../src/runtime/zipSink';

describe('ZipSink', () => {
  it('ZipSink writes files in chunks under the root folder', async () => {
    const sink = new ZipSink('out/');
    const weights = new Uint8Array(100_000).map((_, i) => (i * 31) % 251);
    await sink.write('onnx/model.onnx_data', weights.subarray(0, 40_000));
    await sink.write('onnx/model.onnx_data', weights.subarray(40_000));
    await sink.write('config.json', new TextEncoder().encode('{"a": 1}'));
    await sink.write('onnx/model.onnx', new Uint8Array([8, 1, 2]));
    await sink.finish();

    const files = unzipSync(new Uint8Array(await sink.blob().arrayBuffer()));
    expect(Object.keys(files).sort()).toEqual(['out/config.json', 'out/onnx/model.onnx', 'out/onnx/model.onnx_data']);
    expect(files['out/onnx/model.onnx_data']).toEqual(weights);
    expect(new TextDecoder().decode(files['out/config.json'])).toBe('{"a": 1}');
    expect(Array.from(files['out/onnx/model.onnx'])).toEqual([8, 1, 2]);
  });

  it('ZipSink rejects a second run of writes to a closed file', async () => {
    const sink = new ZipSink();
    await sink.write('a.txt', new Uint8Array([1]));
    await sink.write('b.txt', new Uint8Array([2]));
    await expect(sink.write('a.txt', new Uint8Array([3]))).rejects.toThrow(/already closed/);
  });

  it('ZipSink.blob() before finish() raises', () => {
    expect(() => new ZipSink().blob()).toThrow(/not finished/);
  });
});
