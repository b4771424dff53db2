import { describe, expect, it } from 'vitest';
import { type BrowserCapabilities, MAX_DEFAULT_THREADS, chooseEngine } from '../../src/runtime/engineChoice';
import { readEnginePreference } from '../../workers/studio/enginePreference';

const isolated: BrowserCapabilities = { webgpuAdapter: false, fallbackAdapter: false, crossOriginIsolated: true, cores: 2 };

describe('chooseEngine', () => {
  it('chooseEngine() takes WebGPU when a hardware adapter exists', () => {
    const choice = chooseEngine({ ...isolated, webgpuAdapter: true });
    expect(choice.backend).toBe('webgpu');
    expect(choice.reason).toMatch(/WebGPU adapter found/);
  });

  it('chooseEngine() avoids a software fallback adapter unless asked', () => {
    expect(chooseEngine({ ...isolated, webgpuAdapter: true, fallbackAdapter: true }).backend).toBe('wasm');
    expect(chooseEngine({ ...isolated, webgpuAdapter: true, fallbackAdapter: true }, { backend: 'webgpu', threads: 0 }).backend).toBe('webgpu');
  });

  it('chooseEngine() sets threads from the cores when isolated', () => {
    expect(chooseEngine(isolated).threads).toBe(2);
    expect(chooseEngine({ ...isolated, cores: 64 }).threads).toBe(MAX_DEFAULT_THREADS);
    expect(chooseEngine(isolated, { backend: 'auto', threads: 3 }).threads).toBe(3);
  });

  it('chooseEngine() uses one thread without cross-origin isolation and says why', () => {
    const choice = chooseEngine({ ...isolated, crossOriginIsolated: false, cores: 16 });
    expect(choice.threads).toBe(1);
    expect(choice.reason).toMatch(/not cross-origin isolated/);
  });

  it('chooseEngine() honours a WASM request even with an adapter', () => {
    expect(chooseEngine({ ...isolated, webgpuAdapter: true }, { backend: 'wasm', threads: 0 }).backend).toBe('wasm');
  });

  it('readEnginePreference() reads engine and threads and ignores bad values', () => {
    expect(readEnginePreference('?engine=wasm&threads=2')).toEqual({ backend: 'wasm', threads: 2 });
    expect(readEnginePreference('?engine=cuda&threads=-1')).toEqual({ backend: 'auto', threads: 0 });
    expect(readEnginePreference('')).toEqual({ backend: 'auto', threads: 0 });
  });
});
