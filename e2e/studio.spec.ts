import { mkdirSync, readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { unzipSync } from 'fflate';
import * as ort from 'onnxruntime-node';
import { DEMO_DIR, demoModelBytes, serveDemoModel } from './demoModel';

const ARTIFACTS = 'e2e/artifacts';

/** A small user dataset: enough text for a few evaluation windows. */
const NOTES = Array.from({ length: 120 }, (_, i) => `Note ${i}: the model reads a window of text and predicts the next token of every line.`).join('\n');
mkdirSync(ARTIFACTS, { recursive: true });

async function shoot(page: Page, section: string, name: string): Promise<void> {
  await page.getByTestId(`section-${section}`).screenshot({ path: `${ARTIFACTS}/${name}.png` });
}

/** Moves a range input by `steps` key presses (negative moves left), so React receives real input events. */
async function nudge(page: Page, testId: string, steps: number): Promise<void> {
  const slider = page.getByTestId(testId);
  await slider.focus();
  for (let i = 0; i < Math.abs(steps); i++) await slider.press(steps < 0 ? 'ArrowLeft' : 'ArrowRight');
}

test('studio flow on the demo model: load, profile, views, adjust, evaluate, export, share', async ({ page, context }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await serveDemoModel(context);
  await page.goto('/');
  await expect(page.getByTestId('isolation')).toContainText('Cross-origin isolated');

  await test.step('load the demo model', async () => {
    await page.getByTestId('load-demo').click();
    const summary = page.getByTestId('model-summary');
    await expect(summary).toContainText('onnx/model.onnx');
    await expect(summary).toContainText('onnxruntime-web');
    await expect(summary).toContainText(/wasm, \d+ threads?/);
    await shoot(page, 'load', '01-load');
  });

  await test.step('two calibration datasets are selected; a dropped file joins evaluation', async () => {
    const table = page.getByTestId('datasets-table');
    await expect(table.locator('input[data-testid^="calib-"]:checked')).toHaveCount(2);
    await expect(table.getByText('loading…')).toHaveCount(0);
    await page.getByTestId('dataset-files').setInputFiles({ name: 'notes-eval.txt', mimeType: 'text/plain', buffer: Buffer.from(NOTES) });
    await expect(page.getByTestId('eval-notes-eval.txt')).toBeChecked();
    await expect(table.getByRole('row', { name: /notes-eval\.txt/ })).toContainText('your file');
    await shoot(page, 'datasets', '02-datasets');
  });

  await test.step('invalid numbers disable the actions that read them', async () => {
    const profile = page.getByTestId('run-profile');
    await expect(profile).toBeEnabled();
    for (const text of ['0', '-5', '']) {
      await page.getByTestId('calib-samples').fill(text);
      await expect(profile, `samples "${text}"`).toBeDisabled();
      await expect(profile).toHaveAttribute('title', /Samples per dataset/);
    }
    await page.getByTestId('calib-samples').fill('16');
    await expect(profile).toBeEnabled();
    await expect(profile).not.toHaveAttribute('title', /.+/);

    const evaluate = page.getByTestId('run-eval');
    await page.getByTestId('eval-windows').fill('0');
    await expect(evaluate).toBeDisabled();
    await expect(evaluate).toHaveAttribute('title', /Windows per dataset/);
    await page.getByTestId('eval-windows').fill('4');
    await expect(evaluate).toBeEnabled();
  });

  await test.step('profile shows progress and can be cancelled', async () => {
    await page.getByTestId('calib-samples').fill('400');
    await page.getByTestId('run-profile').click();
    const progress = page.getByTestId('progress-profile');
    await expect(progress).toContainText(/[1-9][\d.,K]* \/ [\d.,K]+ tokens/);
    await expect(progress).toContainText(/left/);
    await shoot(page, 'profile', '03-profile-progress');
    await page.getByTestId('cancel-profile').click();
    await expect(page.getByTestId('notice-info')).toContainText('Profiling was cancelled');
    await expect(progress).toHaveCount(0);
  });

  await test.step('profile completes and the main thread stays responsive', async () => {
    await page.getByTestId('calib-samples').fill('16');
    await page.getByTestId('calib-seqlen').fill('64');
    // Long tasks (main-thread work over 50 ms) while the worker profiles.
    await page.evaluate(() => {
      const probe = window as unknown as { longTasks: number[] };
      probe.longTasks = [];
      new PerformanceObserver((list) => list.getEntries().forEach((e) => probe.longTasks.push(e.duration))).observe({ type: 'longtask' });
    });
    await page.getByTestId('run-profile').click();
    await expect(page.getByTestId('profile-summary')).toBeVisible();
    await expect(page.getByTestId('profile-summary').getByText('profiled')).toHaveCount(2);
    const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
    console.log(`main-thread long tasks during profiling: ${longTasks.length}, longest ${Math.max(0, ...longTasks).toFixed(0)} ms`);
    expect(Math.max(0, ...longTasks)).toBeLessThan(100);
    await shoot(page, 'profile', '04-profile-done');
  });

  await test.step('views: heatmap with hover and zoom, scatter, agreement, modules', async () => {
    const heatmap = page.getByTestId('heatmap');
    await expect(heatmap.locator('canvas')).toBeVisible();
    await page.getByTestId('zoom-in').click();
    await expect(heatmap).toContainText(/Neurons \d+–\d+ of \d+/);
    await page.getByTestId('section-views').scrollIntoViewIfNeeded();
    await heatmap.locator('canvas').hover({ position: { x: 120, y: 30 } });
    await expect(page.getByTestId('neuron-tooltip')).toContainText(/Layer \d+, neuron \d+/);
    await shoot(page, 'views', '05-heatmap');
    await page.mouse.move(0, 0);
    await page.getByTestId('heatmap-measure').selectOption('sigma');
    await shoot(page, 'views', '06-heatmap-sigma');
    await page.getByTestId('tab-scatter').click();
    await expect(page.getByTestId('scatter').locator('canvas')).toBeVisible();
    await shoot(page, 'views', '07-scatter');
    await page.getByTestId('tab-agreement').click();
    await expect(page.getByTestId('spearman-matrix')).toBeVisible();
    await expect(page.getByTestId('overlap-chart').locator('path').first()).toBeVisible();
    await shoot(page, 'views', '08-agreement');
    await page.getByTestId('tab-modules').click();
    await expect(page.getByTestId('modules-table').locator('tbody tr').first()).toBeVisible();
    await shoot(page, 'views', '09-modules');
  });

  let overriddenValue = '';
  const learnedState = { layerWidths: [] as string[], learnedLine: '', loss: '' };
  await test.step('adjust: sparsity, a module slider, live estimate, learned sparsity', async () => {
    const loss = page.getByTestId('loss-estimate');
    await expect(loss).toContainText('nats/token');
    for (const text of ['0', '999', '-1']) {
      await page.getByTestId('modules-k').fill(text);
      await expect(page.getByTestId('learn'), `K "${text}"`).toBeDisabled();
      await expect(page.getByTestId('save-variant')).toBeDisabled();
      await expect(page.getByTestId('export-zip')).toHaveAttribute('title', /Modules per layer K/);
    }
    await page.getByTestId('modules-k').fill('4');
    await expect(page.getByTestId('learn')).toBeEnabled();
    await expect(loss).not.toContainText('updating');
    await nudge(page, 'sparsity', 10);
    await expect(page.getByTestId('sparsity')).toHaveValue('0.3');
    await expect(page.getByTestId('ffn-kept')).toContainText('(70.0%)');
    await expect(loss).not.toContainText('updating');

    const keptBefore = await page.getByTestId('ffn-kept').textContent();
    const lossBefore = await loss.textContent();
    await nudge(page, 'module-slider-0-0', -25);
    await expect(page.getByTestId('ffn-kept')).not.toHaveText(keptBefore!);
    await expect(loss).not.toContainText('updating');
    await expect(loss).not.toHaveText(lossBefore!);
    overriddenValue = await page.getByTestId('module-slider-0-0').inputValue();

    await page.getByTestId('search-evaluations').fill('4');
    await page.getByTestId('learn').click();
    await expect(page.getByTestId('live-estimate')).toContainText('Learned sparsity');
    await nudge(page, 'module-slider-0-0', -25);
    overriddenValue = await page.getByTestId('module-slider-0-0').inputValue();
    await expect(loss).not.toContainText('updating');
    learnedState.layerWidths = await page.locator('[data-testid^="layer-kept-"]').allTextContents();
    learnedState.learnedLine = (await page.getByTestId('learned-sparsity').textContent())!;
    learnedState.loss = (await loss.textContent())!;
    await page.getByTestId('save-variant').click();
    await expect(page.getByTestId('variant-v1')).toBeChecked();
    await shoot(page, 'adjust', '10-adjust');
  });

  await test.step('evaluate the dense model and the saved variant', async () => {
    await page.getByTestId('eval-seqlen').fill('64');
    await page.getByTestId('eval-windows').fill('4');
    await page.getByTestId('run-eval').click();
    const table = page.getByTestId('eval-table');
    await expect(table.locator('thead th')).toHaveCount(3);
    await expect(table.locator('tbody tr')).toHaveCount(3);
    await expect(page.getByTestId('eval-chart').locator('rect[height]')).not.toHaveCount(0);
    await expect(page.getByTestId('eval-result')).toContainText('64 tokens');
    await shoot(page, 'evaluate', '11-evaluate');
  });

  await test.step('export a zip that onnxruntime-node runs', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-zip').click()]);
    expect(download.suggestedFilename()).toBe('demo-pruned.zip');
    const files = unzipSync(new Uint8Array(readFileSync(await download.path())));
    const model = files['demo-pruned/onnx/model.onnx'];
    expect(model).toBeDefined();
    expect(model.byteLength).toBeLessThan(demoModelBytes() * 0.9);
    expect(files['demo-pruned/tokenizer.json']).toBeDefined();
    const report = JSON.parse(new TextDecoder().decode(files['demo-pruned/gprune_report.json']));
    const config = JSON.parse(new TextDecoder().decode(files['demo-pruned/config.json']));
    expect(config.intermediate_size).toBe(Math.max(...report.layers.map((l: { neuronsAfter: number }) => l.neuronsAfter)));

    const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1 });
    const ids = [1, 20, 30, 40, 50];
    const out = await session.run(firstStepFeeds(session.inputNames, config, ids));
    const logits = out[session.outputNames[0]];
    expect(logits.dims.slice(0, 2)).toEqual([1, ids.length]);
    expect(Array.from(logits.data as Float32Array).every(Number.isFinite)).toBe(true);
    await session.release();
    await expect(page.getByTestId('export-result')).toContainText('demo-pruned.zip');
    await shoot(page, 'export', '12-export');
  });

  await test.step('share link round trip restores settings and reuses the cached profile', async () => {
    await page.getByTestId('share').click();
    const url = await page.getByTestId('share-url').inputValue();
    expect(url).toMatch(/#s=[\w-]+$/);
    await shoot(page, 'share', '13-share');

    const restored = await context.newPage();
    restored.on('pageerror', (error) => pageErrors.push(error.message));
    await restored.goto(url);
    await expect(restored.getByTestId('shared-model')).toContainText('not loaded yet');
    await expect(restored.getByTestId('sparsity')).toHaveValue('0.3');
    await expect(restored.getByTestId('calib-samples')).toHaveValue('16');
    await restored.getByTestId('section-share').screenshot({ path: `${ARTIFACTS}/14-share-restore.png` });
    await restored.getByTestId('shared-load-demo').click();
    await expect(restored.getByTestId('profile-summary').getByText('cache')).toHaveCount(2);
    await expect(restored.getByTestId('module-slider-0-0')).toHaveValue(overriddenValue);
    // The learned keep counts come back: the same per-layer widths, learned line and live loss.
    await expect(restored.locator('[data-testid^="layer-kept-"]')).toHaveText(learnedState.layerWidths);
    await expect(restored.getByTestId('learned-sparsity')).toHaveText(learnedState.learnedLine);
    await expect(restored.getByTestId('loss-estimate')).toContainText('nats/token');
    await expect(restored.getByTestId('loss-estimate')).toHaveText(learnedState.loss);
    await restored.close();
  });

  expect(pageErrors).toEqual([]);
});

