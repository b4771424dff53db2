/**
 * onnxruntime-node behind the core's Engine interface (CPU execution provider).
 */
import os from 'node:os';
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

export function createNodeEngine(options: Partial<NodeEngineOptions> = {}): Engine {
  const threads = options.threads ?? os.availableParallelism?.() ?? os.cpus().length;
  return {
    name: `onnxruntime-node (cpu, ${threads} threads)`,
    reason: 'Node.js CLI: the native CPU execution provider is the fastest engine available.',
    async createSession(model: Uint8Array, externalData: ExternalDataRef[]): Promise<SessionHandle> {
      let session: ort.InferenceSession;
      try {
        session = await ort.InferenceSession.create(model, {
          executionProviders: ['cpu'],
          intraOpNumThreads: threads,
          interOpNumThreads: 1,
          graphOptimizationLevel: 'all',
          logSeverityLevel: ortSeverity(),
          externalData: externalData.map((e) => ({ path: e.path, data: e.data as Uint8Array | string })),
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
