import * as d3 from 'd3';
import { describe, expect, it } from 'vitest';
import { COLOR_TABLE_SIZE, EMPTY_RGB, type Rgb, colorTable, matrixToRgba, sequentialRgb } from '../../src/app/render/colors';

/** Computes the colour as d3 itself does: a clamped sequential scale whose CSS string d3.rgb parses. */
function d3Rgb(domain: [number, number], interpolator: (t: number) => string, value: number): Rgb {
  const color = d3.rgb(d3.scaleSequential(interpolator).domain(domain).clamp(true)(value));
  return [color.r, color.g, color.b];
}

/** Values across and beyond `domain`, bin edges of the 256 steps included. */
function probeValues([low, high]: [number, number]): number[] {
  const values: number[] = [low - 1, low, high, high + 5];
  for (let i = 0; i <= 2 * COLOR_TABLE_SIZE; i++) values.push(low + ((high - low) * i) / (2 * COLOR_TABLE_SIZE));
  for (let i = 0; i < 200; i++) values.push(low + (high - low) * ((i * 0.6180339887) % 1));
  return values;
}

describe('sequentialRgb', () => {
  for (const [name, interpolator] of [
    ['viridis', d3.interpolateViridis],
    ['inferno', d3.interpolateInferno],
  ] as const) {
    it(`sequentialRgb(domain, ${name}) returns d3's colour for every value`, () => {
      const domain: [number, number] = [0, 0.37];
      const scale = sequentialRgb(domain, interpolator);
      for (const value of probeValues(domain)) expect(scale(value), `value ${value}`).toEqual(d3Rgb(domain, interpolator, value));
    });
  }

  it('sequentialRgb(domain, cividis) stays within half a step of d3', () => {
    // cividis is a formula, not a 256-colour ramp, so each step shows the colour of its middle.
    const domain: [number, number] = [-2, 2];
    const scale = sequentialRgb(domain, d3.interpolateCividis);
    let maxDiff = 0;
    for (const value of probeValues(domain)) {
      const expected = d3Rgb(domain, d3.interpolateCividis, value);
      scale(value).forEach((channel, c) => (maxDiff = Math.max(maxDiff, Math.abs(channel - expected[c]))));
    }
    expect(maxDiff).toBeGreaterThan(0);
    expect(maxDiff).toBeLessThanOrEqual(2);
  });

  it('sequentialRgb() maps NaN to EMPTY_RGB', () => {
    expect(sequentialRgb([0, 1])(Number.NaN)).toEqual(EMPTY_RGB);
  });

  it('sequentialRgb() with a reversed domain runs the colours backwards', () => {
    const scale = sequentialRgb([1, 0]);
    expect(scale(1)).toEqual(d3Rgb([1, 0], d3.interpolateViridis, 1));
    expect(scale(0)).toEqual(d3Rgb([1, 0], d3.interpolateViridis, 0));
    expect(scale(0.9)).toEqual(d3Rgb([1, 0], d3.interpolateViridis, 0.9));
  });

  it('sequentialRgb() with a one-point domain maps every value to the middle colour', () => {
    const scale = sequentialRgb([3, 3]);
    expect(scale(3)).toEqual(d3Rgb([3, 3], d3.interpolateViridis, 3));
    expect(scale(-10)).toEqual(scale(10));
  });
});

describe('colorTable', () => {
  it('colorTable() packs each step as opaque RGBA bytes', () => {
    const table = colorTable([0, 1], d3.interpolateMagma);
    const bytes = new Uint8Array(table.packed.buffer);
    expect(table.packed.length).toBe(COLOR_TABLE_SIZE);
    for (const step of [0, 17, 128, COLOR_TABLE_SIZE - 1]) expect(Array.from(bytes.subarray(4 * step, 4 * step + 4))).toEqual([...table.rgb[step], 255]);
    expect(Array.from(new Uint8Array(Uint32Array.of(table.emptyPacked).buffer))).toEqual([...EMPTY_RGB, 255]);
  });
});

describe('matrixToRgba', () => {
  const values = Float32Array.from(probeValues([0, 1]).concat([Number.NaN, Number.NaN, Infinity, -Infinity]));

  /** Expected pixels computed cell by cell from d3. */
  function d3Pixels(domain: [number, number]): number[] {
    return Array.from(values).flatMap((value) => (Number.isNaN(value) ? [...EMPTY_RGB, 255] : [...d3Rgb(domain, d3.interpolateViridis, value), 255]));
  }

  it('matrixToRgba(values, sequentialRgb) writes d3 colours and EMPTY_RGB for NaN', () => {
    const pixels = matrixToRgba(values, sequentialRgb([0, 1]));
    expect(pixels.length).toBe(4 * values.length);
    expect(Array.from(pixels)).toEqual(d3Pixels([0, 1]));
  });

  it('matrixToRgba(values, plain function) calls it per cell', () => {
    const calls: number[] = [];
    const pixels = matrixToRgba(Float32Array.from([0.25, Number.NaN, 0.75]), (value) => {
      calls.push(value);
      return [Math.round(value * 100), 1, 2];
    });
    expect(calls).toEqual([0.25, 0.75]);
    expect(Array.from(pixels)).toEqual([25, 1, 2, 255, ...EMPTY_RGB, 255, 75, 1, 2, 255]);
  });

  it('matrixToRgba() gives the same pixels from the table and cell by cell', () => {
    const scale = sequentialRgb([-0.5, 2], d3.interpolatePlasma);
    const perCell = (value: number) => scale(value);
    expect(Array.from(matrixToRgba(values, scale))).toEqual(Array.from(matrixToRgba(values, perCell)));
  });
});
