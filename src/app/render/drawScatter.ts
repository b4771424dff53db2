/**
 * Draws the μ–σ scatter of one layer: one mark per neuron, coloured by module. Neurons of
 * unreliable modules are drawn as hollow rings so reliability reads without colour.
 */
import type { ScaleLinear } from 'd3';
import { moduleColor } from './colors';

export interface ScatterPoints {
  /** μ per neuron, ratio 0–1. */
  x: ArrayLike<number>;
  /** σ per neuron. */
  y: ArrayLike<number>;
  module: ArrayLike<number>;
  /** Reliability by module id. */
  reliable: readonly boolean[];
}

export interface ScatterFrame {
  width: number;
  height: number;
  xScale: ScaleLinear<number, number>;
  yScale: ScaleLinear<number, number>;
  /** Neuron to highlight, or -1. */
  highlight: number;
}

export function drawScatter(ctx: CanvasRenderingContext2D, points: ScatterPoints, frame: ScatterFrame): void {
  ctx.clearRect(0, 0, frame.width, frame.height);
  // Many neurons overlap; smaller, translucent marks keep dense regions readable.
  const radius = points.x.length > 2000 ? 1.5 : 3;
  ctx.globalAlpha = points.x.length > 2000 ? 0.5 : 0.8;
  for (let j = 0; j < points.x.length; j++) {
    const cx = frame.xScale(points.x[j]);
    const cy = frame.yScale(points.y[j]);
    const color = moduleColor(points.module[j]);
    ctx.beginPath();
    ctx.arc(cx, cy, radius, 0, 2 * Math.PI);
    if (points.reliable[points.module[j]] === false) {
      ctx.strokeStyle = color;
      ctx.lineWidth = 1;
      ctx.stroke();
    } else {
      ctx.fillStyle = color;
      ctx.fill();
    }
  }
  ctx.globalAlpha = 1;
  if (frame.highlight >= 0) {
    ctx.strokeStyle = '#000';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.arc(frame.xScale(points.x[frame.highlight]), frame.yScale(points.y[frame.highlight]), radius + 4, 0, 2 * Math.PI);
    ctx.stroke();
  }
}
