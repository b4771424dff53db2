import { resolveObjectURL } from 'node:buffer';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PRUNE_SETTINGS } from '../../src/core/session/pruneSettings';
import { browserModelFiles } from '../../src/runtime/browserFiles';
import { type ArchiveStore, memoryArchiveStore } from '../../src/runtime/zipSink';
import { newService, tinyModelInput } from './synthInput';

/** Creates a memory store that records its calls and fails after `failAfter` chunks. */
function spyStore(failAfter = Infinity): ArchiveStore & { chunks: number; finished: boolean; discarded: boolean } {
  const memory = memoryArchiveStore();
  const spy = {
    chunks: 0,
    finished: false,
    discarded: false,
    append(chunk: Uint8Array) {
      if (spy.chunks >= failAfter) throw new Error('disk full');
      spy.chunks++;
      memory.append(chunk);
    },
    async finish() {
      spy.finished = true;
      return memory.finish();
    },
    async discard() {
      spy.discarded = true;
      await memory.discard();
    },
  };
  return spy;
}

const settings = { ...DEFAULT_PRUNE_SETTINGS, method: 'baseline' as const, metric: 'magnitude' as const, biasCompensation: false, sparsity: 0.5 };

async function plannedService(store: ArchiveStore) {
  const service = newService({ objectUrls: false, openArchive: async () => store });
  await service.openModel({ kind: 'files', label: 'tiny', files: await tinyModelInput() }, 1);
  const plan = await service.plan(settings);
  return { service, request: { moduleKeepCounts: plan.moduleKeepCounts, folder: 'tiny-pruned', session: {} } };
}

describe('ZIP export through an archive store', () => {
  it('exportZip() returns the store archive only when complete', async () => {
    const store = spyStore();
    const { service, request } = await plannedService(store);
    const result = await service.exportZip(request, 2);
    expect(store.finished).toBe(true);
    expect(store.discarded).toBe(false);
    const files = unzipSync(new Uint8Array(await result.zip!.arrayBuffer()));
    expect(Object.keys(files)).toContain('tiny-pruned/onnx/model.onnx');
    expect(files['tiny-pruned/onnx/model.onnx'].byteLength).toBe(result.files.find((f) => f.path === 'onnx/model.onnx')!.bytes);
  });

  it('exportZip() discards the partial archive when the store fails', async () => {
    const store = spyStore(1);
    const { service, request } = await plannedService(store);
    await expect(service.exportZip(request, 3)).rejects.toThrow(/disk full/);
    expect(store.discarded).toBe(true);
    expect(store.finished).toBe(false);
  });

  it('exportZip() discards the partial archive when cancelled', async () => {
    const store = spyStore();
    const { service, request } = await plannedService(store);
    const pending = service.exportZip(request, 4);
    await service.cancel(4);
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(store.discarded).toBe(true);
    expect(store.finished).toBe(false);
  });
});

describe('browserModelFiles() with object URLs', () => {
  it('browserModelFiles() gives external data a blob: URL and revokes it on release', async () => {
    const data = new Blob([new Uint8Array([1, 2, 3, 4])]);
    const files = browserModelFiles('m', [
      { path: 'm/onnx/model.onnx', file: new Blob([new Uint8Array([8])]) },
      { path: 'm/onnx/model.onnx_data', file: data },
      { path: 'm/onnx/model.onnx_data_1', file: data },
    ], { objectUrls: true });
    const url = files.get('onnx/model.onnx_data')!.native;
    expect(typeof url).toBe('string');
    expect(url as string).toMatch(/^blob:/);
    expect(typeof files.get('onnx/model.onnx_data_1')!.native).toBe('string');
    expect(files.get('onnx/model.onnx')!.native).toBeInstanceOf(Blob);
    expect(Array.from(await files.get('onnx/model.onnx_data')!.read(1, 2))).toEqual([2, 3]);
    expect(await resolveObjectURL(url as string)?.arrayBuffer()).toEqual(await data.arrayBuffer());

    files.release();
    expect(resolveObjectURL(url as string)).toBeUndefined();
  });

  it('browserModelFiles() keeps Blobs without object URLs', () => {
    const files = browserModelFiles('m', [{ path: 'model.onnx_data', file: new Blob([new Uint8Array(2)]) }]);
    expect(files.get('model.onnx_data')!.native).toBeInstanceOf(Blob);
  });
});
