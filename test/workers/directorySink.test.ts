import { describe, expect, it } from 'vitest';
import { PARTIAL_SUFFIX, directorySink } from '../../src/runtime/directorySink';
import { FakeDirectory } from './fakeDirectory';

const bytes = (n: number, seed = 1) => new Uint8Array(n).map((_, i) => (i * 31 + seed) % 251);
const asHandle = (folder: FakeDirectory) => folder as unknown as FileSystemDirectoryHandle;

/** Writes a model-like folder: config, external data in two chunks, the .onnx last. */
async function writeFolder(sink: ReturnType<typeof directorySink>, root: FakeDirectory, during: string[][]): Promise<void> {
  await sink.write('config.json', bytes(10));
  await sink.write('onnx/model.onnx_data', bytes(100));
  await sink.write('onnx/model.onnx_data', bytes(50, 2));
  during.push(root.listing());
  await sink.write('onnx/model.onnx', bytes(20, 3));
  during.push(root.listing());
}

describe('directorySink', () => {
  for (const movable of [true, false]) {
    it(`directorySink() writes .partial names and renames them on finish (${movable ? 'move()' : 'copy'})`, async () => {
      const root = new FakeDirectory();
      root.movable = movable;
      const sink = directorySink(asHandle(root));
      const during: string[][] = [];
      await writeFolder(sink, root, during);
      for (const listing of during) for (const entry of listing) expect(entry.split(':')[0].endsWith(PARTIAL_SUFFIX)).toBe(true);

      await sink.finish!();
      expect(root.listing()).toEqual(['config.json:10', 'onnx/model.onnx:20', 'onnx/model.onnx_data:150']);
      const data = (await root.getDirectoryHandle('onnx')).entries.get('model.onnx_data') as { content: Uint8Array };
      expect(Array.from(data.content.subarray(100))).toEqual(Array.from(bytes(50, 2)));
    });
  }

  it('directorySink() replaces a file of an earlier export on finish', async () => {
    const root = new FakeDirectory();
    const old = await root.getFileHandle('config.json', { create: true });
    old.content = bytes(999);
    const sink = directorySink(asHandle(root));
    await sink.write('config.json', bytes(7));
    expect(root.listing()).toEqual([`config.json${PARTIAL_SUFFIX}:0`, 'config.json:999']);
    await sink.finish!();
    expect(root.listing()).toEqual(['config.json:7']);
  });

  it('directorySink().abort() removes partial files and the folders it created', async () => {
    const root = new FakeDirectory();
    const userFile = await root.getFileHandle('notes.txt', { create: true });
    userFile.content = bytes(5);
    await root.getDirectoryHandle('existing', { create: true });
    const sink = directorySink(asHandle(root));
    await sink.write('config.json', bytes(10));
    await sink.write('onnx/model.onnx_data', bytes(100));
    await sink.write('existing/extra.json', bytes(3));
    await sink.abort!();
    expect(root.listing()).toEqual(['notes.txt:5']);
    expect(root.folders()).toEqual(['existing']);
  });

  it('directorySink() rejects paths outside the chosen folder', async () => {
    const sink = directorySink(asHandle(new FakeDirectory()));
    await expect(sink.write('../escape.json', bytes(1))).rejects.toThrow(/outside the chosen folder/);
    await expect(sink.write('onnx//model.onnx', bytes(1))).rejects.toThrow(/outside the chosen folder/);
  });
});
