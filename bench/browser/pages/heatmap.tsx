/**
 * Page of the heatmap benchmark. It builds a layers × neurons matrix of seeded values and
 * exposes `window.heatmapBench` with three measurements. Full draws (colouring, image,
 * canvas) use the studio's render functions or the first-shipped baseline. Viewport draws
 * reuse a prepared image. The studio's HeatmapCanvas component is mounted for a scripted
 * pan and zoom while requestAnimationFrame deltas are recorded.
 * Query: `?rows=32&cols=14336&width=1280`.
 */
import * as d3 from 'd3';
import { createRoot } from 'react-dom/client';
import { HeatmapCanvas } from '../../../src/app/components/views/HeatmapCanvas';
import { matrixToRgba, sequentialRgb } from '../../../src/app/render/colors';
import { drawHeatmap, matrixImage } from '../../../src/app/render/drawHeatmap';
import { createRng } from '../../../src/core/data/sample';
import { packNeuronMatrix } from '../../../src/core/views/neuronMatrix';
import { type Viewport, fullViewport } from '../../../src/core/views/viewport';
import { naiveMatrixToRgba, naiveSequentialRgb } from './naiveColors';

const params = new URLSearchParams(location.search);
const rows = Number(params.get('rows') ?? 32);
const cols = Number(params.get('cols') ?? 14336);
const width = Number(params.get('width') ?? 1280);
const plotHeight = 360;

// Percentile-rank-like values, as the studio colours by rank in [0, 1]; the last layer is
// narrower, so padding cells (NaN) are drawn too.
const random = createRng(5);
const layers = Array.from({ length: rows }, (_, l) => Float32Array.from({ length: l === rows - 1 ? Math.floor(cols * 0.75) : cols }, () => random()));
const matrix = packNeuronMatrix(layers);
const extent = { cols: matrix.cols, rows: matrix.rows };

// Sized for the device pixel ratio, as the studio's useCanvas does.
const ratio = window.devicePixelRatio || 1;
const canvas = document.getElementById('standalone') as HTMLCanvasElement;
canvas.width = Math.round(width * ratio);
canvas.height = Math.round(plotHeight * ratio);
canvas.style.width = `${width}px`;
canvas.style.height = `${plotHeight}px`;
const ctx = canvas.getContext('2d')!;
ctx.setTransform(ratio, 0, 0, ratio, 0, 0);

type Variant = 'studio' | 'naive';

/** Reads one pixel back, which makes the canvas finish the drawing it deferred. */
function flush(context: CanvasRenderingContext2D): void {
  context.getImageData(0, 0, 1, 1);
}

const heatmapBench = {
  rows: matrix.rows,
  cols: matrix.cols,

  /** Milliseconds of one full draw and of its phases: colours of every cell, the cell image, the canvas. */
  drawFull(variant: Variant): { total: number; colour: number; image: number; canvas: number } {
    const started = performance.now();
    const pixels = variant === 'studio' ? matrixToRgba(matrix.values, sequentialRgb([0, 1], d3.interpolateViridis)) : naiveMatrixToRgba(matrix.values, naiveSequentialRgb([0, 1], d3.interpolateViridis));
    const coloured = performance.now();
    const image = matrixImage(pixels, matrix.cols, matrix.rows);
    const imaged = performance.now();
    drawHeatmap(ctx, { image, width, height: plotHeight }, fullViewport(extent));
    flush(ctx);
    const ended = performance.now();
    return { total: ended - started, colour: coloured - started, image: imaged - coloured, canvas: ended - imaged };
  },

  /** Milliseconds of drawing `views` one after another from a prepared image, as each pan frame does. */
  drawViews(views: Viewport[]): number[] {
    const image = matrixImage(matrixToRgba(matrix.values, sequentialRgb([0, 1], d3.interpolateViridis)), matrix.cols, matrix.rows);
    return views.map((view) => {
      const started = performance.now();
      drawHeatmap(ctx, { image, width, height: plotHeight, highlight: { col: Math.floor(view.x), row: Math.floor(view.y) } }, view);
      flush(ctx);
      return performance.now() - started;
    });
  },

  /** Mounts the studio's HeatmapCanvas (data-testid "heatmap") and resolves after its first frame. */
  async mount(): Promise<void> {
    const color = sequentialRgb([0, 1], d3.interpolateViridis);
    createRoot(document.getElementById('root')!).render(<HeatmapCanvas matrix={matrix} color={color} width={width} rowHeight={11} onHover={() => {}} testId="heatmap" />);
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  },

  frames: [] as number[],
  recording: false,

  /** Starts recording requestAnimationFrame timestamps. */
  startFrames(): void {
    heatmapBench.frames = [];
    heatmapBench.recording = true;
    const tick = (time: number) => {
      heatmapBench.frames.push(time);
      if (heatmapBench.recording) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  },

  /** Stops recording; returns the deltas between consecutive frames in milliseconds. */
  stopFrames(): number[] {
    heatmapBench.recording = false;
    return heatmapBench.frames.slice(1).map((t, i) => t - heatmapBench.frames[i]);
  },
};

declare global {
  interface Window {
    heatmapBench: typeof heatmapBench;
  }
}
window.heatmapBench = heatmapBench;
document.title += ' (ready)';
