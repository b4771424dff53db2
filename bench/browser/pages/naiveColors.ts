/**
 * The heatmap colouring as the studio first shipped it: a d3 sequential scale per cell,
 * whose CSS colour string d3.rgb parses back into channels. Kept only as the baseline of
 * bench/browser/heatmap.ts.
 */
import * as d3 from 'd3';
import { EMPTY_RGB, type Rgb } from '../../../src/app/render/colors';

export function naiveSequentialRgb(domain: [number, number], interpolator: (t: number) => string): (value: number) => Rgb {
  const scale = d3.scaleSequential(interpolator).domain(domain).clamp(true);
  return (value) => {
    const color = d3.rgb(scale(value));
    return [color.r, color.g, color.b];
  };
}

export function naiveMatrixToRgba(values: Float32Array, color: (value: number) => Rgb): Uint8ClampedArray<ArrayBuffer> {
  const pixels = new Uint8ClampedArray(values.length * 4);
  for (let i = 0; i < values.length; i++) {
    const [r, g, b] = Number.isNaN(values[i]) ? EMPTY_RGB : color(values[i]);
    pixels[4 * i] = r;
    pixels[4 * i + 1] = g;
    pixels[4 * i + 2] = b;
    pixels[4 * i + 3] = 255;
  }
  return pixels;
}
