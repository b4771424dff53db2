/**
 * onnxruntime-web's WASM backend running in Node behind the core Engine interface, to set
 * beside onnxruntime-node (src/runtime/nodeEngine.ts) in benchmarks.
 */
import { readFile } from 'node:fs/promises';
import * as ortWeb from 'onnxruntime-web';
import type { Engine, ExternalDataRef, FeedTensor, SessionHandle } from '../../src/core/engine';

/** External data given as file paths, read into memory (onnxruntime-web takes bytes or URLs). */
async function withBytes(refs: ExternalDataRef[]): Promise<ExternalDataRef[]> {
  return Promise.all(refs.map(async (ref) => (typeof ref.data === 'string' ? { path: ref.path, data: new Uint8Array(await readFile(ref.data)) } : ref)));
}

/** onnxruntime-web (WASM, SIMD, `threads` threads) in Node. */
export function createWebEngine(threads: number): Engine {
  ortWeb.env.wasm.numThreads = threads;
  return {
    name: `onnxruntime-web (wasm in Node, ${threads} threads)`,
    reason: 'benchmark',
    async createSession(model, externalData): Promise<SessionHandle> {
      const session = await ortWeb.InferenceSession.create(model, {
        executionProviders: ['wasm'],
        graphOptimizationLevel: 'all',
        externalData: (await withBytes(externalData)).map((e) => ({ path: e.path, data: e.data as Uint8Array })),
      });
      return {
        inputNames: session.inputNames,
        outputNames: session.outputNames,
        async run(feeds: Record<string, FeedTensor>, fetches: string[]) {
          const ortFeeds: Record<string, ortWeb.Tensor> = {};
          for (const [name, feed] of Object.entries(feeds)) ortFeeds[name] = new ortWeb.Tensor(feed.type, feed.data as never, feed.dims);
          return session.run(ortFeeds, fetches);
        },
        release: () => session.release(),
      };
    },
  };
}
