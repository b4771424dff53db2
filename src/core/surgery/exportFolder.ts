/**
 * Writes a pruned model as a folder in the input's layout: the rewritten .onnx (and its
 * external data), every other file copied (tokenizer, generation config, licence),
 * config.json updated, and a pruning report added.
 */
import type { FileSink } from '../onnx/files';

import { writeOnnxModel, type WriteOptions, type WriteResult } from '../onnx/write';
import type { LoadedModel } from '../run/loaded';
import type { PrunedModel } from './prune';

export const REPORT_FILE = 'gprune_report.json';

/** Files that belong to model weights and are never copied as they are. */
export function isWeightFile(path: string): boolean {
  return /\.onnx$|\.onnx_data(_\d+)?$|\.onnx\.data$|\.ort$/i.test(path);
}

/** config.json with the new FFN widths: `intermediate_size` becomes the widest layer, and the per-layer list is recorded. */
export function updatedConfig(config: Record<string, unknown>, widths: number[]): Record<string, unknown> {
  const uniform = widths.every((w) => w === widths[0]);
  const next: Record<string, unknown> = { ...config, intermediate_size: Math.max(...widths) };
  // NOTE: transformers' LlamaConfig has no per-layer width; ONNX inference does not read it, so the list is informational.
  next.gprune_intermediate_sizes = uniform ? undefined : widths;
  if (uniform) delete next.gprune_intermediate_sizes;
  return next;
}

export async function exportPrunedFolder(loaded: LoadedModel, pruned: PrunedModel, sink: FileSink, report: unknown, options: Partial<WriteOptions> = {}): Promise<WriteResult> {
  const files = loaded.model.files;
  const encoder = new TextEncoder();
  const written: WriteResult['files'] = [];
  try {
    for (const path of files.list()) {
      if (isWeightFile(path) || path === REPORT_FILE) continue;
      const source = files.get(path)!;
      if (path === 'config.json' && loaded.config) {
        const bytes = encoder.encode(JSON.stringify(updatedConfig(loaded.config, pruned.widths), null, 2) + '\n');
        await sink.write(path, bytes);
        written.push({ path, bytes: bytes.byteLength });
        continue;
      }
      const piece = 64 * 1024 * 1024;
      if (source.size === 0) await sink.write(path, new Uint8Array(0));
      for (let offset = 0; offset < source.size; offset += piece) await sink.write(path, await source.read(offset, piece));
      written.push({ path, bytes: source.size });
    }
    const reportBytes = encoder.encode(JSON.stringify(report, null, 2) + '\n');
    await sink.write(REPORT_FILE, reportBytes);
    written.push({ path: REPORT_FILE, bytes: reportBytes.byteLength });
  } catch (error) {
    await sink.abort?.();
    throw error;
  }
  // writeOnnxModel writes the weights and the .onnx last, then finishes the sink.
  const result = await writeOnnxModel(loaded.model, pruned.proto, sink, pruned.replaced, options);
  return { files: [...written, ...result.files], weightBytes: result.weightBytes };
}


