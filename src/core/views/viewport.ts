/**
 * Zoom and pan of a matrix view. A viewport is the visible window in cell units, so it
 * does not depend on the canvas size; pixel positions map to cells only when drawing or
 * hit-testing.
 */

/** Size of the matrix in cells. */
export interface Extent {
  cols: number;
  rows: number;
}

/** Visible window: columns [x, x + width) and rows [y, y + height), in cells (fractions allowed). */
export interface Viewport {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Fewest columns or rows a view may shrink to (or the whole extent when smaller). */
export const MIN_VISIBLE_CELLS = 4;

export function fullViewport(extent: Extent): Viewport {
  return { x: 0, y: 0, width: extent.cols, height: extent.rows };
}

/** Keeps the window inside the matrix and between MIN_VISIBLE_CELLS and the full extent in each axis. */
export function clampViewport(view: Viewport, extent: Extent): Viewport {
  const width = clamp(view.width, Math.min(MIN_VISIBLE_CELLS, extent.cols), extent.cols);
  const height = clamp(view.height, Math.min(MIN_VISIBLE_CELLS, extent.rows), extent.rows);
  return { x: clamp(view.x, 0, extent.cols - width), y: clamp(view.y, 0, extent.rows - height), width, height };
}

/**
 * Zooms by `factorX`/`factorY` (above 1 zooms in) around an anchor given as a fraction in
 * [0, 1] of the current window, so the cell under the pointer stays under it.
 */
export function zoomViewport(view: Viewport, extent: Extent, factorX: number, factorY: number, anchorX = 0.5, anchorY = 0.5): Viewport {
  const width = view.width / factorX;
  const height = view.height / factorY;
  const pivotX = view.x + anchorX * view.width;
  const pivotY = view.y + anchorY * view.height;
  return clampViewport({ x: pivotX - anchorX * width, y: pivotY - anchorY * height, width, height }, extent);
}

/** Moves the window by (dx, dy) cells. */
export function panViewport(view: Viewport, extent: Extent, dx: number, dy: number): Viewport {
  return clampViewport({ ...view, x: view.x + dx, y: view.y + dy }, extent);
}

/** The cell under pixel (px, py) of a canvas of the given size showing `view`, or null outside the matrix. */
export function cellAt(view: Viewport, extent: Extent, px: number, py: number, pixelWidth: number, pixelHeight: number): { col: number; row: number } | null {
  if (px < 0 || py < 0 || px >= pixelWidth || py >= pixelHeight) return null;
  const col = Math.floor(view.x + (px / pixelWidth) * view.width);
  const row = Math.floor(view.y + (py / pixelHeight) * view.height);
  if (col < 0 || row < 0 || col >= extent.cols || row >= extent.rows) return null;
  return { col, row };
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
