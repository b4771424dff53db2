import { describe, expect, it } from 'vitest';
import { neuronOrder, packNeuronMatrix } from '../../src/core/views/neuronMatrix';

describe('packNeuronMatrix', () => {
  it('packNeuronMatrix() pads narrow layers with NaN', () => {
    const matrix = packNeuronMatrix([Float64Array.from([1, 2, 3]), Float64Array.from([4])]);
    expect(matrix.rows).toBe(2);
    expect(matrix.cols).toBe(3);
    expect(Array.from(matrix.values.slice(0, 4))).toEqual([1, 2, 3, 4]);
    expect(Number.isNaN(matrix.values[4])).toBe(true);
    expect(Number.isNaN(matrix.values[5])).toBe(true);
  });

  it('packNeuronMatrix(layers, order) lays out columns in the given order', () => {
    const key = [Float64Array.from([0.1, 0.9, 0.5, 0.9])];
    const order = neuronOrder(key, 'descending');
    expect(Array.from(order[0])).toEqual([1, 3, 2, 0]);
    const matrix = packNeuronMatrix([Float64Array.from([10, 11, 12, 13])], order);
    expect(Array.from(matrix.values)).toEqual([11, 13, 12, 10]);
    expect(matrix.order[0][0]).toBe(1);
  });

  it('neuronOrder(key, "index") keeps neuron order', () => {
    expect(Array.from(neuronOrder([Float64Array.from([3, 1, 2])], 'index')[0])).toEqual([0, 1, 2]);
  });
});