/** Feeds for one forward pass from an empty KV cache, for the input names an Optimum-style decoder declares. */
function firstStepFeeds(inputNames: readonly string[], config: Record<string, number>, ids: number[]): Record<string, ort.Tensor> {
  const length = ids.length;
  const feeds: Record<string, ort.Tensor> = {};
  const kvHeads = config.num_key_value_heads ?? config.num_attention_heads;
  const headDim = config.head_dim ?? config.hidden_size / config.num_attention_heads;
  for (const name of inputNames) {
    if (name === 'input_ids') feeds[name] = new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, length]);
    else if (name === 'attention_mask') feeds[name] = new ort.Tensor('int64', new BigInt64Array(length).fill(1n), [1, length]);
    else if (name === 'position_ids') feeds[name] = new ort.Tensor('int64', BigInt64Array.from(ids.map((_, i) => BigInt(i))), [1, length]);
    else if (name.startsWith('past_key_values')) feeds[name] = new ort.Tensor('float32', new Float32Array(0), [1, kvHeads, 0, headDim]);
    else if (name === 'use_cache_branch') feeds[name] = new ort.Tensor('bool', new Uint8Array([0]), [1]);
  }
  return feeds;
}

test('loose files load: an .onnx with config and tokenizer files', async ({ page }) => {
  await page.goto('/');
  const files = ['onnx/model.onnx', 'config.json', 'tokenizer.json', 'tokenizer_config.json'].map((path) => ({ name: path.split('/').pop()!, mimeType: 'application/octet-stream', buffer: readFileSync(`${DEMO_DIR}/${path}`) }));
  await page.getByTestId('model-files').setInputFiles(files);
  const summary = page.getByTestId('model-summary');
  await expect(summary).toContainText('model (model.onnx)');
  await expect(summary).toContainText(/\d+ layers/);
});

