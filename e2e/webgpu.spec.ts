/**
 * The WebGPU path of the studio's web engine (src/runtime/webEngine) in Chromium with
 * --enable-unsafe-webgpu. Without a usable GPU, Chromium offers only SwiftShader's
 * software adapter (a fallback adapter), so the engine runs WASM unless WebGPU is
 * requested. When it is requested, the engine must create WebGPU sessions whose logits
 * match WASM's. On a machine with a hardware adapter the same spec checks that the
 * automatic choice is WebGPU.
 */
import { expect, test } from '@playwright/test';
import { createRng } from '../src/core/data/sample';
import { type BenchModels, prepareModels } from '../bench/browser/lib/models';
import { CHROMIUM_ARGS, type ServedPages, WEBGPU_ARG, buildAndServePages } from '../bench/browser/lib/pages';
import { BenchWorker } from '../bench/browser/lib/workerPage';
import { serveDemoModel } from './demoModel';

/**
 * Largest allowed |logit difference| between WebGPU and WASM, relative to the largest
 * |logit| of the WASM run. Both compute in float32, but with different kernels and
 * summation orders. On two versions of the demo model the difference was 3e-6 and 5e-5
 * of that scale (SwiftShader, Chromium 156, onnxruntime-web 1.31.1). 1e-3 leaves room for
 * deeper or sharper models and still fails on a wrong operator, whose error is of the
 * order of the logits themselves.
 */
const RELATIVE_TOLERANCE = 1e-3;

// Playwright replaces launchOptions as a whole, so the project's flags are repeated here.
test.use({ launchOptions: { executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS.filter((arg) => arg !== '--disable-gpu'), WEBGPU_ARG] } });
test.describe.configure({ mode: 'serial' });

let models: BenchModels;
let served: ServedPages;

test.beforeAll(async () => {
  test.setTimeout(60_000);
  models = await prepareModels(null);
  served = await buildAndServePages({ filesDir: models.root });
});

test.afterAll(async () => {
  await served?.close();
  await models?.remove();
});

test('webEngine on WebGPU: logits of the demo model match WASM', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto(`${served.origin}/worker.html`);
  await page.waitForFunction(() => document.title.endsWith('(ready)'));

  const auto = await BenchWorker.open(page, '');
  const autoInfo = await auto.engine();
  expect(autoInfo.webgpuAdapter, 'navigator.gpu.requestAdapter() returned an adapter').toBe(true);
  if (autoInfo.fallbackAdapter) {
    expect(autoInfo.backend).toBe('wasm');
    expect(autoInfo.reason).toContain('software fallback');
  } else {
    expect(autoInfo.backend).toBe('webgpu');
  }
  await auto.close();

  const webgpu = await BenchWorker.open(page, '?engine=webgpu');
  const wasm = await BenchWorker.open(page, '?engine=wasm');
  expect((await webgpu.engine()).backend).toBe('webgpu');
  expect((await wasm.engine()).backend).toBe('wasm');

  const random = createRng(11);
  const opened = await wasm.openModel('/bench-files/demo/');
  expect(opened.provider).toBe('wasm');
  const vocab = Number(opened.config.vocab_size);
  // Two windows of different lengths, so padding and the attention mask take part.
  const windows = [Int32Array.from({ length: 24 }, () => Math.floor(random() * vocab)), Int32Array.from({ length: 17 }, () => Math.floor(random() * vocab))];
  // The engine falls back to WASM when WebGPU cannot load a model; that would compare WASM with itself.
  expect((await webgpu.openModel('/bench-files/demo/')).provider).toBe('webgpu');
  const expected = await wasm.logits(windows);
  const actual = await webgpu.logits(windows);

  expect(actual.dims).toEqual(expected.dims);
  expect(expected.dims).toEqual([2, 24, vocab]);
  const [batch, sequence] = expected.dims;
  let scale = 0;
  let maxDiff = 0;
  let argmaxAgree = 0;
  let compared = 0;
  const argmaxFlips: { expectedGap: number }[] = [];
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < windows[b].length; t++) {
      const offset = (b * sequence + t) * vocab;
      let bestExpected = 0;
      let bestActual = 0;
      for (let v = 0; v < vocab; v++) {
        const e = expected.data[offset + v];
        const a = actual.data[offset + v];
        scale = Math.max(scale, Math.abs(e));
        maxDiff = Math.max(maxDiff, Math.abs(a - e));
        if (e > expected.data[offset + bestExpected]) bestExpected = v;
        if (a > actual.data[offset + bestActual]) bestActual = v;
      }
      compared++;
      if (bestExpected === bestActual) argmaxAgree++;
      else argmaxFlips.push({ expectedGap: expected.data[offset + bestExpected] - expected.data[offset + bestActual] });
    }
  }
  console.log(`WebGPU vs WASM logits: max |diff| ${maxDiff.toExponential(2)}, max |logit| ${scale.toFixed(3)} (relative ${(maxDiff / scale).toExponential(1)}), argmax agrees at ${argmaxAgree} of ${compared} positions`);
  expect(scale, 'WASM logits are not all zero').toBeGreaterThan(0);
  expect(Number.isFinite(maxDiff), 'WebGPU logits are finite').toBe(true);
  expect(maxDiff / scale).toBeLessThanOrEqual(RELATIVE_TOLERANCE);
  // The top token may differ only where WASM's two best logits are closer than the differences allow.
  for (const flip of argmaxFlips) expect(flip.expectedGap).toBeLessThanOrEqual(2 * maxDiff);
});

test('studio with ?engine=webgpu picks WebGPU', async ({ page, context }) => {
  await serveDemoModel(context);
  await page.goto('/?engine=webgpu');
  await page.getByTestId('load-demo').click();
  const summary = page.getByTestId('model-summary');
  await expect(summary).toContainText('onnx/model.onnx');
  await expect(summary).toContainText(/onnxruntime-web .*\(webgpu, \d+ threads?\)/);
});
