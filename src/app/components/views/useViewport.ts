/**
 * Zoom and pan state of a matrix view, with the pointer handlers that change it: wheel
 * zooms the neuron axis (with Shift, the layer axis) around the pointer, drag pans, double
 * click resets.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { type Extent, type Viewport, fullViewport, panViewport, zoomViewport } from '../../../core/views/viewport';

/** Zoom factor per wheel notch (100 units of deltaY). */
const WHEEL_ZOOM = 1.25;

export function useViewport(extent: Extent) {
  const [view, setView] = useState<Viewport>(() => fullViewport(extent));
  const drag = useRef<{ x: number; y: number; view: Viewport } | null>(null);

  // A new matrix shape (another model, pruned widths) starts from the whole matrix.
  useEffect(() => setView(fullViewport(extent)), [extent.cols, extent.rows]);

  const zoom = useCallback((factor: number, anchorX = 0.5, anchorY = 0.5, axis: 'x' | 'y' = 'x') => {
    setView((v) => zoomViewport(v, extent, axis === 'x' ? factor : 1, axis === 'y' ? factor : 1, anchorX, anchorY));
  }, [extent]);

  const reset = useCallback(() => setView(fullViewport(extent)), [extent]);

  const handlers = {
    /** For a native, non-passive wheel listener, so the page does not scroll while zooming. */
    onWheel(event: WheelEvent, element: HTMLElement) {
      event.preventDefault();
      const rect = element.getBoundingClientRect();
      const factor = WHEEL_ZOOM ** (-event.deltaY / 100);
      zoom(factor, (event.clientX - rect.left) / rect.width, (event.clientY - rect.top) / rect.height, event.shiftKey ? 'y' : 'x');
    },
    onPointerDown(event: React.PointerEvent<HTMLCanvasElement>) {
      drag.current = { x: event.clientX, y: event.clientY, view };
      event.currentTarget.setPointerCapture(event.pointerId);
    },
    onPointerMoveDrag(event: React.PointerEvent<HTMLCanvasElement>): boolean {
      const start = drag.current;
      if (!start) return false;
      const rect = event.currentTarget.getBoundingClientRect();
      const dx = ((start.x - event.clientX) / rect.width) * start.view.width;
      const dy = ((start.y - event.clientY) / rect.height) * start.view.height;
      setView(panViewport(start.view, extent, dx, dy));
      return true;
    },
    onPointerUp() {
      drag.current = null;
    },
    onDoubleClick: reset,
  };
  return { view, zoom, reset, handlers };
}
