/**
 * Sizes a canvas for the device pixel ratio and redraws it on the next animation frame
 * whenever `draw` changes, so many state changes within one frame draw once.
 */
import { useEffect, useRef } from 'react';

export function useCanvas(width: number, height: number, draw: (ctx: CanvasRenderingContext2D) => void) {
  const ref = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const ratio = window.devicePixelRatio || 1;
    // Assigning the size, even an unchanged one, reallocates and clears the bitmap, so a pan frame only redraws.
    if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio);
    if (canvas.height !== Math.round(height * ratio)) canvas.height = Math.round(height * ratio);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    const frame = requestAnimationFrame(() => {
      const ctx = canvas.getContext('2d');
      if (!ctx) return;
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      try {
        draw(ctx);
      } catch (error) {
        // One failed frame must not take the page down; the next state change draws again.
        console.error('[app] drawing failed', error);
      }
    });
    return () => cancelAnimationFrame(frame);
  }, [width, height, draw]);

  return ref;
}
