/**
 * Web-worker entry of the studio: the StudioService over onnxruntime-web, exposed with
 * comlink. onnxruntime-web starts its WASM threads by loading this same module again
 * under the name "em-pthread…"; those copies must not expose the API. The page names the
 * worker "studio" followed by its query string, which carries engine settings and the log
 * level (`?log=info`). A raw `{ gpruneDebug: 'throw' }` message (not comlink's) makes the
 * worker throw an uncaught error, so tests can check how the page recovers from a crash.
 */
import * as Comlink from 'comlink';
import { setLogLevel, setLogSink } from '../src/core/log';
import { createWebEngine, type WebEngine } from '../src/runtime/webEngine';
import type { EngineInfo } from './studio/api';
import { installErrorTransfer } from './studio/errorTransfer';
import { openOpfsArchive } from './studio/opfsArchive';
import { StudioService } from './studio/service';
import { IndexedDbStatsCache } from './studio/statsCache';
import { readEnginePreference } from './studio/enginePreference';

declare const self: DedicatedWorkerGlobalScope;

function describe(engine: WebEngine): EngineInfo {
  return { name: engine.name, reason: engine.reason, backend: engine.choice.backend, threads: engine.choice.threads, crossOriginIsolated: engine.capabilities.crossOriginIsolated };
}

if (!self.name?.startsWith('em-pthread')) {
  installErrorTransfer();
  setLogSink((level, tag, text) => (level === 'error' ? console.error : console.warn)(`[${tag}] ${text}`));
  const level = new URLSearchParams(self.name.replace(/^studio/, '')).get('log');
  if (level === 'debug' || level === 'info' || level === 'warn' || level === 'error') setLogLevel(level);
  const service = new StudioService(() => createWebEngine(readEnginePreference(self.name.replace(/^studio/, ''))), (engine) => describe(engine as WebEngine), new IndexedDbStatsCache(), {
    objectUrls: true,
    openArchive: openOpfsArchive,
  });
  self.addEventListener('message', (event: MessageEvent) => {
    if ((event.data as { gpruneDebug?: unknown } | null)?.gpruneDebug !== 'throw') return;
    setTimeout(() => {
      throw new Error('simulated crash requested by the page');
    });
  });
  Comlink.expose(service);
}