test('tampered and oversized share links give a message, not a crash', async ({ page }) => {
  await page.goto('/#s=eyJ2ZXJzaW9uIjoxLCJtb2RlbCI6');
  await expect(page.getByTestId('notice-error')).toContainText('share link cannot be opened');
  await expect(page.getByTestId('load-demo')).toBeEnabled();
  await page.screenshot({ path: `${ARTIFACTS}/15-tampered-link.png` });

  await page.goto(`/#s=${'A'.repeat(20_000)}`);
  await page.reload();
  await expect(page.getByTestId('notice-error')).toContainText('over the limit');

  const forged = Buffer.from(JSON.stringify({ version: 1, model: { fingerprint: 'x', label: 'evil', demo: true } })).toString('base64url');
  await page.goto(`/#s=${forged}`);
  await page.reload();
  await expect(page.getByTestId('notice-error')).toContainText('link.model.fingerprint');
  await expect(page.getByRole('heading', { name: 'GPrune Studio' })).toBeVisible();
});

test('unreadable model files give at most three friendly notices above the steps', async ({ page }) => {
  await page.goto('/');
  const bytes = Buffer.alloc(4096);
  let state = 12345;
  for (let i = 0; i < bytes.length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  for (const name of ['a.onnx', 'b.onnx', 'c.onnx', 'd.onnx']) {
    await page.getByTestId('model-files').setInputFiles({ name, mimeType: 'application/octet-stream', buffer: bytes });
    await expect(page.getByTestId('notice-error').last()).toContainText(name);
  }

  const errors = page.getByTestId('notice-error');
  await expect(errors).toHaveCount(3);
  await expect(errors.first()).not.toContainText('a.onnx');
  const newest = errors.last();
  await expect(newest).toContainText('not an ONNX protobuf');
  await expect(newest).not.toContainText('text file');
  const details = newest.getByTestId('notice-details');
  await expect(details).toBeHidden();
  await newest.getByText('details', { exact: true }).click();
  await expect(details).toBeVisible();
  expect((await newest.locator('span').first().textContent())!).not.toContain((await details.textContent())!.trim());

  // The notices sit in the page flow above step 1, so they cover no control.
  const notices = (await page.getByTestId('notices').boundingBox())!;
  const load = (await page.getByTestId('section-load').boundingBox())!;
  expect(notices.y + notices.height).toBeLessThanOrEqual(load.y);
  await page.screenshot({ path: `${ARTIFACTS}/16-notices.png` });

  await newest.getByRole('button', { name: 'Dismiss' }).click();
  await expect(errors).toHaveCount(2);
});
