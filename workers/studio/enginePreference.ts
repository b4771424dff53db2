/**
 * Engine settings from the page address: `?engine=wasm|webgpu` and `?threads=N`, for
 * comparing backends and for tests. The page passes its query string in the worker's name.
 */
import type { EnginePreference } from '../../src/runtime/engineChoice';

export function readEnginePreference(search: string): EnginePreference {
  const params = new URLSearchParams(search);
  const engine = params.get('engine');
  const threads = Number(params.get('threads') ?? 0);
  return {
    backend: engine === 'wasm' || engine === 'webgpu' ? engine : 'auto',
    threads: Number.isInteger(threads) && threads > 0 && threads <= 64 ? threads : 0,
  };
}
