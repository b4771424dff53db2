/**
 * Saved profiling results: per-dataset statistics with the model fingerprint and the
 * calibration settings they were computed with, so a later run can reuse them safely.
 */
import { GpruneError } from '../errors';
import { readAll } from '../onnx/files';
import type { LoadedModel } from '../run/loaded';
import type { DatasetStats } from '../stats/types';

export const STATS_FILE_VERSION = 1 as const;

export interface StatsFile {
  version: typeof STATS_FILE_VERSION;
  /** Fingerprint of the model the statistics belong to. */
  model: string;
  /** Widths of the FFN layers, checked on load. */
  widths: number[];
  calibration: Record<string, unknown>;
  datasets: DatasetStats[];
}

export function encodeStatsFile(file: StatsFile): string {
  return JSON.stringify(file, (_k, v) => (v instanceof Float64Array ? Array.from(v) : v));
}

export function decodeStatsFile(text: string, label: string, expected: { model: string; widths: number[] }): StatsFile {
  let raw: StatsFile;
  try {
    raw = JSON.parse(text) as StatsFile;
  } catch (cause) {
    throw new GpruneError('STATS_MISMATCH', `${label} is not a statistics file (${(cause as Error).message}). Create it with \`gprune profile MODEL --data … --out ${label}\`.`, { cause });
  }
  if (raw.version !== STATS_FILE_VERSION || !Array.isArray(raw.datasets)) {
    throw new GpruneError('STATS_MISMATCH', `${label} has statistics format version ${String(raw.version)}; this gprune reads version ${STATS_FILE_VERSION}. Profile again.`);
  }
  if (raw.model !== expected.model || JSON.stringify(raw.widths) !== JSON.stringify(expected.widths)) {
    throw new GpruneError('STATS_MISMATCH', `${label} was computed for another model (fingerprint ${raw.model.slice(0, 12)}…, widths ${raw.widths}). Profile this model again.`);
  }
  const datasets = raw.datasets.map((d) => ({
    ...d,
    layers: d.layers.map((l, i) => {
      const arrays = [l.s1, l.s2, l.a1, l.f].map((a) => Float64Array.from(a as unknown as number[]));
      if (arrays.some((a) => a.length !== expected.widths[i])) throw new GpruneError('STATS_MISMATCH', `${label}: layer ${i} of ${d.dataset} has the wrong number of neurons.`);
      return { n: l.n, s1: arrays[0], s2: arrays[1], a1: arrays[2], f: arrays[3] };
    }),
  }));
  return { ...raw, datasets };
}

/** SHA-256 hex of the model's .onnx protobuf bytes plus the sizes of its other files. */
export async function modelFingerprint(protoBytes: Uint8Array, extraSizes: number[] = []): Promise<string> {
  const suffix = new TextEncoder().encode(extraSizes.join(','));
  const all = new Uint8Array(protoBytes.byteLength + suffix.byteLength);
  all.set(protoBytes);
  all.set(suffix, protoBytes.byteLength);
  const digest = await crypto.subtle.digest('SHA-256', all);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Returns the `modelFingerprint` of a loaded model from its .onnx bytes and the sizes of its .onnx_data files. The CLI and the studio share it. */
export async function loadedModelFingerprint(loaded: LoadedModel): Promise<string> {
  const files = loaded.model.files;
  const dataSizes = files.list().filter((p) => /\.onnx_data/.test(p)).map((p) => files.get(p)!.size);
  return modelFingerprint(await readAll(files.get(loaded.model.path)!), dataSizes);
}
