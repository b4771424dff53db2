/**
 * Colour scales of the views, built from d3 interpolators, and the conversion of a value
 * matrix into RGBA pixels.
 */
import * as d3 from 'd3';

/** An RGB colour with channels in [0, 255]. */
export type Rgb = [number, number, number];

/** Colour of padding cells (a layer narrower than the widest one) and of NaN values. */
export const EMPTY_RGB: Rgb = [238, 238, 238];

/** Steps of a colour table. d3's viridis, inferno, magma and plasma are ramps of 256 colours, so 256 steps reproduce them exactly. */
export const COLOR_TABLE_SIZE = 256;

/** A sequential colour scale sampled at COLOR_TABLE_SIZE steps. */
export interface ColorTable {
  domain: [number, number];
  /** Colour of each step. */
  rgb: Rgb[];
  /** The same colours as opaque RGBA pixels, read through a Uint32Array over RGBA bytes (so in the platform's byte order). */
  packed: Uint32Array;
  /** EMPTY_RGB as such a pixel. */
  emptyPacked: number;
}

/** A value → colour function; `table` is set when the function reads a ColorTable, which lets matrixToRgba skip the call per cell. */
export type RgbScale = ((value: number) => Rgb) & { readonly table?: ColorTable };

function packRgb(colors: Rgb[]): Uint32Array {
  const packed = new Uint32Array(colors.length);
  const bytes = new Uint8Array(packed.buffer);
  colors.forEach(([r, g, b], i) => bytes.set([r, g, b, 255], 4 * i));
  return packed;
}

/**
 * Samples `interpolator` at the middle of each of COLOR_TABLE_SIZE equal steps of [0, 1].
 * A value maps to step floor(t · size), where t is its position in `domain` clamped to
 * [0, 1], as d3's 256-colour ramps index their colours.
 */
export function colorTable(domain: [number, number], interpolator: (t: number) => string): ColorTable {
  const rgb = Array.from({ length: COLOR_TABLE_SIZE }, (_, i): Rgb => {
    const color = d3.rgb(interpolator((i + 0.5) / COLOR_TABLE_SIZE));
    return [color.r, color.g, color.b];
  });
  return { domain: [domain[0], domain[1]], rgb, packed: packRgb(rgb), emptyPacked: packRgb([EMPTY_RGB])[0] };
}

/** Step of `value` in `table` (the index d3's ramps compute: floor(t · size), t clamped to [0, 1]), or -1 for NaN. */
function stepOf(table: ColorTable, value: number): number {
  if (Number.isNaN(value)) return -1;
  const [low, high] = table.domain;
  // As d3.scaleSequential: a one-point domain maps every value to the middle of the interpolator.
  if (low === high) return COLOR_TABLE_SIZE / 2;
  // Multiplying by the reciprocal, as d3 does, puts values on a step boundary in d3's step.
  const t = (value - low) * (1 / (high - low));
  if (!(t > 0)) return 0;
  return t >= 1 ? COLOR_TABLE_SIZE - 1 : Math.floor(t * COLOR_TABLE_SIZE);
}

/**
 * Builds a clamped sequential scale from `domain` to an interpolator (d3's viridis by
 * default) that returns RGB triples, through a ColorTable. NaN maps to EMPTY_RGB. The
 * returned triples are shared between calls: do not modify them.
 */
export function sequentialRgb(domain: [number, number], interpolator: (t: number) => string = d3.interpolateViridis): RgbScale {
  const table = colorTable(domain, interpolator);
  const scale = (value: number): Rgb => {
    const step = stepOf(table, value);
    return step < 0 ? EMPTY_RGB : table.rgb[step];
  };
  return Object.assign(scale, { table });
}

/** Categorical colours of GPrune modules (module id → colour), Tableau 10. */
export function moduleColor(module: number): string {
  return d3.schemeTableau10[module % d3.schemeTableau10.length];
}

/** Writes one packed pixel per value from a colour table, with the steps of stepOf but no call and no allocation per cell. */
function fillFromTable(values: Float32Array, table: ColorTable, out: Uint32Array): void {
  const { packed, emptyPacked } = table;
  const [low, high] = table.domain;
  if (low === high) {
    for (let i = 0; i < values.length; i++) out[i] = Number.isNaN(values[i]) ? emptyPacked : packed[COLOR_TABLE_SIZE / 2];
    return;
  }
  const k = 1 / (high - low);
  const last = COLOR_TABLE_SIZE - 1;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value !== value) {
      out[i] = emptyPacked; // NaN
      continue;
    }
    const t = (value - low) * k;
    let step = 0;
    if (t >= 1) step = last;
    else if (t > 0) step = Math.floor(t * COLOR_TABLE_SIZE);
    out[i] = packed[step];
  }
}

/** RGBA pixels of a row-major value matrix, one pixel per cell; NaN cells get EMPTY_RGB. */
export function matrixToRgba(values: Float32Array, color: (value: number) => Rgb): Uint8ClampedArray<ArrayBuffer> {
  const pixels = new Uint8ClampedArray(values.length * 4);
  const table = (color as RgbScale).table;
  if (table) {
    fillFromTable(values, table, new Uint32Array(pixels.buffer));
    return pixels;
  }
  for (let i = 0; i < values.length; i++) {
    const [r, g, b] = Number.isNaN(values[i]) ? EMPTY_RGB : color(values[i]);
    pixels[4 * i] = r;
    pixels[4 * i + 1] = g;
    pixels[4 * i + 2] = b;
    pixels[4 * i + 3] = 255;
  }
  return pixels;
}
