/**
 * Heatmap drawing in Chromium with the studio's render code (src/app/render). It measures
 * three things. First, the time of a full draw of a layers × neurons matrix (colour every
 * cell, build the cell image, draw the canvas) against the first-shipped colouring (a d3
 * scale and CSS colour parsing per cell), side by side in interleaved rounds. Second, the
 * time of single viewport draws. Third, requestAnimationFrame deltas while the studio's
 * HeatmapCanvas is panned and zoomed with the mouse.
 *
 *   npx tsx bench/browser/heatmap.ts [--rows 32] [--cols 14336] [--rounds 7] [--goal-ms 50] [--scale 1]
 *
 * `--scale` is the device pixel ratio: 2 draws into a canvas of twice the width and height.
 */
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import type { Viewport } from '../../src/core/views/viewport';
import { median, medianRatio } from '../lib/measure';
import { buildAndServePages, launchChromium, openPage } from './lib/pages';
import { percentile, spread } from './lib/percentile';
import { recordHeader } from './lib/record';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '32' },
    cols: { type: 'string', default: '14336' },
    rounds: { type: 'string', default: '7' },
    'goal-ms': { type: 'string', default: '50' },
    scale: { type: 'string', default: '1' },
  },
});
const rows = Number(values.rows);
const cols = Number(values.cols);
const rounds = Number(values.rounds);
const goalMs = Number(values['goal-ms']);
const scale = Number(values.scale);
const WIDTH = 1280;

/** Views of a pan across the matrix at three zoom levels, as a user's drag would visit them. */
function panViews(): Viewport[] {
  const views: Viewport[] = [];
  for (const zoom of [1, 8, 64]) {
    const width = cols / zoom;
    const height = zoom === 64 ? Math.min(rows, 8) : rows;
    for (let step = 0; step < 20; step++) views.push({ x: ((cols - width) * step) / 19, y: ((rows - height) * step) / 19, width, height });
  }
  return views;
}

/**
 * Drags and wheels over the mounted HeatmapCanvas while frames are recorded. Returns the
 * frame deltas and the distinct neuron ranges the component's hint showed after each step,
 * which proves the gestures moved the view.
 */
async function scriptedPanZoom(page: Page): Promise<{ frames: number[]; ranges: string[] }> {
  const heatmap = page.getByTestId('heatmap');
  const box = (await heatmap.locator('canvas').boundingBox())!;
  const ranges = new Set<string>();
  const noteRange = async () => ranges.add((await heatmap.locator('.hint').textContent())?.match(/Neurons \S+/)?.[0] ?? '?');
  const centerX = box.x + box.width / 2;
  const centerY = box.y + box.height / 2;
  const drag = async (dx: number, steps: number) => {
    await page.mouse.move(centerX, centerY);
    await page.mouse.down();
    for (let i = 1; i <= steps; i++) {
      await page.mouse.move(centerX + (dx * i) / steps, centerY + Math.sin(i / 5) * 20);
      if (i % 10 === 0) await noteRange();
    }
    await page.mouse.up();
  };
  await page.evaluate(() => window.heatmapBench.startFrames());
  await drag(-400, 40); // whole matrix: nothing to pan, redraws only
  for (let i = 0; i < 6; i++) {
    await page.mouse.move(centerX + (i - 3) * 60, centerY);
    await page.mouse.wheel(0, -200); // zoom in on the neuron axis around the pointer
    await noteRange();
  }
  await drag(-500, 60);
  await drag(400, 60);
  for (let i = 0; i < 3; i++) {
    await page.mouse.wheel(0, 300); // zoom back out
    await noteRange();
  }
  await drag(300, 40);
  return { frames: await page.evaluate(() => window.heatmapBench.stopFrames()), ranges: [...ranges] };
}

const served = await buildAndServePages();
const browser = await launchChromium();
try {
  const page = await openPage(browser, `${served.origin}/heatmap.html?rows=${rows}&cols=${cols}&width=${WIDTH}`, scale);
  const matrixCols = await page.evaluate(() => window.heatmapBench.cols);

  await page.evaluate(() => [window.heatmapBench.drawFull('studio'), window.heatmapBench.drawFull('naive')]); // warm-up (JIT)
  type Phases = Awaited<ReturnType<typeof window.heatmapBench.drawFull>>;
  const phases = { studio: [] as Phases[], naive: [] as Phases[] };
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? (['studio', 'naive'] as const) : (['naive', 'studio'] as const);
    for (const variant of order) phases[variant].push(await page.evaluate((v) => window.heatmapBench.drawFull(v), variant));
  }
  const full = { studio: phases.studio.map((p) => p.total), naive: phases.naive.map((p) => p.total) };
  const phaseMedians = (list: Phases[]) => `colours ${median(list.map((p) => p.colour)).toFixed(1)}, image ${median(list.map((p) => p.image)).toFixed(1)}, canvas ${median(list.map((p) => p.canvas)).toFixed(1)}`;

  const viewDraws = await page.evaluate((views) => window.heatmapBench.drawViews(views), panViews());

  await page.evaluate(() => window.heatmapBench.mount());
  const { frames, ranges } = await scriptedPanZoom(page);

  for (const line of recordHeader(browser)) console.log(line);
  console.log(`matrix: ${rows} layers × ${matrixCols} neurons (${(rows * matrixCols).toLocaleString('en-US')} cells), canvas ${WIDTH} × 360 CSS px at device pixel ratio ${scale}; ${rounds} interleaved rounds (medians)`);
  console.log('');
  console.log('| measurement | median ms | p50 / p95 / max ms |');
  console.log('| --- | ---: | ---: |');
  console.log(`| full draw, studio (colour table + putImageData + drawImage) | ${median(full.studio).toFixed(1)} | ${spread(full.studio)} |`);
  console.log(`| full draw, first-shipped colouring (d3 scale per cell) | ${median(full.naive).toFixed(1)} | ${spread(full.naive)} |`);
  console.log(`| viewport draw from the prepared image (${viewDraws.length} views) | ${median(viewDraws).toFixed(1)} | ${spread(viewDraws)} |`);
  console.log(`| frame delta while panning and zooming HeatmapCanvas (${frames.length} frames) | ${median(frames).toFixed(1)} | ${spread(frames)} |`);
  console.log('');
  console.log(`phases (median ms): studio ${phaseMedians(phases.studio)}; first-shipped ${phaseMedians(phases.naive)}`);
  console.log(`full draw: first-shipped / studio time ${medianRatio(full.naive, full.studio).toFixed(1)}× (median of per-round ratios)`);
  console.log(`goal: full draw under ${goalMs} ms: ${median(full.studio) < goalMs ? 'met' : 'MISSED'} (median ${median(full.studio).toFixed(1)} ms, p95 ${percentile(full.studio, 95).toFixed(1)} ms)`);
  console.log(`frames over 50 ms while panning: ${frames.filter((d) => d > 50).length} of ${frames.length}; the gestures showed ${ranges.length} distinct neuron ranges (${ranges[0]} … ${ranges[ranges.length - 1]})`);
} finally {
  await browser.close();
  await served.close();
}
