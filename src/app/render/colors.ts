/**
 * Colour scales of the views, built from d3 interpolators, and the conversion of a value
 * matrix into RGBA pixels.
 */
import * as d3 from 'd3';

/** An RGB colour with channels in [0, 255]. */
export type Rgb = [number, number, number];

/** Colour of padding cells (a layer narrower than the widest one) and of NaN values. */
export const EMPTY_RGB: Rgb = [238, 238, 238];

/** Builds a sequential scale from `domain` to an interpolator (d3's viridis by default) that returns RGB triples. */
export function sequentialRgb(domain: [number, number], interpolator: (t: number) => string = d3.interpolateViridis): (value: number) => Rgb {
  const scale = d3.scaleSequential(interpolator).domain(domain).clamp(true);
  return (value) => {
    const color = d3.rgb(scale(value));
    return [color.r, color.g, color.b];
  };
}

/** Categorical colours of GPrune modules (module id → colour), Tableau 10. */
export function moduleColor(module: number): string {
  return d3.schemeTableau10[module % d3.schemeTableau10.length];
}

/** RGBA pixels of a row-major value matrix, one pixel per cell; NaN cells get EMPTY_RGB. */
export function matrixToRgba(values: Float32Array, color: (value: number) => Rgb): Uint8ClampedArray<ArrayBuffer> {
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
