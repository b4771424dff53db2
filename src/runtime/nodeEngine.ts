/**
 * onnxruntime-node behind the core's Engine interface (CPU execution provider).
 */
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { Engine, ExternalDataRef, FeedTensor, SessionHandle } from '../core/engine';
import { GpruneError } from '../core/errors';
import { ortSeverity } from '../core/log';

export interface NodeEngineOptions {
  /** Intra-op threads; 0 lets onnxruntime pick. @defaultValue number of CPUs */
  threads: number;
}

function toOrt(feed: FeedTensor): ort.Tensor {
  return new ort.Tensor(feed.type, feed.data as never, feed.dims);
}

/**
 * Returns the folder of the external data files given as file paths. onnxruntime-node 1.31 takes
 * only buffers in `externalData` ("must have an 'data' property of type buffer or typed
 * array"), so files are named through the session option
 * `session.model_external_initializers_file_folder_path` instead, which resolves the
 * model's relative locations in that folder and never copies the files into JS memory.
 */
function externalDataFolder(externalData: ExternalDataRef[]): string | undefined {
  const folders = new Set<string>();
  for (const ref of externalData) {
    if (typeof ref.data !== 'string') continue;
    let folder = path.resolve(ref.data);
    for (const part of ref.path.split(/[\\/]/)) if (part !== '' && part !== '.') folder = path.dirname(folder);
    folders.add(folder);
  }
  if (folders.size > 1) {
    throw new GpruneError('SESSION_FAILED', `The model's external data files lie in different folders (${[...folders].join(', ')}); onnxruntime-node reads them from one folder. Keep the data files beside the .onnx file.`);
  }
  return folders.values().next().value;
}

export function createNodeEngine(options: Partial<NodeEngineOptions> = {}): Engine {
  const threads = options.threads ?? os.availableParallelism?.() ?? os.cpus().length;
  return {
    name: `onnxruntime-node (cpu, ${threads} threads)`,
    reason: 'Node.js CLI: the native CPU execution provider is the fastest engine available.',
    async createSession(model: Uint8Array, externalData: ExternalDataRef[]): Promise<SessionHandle> {
      let session: ort.InferenceSession;
      try {
        const inMemory = externalData.filter((e) => typeof e.data !== 'string');
        const folder = externalDataFolder(externalData);
        session = await ort.InferenceSession.create(model, {
          executionProviders: ['cpu'],
          intraOpNumThreads: threads,
          interOpNumThreads: 1,
          graphOptimizationLevel: 'all',
          logSeverityLevel: ortSeverity(),
          externalData: inMemory.map((e) => ({ path: e.path, data: e.data as Uint8Array })),
          ...(folder ? { extra: { session: { model_external_initializers_file_folder_path: folder } } } : {}),
        });
      } catch (cause) {
        throw new GpruneError('SESSION_FAILED', `onnxruntime-node could not load the model: ${(cause as Error).message}`, { cause });
      }
      return {
        inputNames: session.inputNames,
        outputNames: session.outputNames,
        async run(feeds, fetches) {
          const ortFeeds: Record<string, ort.Tensor> = {};
          for (const [name, feed] of Object.entries(feeds)) ortFeeds[name] = toOrt(feed);
          return session.run(ortFeeds, fetches);
        },
        release: () => session.release(),
      };
    },
  };
}
