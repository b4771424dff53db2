import { describe, expect, it } from 'vitest';
import { MIN_VISIBLE_CELLS, cellAt, clampViewport, fullViewport, panViewport, zoomViewport } from '../../src/core/views/viewport';

const extent = { cols: 512, rows: 8 };

describe('viewport', () => {
  it('fullViewport(extent) shows every cell', () => {
    expect(fullViewport(extent)).toEqual({ x: 0, y: 0, width: 512, height: 8 });
  });

  it('zoomViewport() keeps the anchored cell under the pointer', () => {
    const view = fullViewport(extent);
    const anchor = 0.25;
    const before = view.x + anchor * view.width;
    const zoomed = zoomViewport(view, extent, 4, 1, anchor, 0.5);
    expect(zoomed.width).toBe(128);
    expect(zoomed.height).toBe(8);
    expect(zoomed.x + anchor * zoomed.width).toBeCloseTo(before, 9);
  });

  it('zoomViewport() stops at MIN_VISIBLE_CELLS and at the full extent', () => {
    const deep = zoomViewport(fullViewport(extent), extent, 1e6, 1, 0.5, 0.5);
    expect(deep.width).toBe(MIN_VISIBLE_CELLS);
    const out = zoomViewport(deep, extent, 1e-6, 1e-6, 0.5, 0.5);
    expect(out).toEqual(fullViewport(extent));
  });

  it('panViewport() stays inside the matrix', () => {
    const zoomed = zoomViewport(fullViewport(extent), extent, 8, 1, 0, 0);
    expect(panViewport(zoomed, extent, -100, 0).x).toBe(0);
    expect(panViewport(zoomed, extent, 10_000, 0).x).toBe(512 - 64);
    expect(panViewport(zoomed, extent, 10, 0).x).toBe(10);
  });

  it('clampViewport() shrinks a window wider than the matrix', () => {
    expect(clampViewport({ x: -3, y: 2, width: 900, height: 20 }, extent)).toEqual({ x: 0, y: 0, width: 512, height: 8 });
  });

  it('cellAt() maps pixels to cells of the visible window', () => {
    const view = { x: 100, y: 0, width: 50, height: 8 };
    expect(cellAt(view, extent, 0, 0, 500, 80)).toEqual({ col: 100, row: 0 });
    expect(cellAt(view, extent, 499, 79, 500, 80)).toEqual({ col: 149, row: 7 });
    expect(cellAt(view, extent, 250, 35, 500, 80)).toEqual({ col: 125, row: 3 });
    expect(cellAt(view, extent, 500, 0, 500, 80)).toBeNull();
    expect(cellAt(view, extent, -1, 0, 500, 80)).toBeNull();
  });
});
