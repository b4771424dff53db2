/**
 * Draws the visible window of a layer × neuron heatmap. The matrix is rendered once into
 * an image with one pixel per cell, so zooming and panning only change which part of that
 * image is scaled onto the canvas.
 */
import type { Viewport } from '../../core/views/viewport';

export interface HeatmapFrame {
  /** Image of the whole matrix, one pixel per cell. */
  image: CanvasImageSource;
  /** Canvas size in CSS pixels. */
  width: number;
  height: number;
  /** Cell to outline (the hovered neuron), if any. */
  highlight?: { col: number; row: number } | null;
}

export function drawHeatmap(ctx: CanvasRenderingContext2D, frame: HeatmapFrame, view: Viewport): void {
  ctx.clearRect(0, 0, frame.width, frame.height);
  // Cells stay sharp rectangles when magnified.
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(frame.image, view.x, view.y, view.width, view.height, 0, 0, frame.width, frame.height);

  // Row separators make layers readable when many neurons share a pixel.
  const rowHeight = frame.height / view.height;
  if (rowHeight >= 6) {
    ctx.strokeStyle = 'rgba(255, 255, 255, 0.8)';
    ctx.lineWidth = 1;
    for (let row = Math.ceil(view.y); row < view.y + view.height; row++) {
      const y = Math.round((row - view.y) * rowHeight) + 0.5;
      ctx.beginPath();
      ctx.moveTo(0, y);
      ctx.lineTo(frame.width, y);
      ctx.stroke();
    }
  }

  if (frame.highlight) {
    const cellWidth = frame.width / view.width;
    const x = (frame.highlight.col - view.x) * cellWidth;
    const y = (frame.highlight.row - view.y) * rowHeight;
    ctx.strokeStyle = '#d62728';
    ctx.lineWidth = 2;
    ctx.strokeRect(x - 1, y - 1, Math.max(cellWidth, 3) + 2, rowHeight + 2);
  }
}

/** Puts RGBA pixels of a cols × rows matrix into an offscreen canvas for drawHeatmap. */
export function matrixImage(pixels: Uint8ClampedArray<ArrayBuffer>, cols: number, rows: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, cols);
  canvas.height = Math.max(1, rows);
  if (cols > 0 && rows > 0) canvas.getContext('2d')!.putImageData(new ImageData(pixels, cols, rows), 0, 0);
  return canvas;
}
