import * as d3 from 'd3';
import { memo, useCallback, useEffect, useMemo, useState } from 'react';
import type { NeuronMatrix } from '../../../core/views/neuronMatrix';
import { cellAt } from '../../../core/views/viewport';
import { type Rgb, matrixToRgba } from '../../render/colors';
import { drawHeatmap, matrixImage } from '../../render/drawHeatmap';
import { useCanvas } from '../../render/useCanvas';
import { Axis } from './Axis';
import { useViewport } from './useViewport';

const MARGIN = { left: 44, bottom: 30 };

/**
 * A zoomable layer × neuron heatmap: canvas cells, d3 axes, hover reporting the cell.
 * Wheel zooms the neuron axis (Shift: layers), drag pans, double click resets.
 */
export const HeatmapCanvas = memo(function HeatmapCanvas(props: {
  matrix: NeuronMatrix;
  color: (value: number) => Rgb;
  width: number;
  rowHeight: number;
  onHover: (cell: { row: number; col: number; x: number; y: number } | null) => void;
  testId: string;
}) {
  const { matrix, width } = props;
  const plotWidth = Math.max(100, width - MARGIN.left);
  const plotHeight = Math.max(40, Math.min(480, matrix.rows * props.rowHeight));
  const extent = useMemo(() => ({ cols: matrix.cols, rows: matrix.rows }), [matrix.cols, matrix.rows]);
  const { view, zoom, reset, handlers } = useViewport(extent);
  const [highlight, setHighlight] = useState<{ col: number; row: number } | null>(null);

  const image = useMemo(() => matrixImage(matrixToRgba(matrix.values, props.color), matrix.cols, matrix.rows), [matrix, props.color]);
  const draw = useCallback((ctx: CanvasRenderingContext2D) => drawHeatmap(ctx, { image, width: plotWidth, height: plotHeight, highlight }, view), [image, plotWidth, plotHeight, highlight, view]);
  const canvasRef = useCanvas(plotWidth, plotHeight, draw);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const listener = (event: WheelEvent) => handlers.onWheel(event, canvas);
    canvas.addEventListener('wheel', listener, { passive: false });
    return () => canvas.removeEventListener('wheel', listener);
  }, [canvasRef, handlers]);

  const xScale = useMemo(() => d3.scaleLinear().domain([view.x, view.x + view.width]).range([0, plotWidth]), [view, plotWidth]);
  const yScale = useMemo(() => d3.scaleLinear().domain([view.y, view.y + view.height]).range([0, plotHeight]), [view, plotHeight]);
  // Layers are bands; with many layers only every n-th is labelled.
  const layerScale = useMemo(() => {
    const first = Math.floor(view.y);
    const last = Math.ceil(view.y + view.height);
    return d3.scaleBand<number>().domain(d3.range(first, last)).range([yScale(first), yScale(last)]);
  }, [view, yScale]);
  const layerTicks = useMemo(() => {
    const domain = layerScale.domain();
    const every = Math.ceil(domain.length / Math.max(1, Math.floor(plotHeight / 14)));
    return domain.filter((_, i) => i % every === 0);
  }, [layerScale, plotHeight]);

  const hover = (event: React.PointerEvent<HTMLCanvasElement>) => {
    if (handlers.onPointerMoveDrag(event)) return;
    const rect = event.currentTarget.getBoundingClientRect();
    const cell = cellAt(view, extent, event.clientX - rect.left, event.clientY - rect.top, rect.width, rect.height);
    setHighlight(cell);
    props.onHover(cell && { ...cell, x: event.clientX - rect.left + MARGIN.left, y: event.clientY - rect.top });
  };

  return (
    <div className="heatmap" data-testid={props.testId}>
      <div className="zoom-buttons">
        <button type="button" onClick={() => zoom(2)} data-testid="zoom-in">
          Zoom in
        </button>
        <button type="button" onClick={() => zoom(0.5)}>
          Zoom out
        </button>
        <button type="button" onClick={reset}>
          Reset
        </button>
        <span className="hint">
          Neurons {Math.floor(view.x)}–{Math.ceil(view.x + view.width) - 1} of {matrix.cols}. Wheel zooms neurons, Shift+wheel zooms layers, drag pans, double click resets.
        </span>
      </div>
      <div className="plot" style={{ position: 'relative', width: plotWidth + MARGIN.left, height: plotHeight + MARGIN.bottom }}>
        <canvas
          ref={canvasRef}
          style={{ position: 'absolute', left: MARGIN.left, top: 0, cursor: 'crosshair', touchAction: 'none' }}
          onPointerDown={handlers.onPointerDown}
          onPointerMove={hover}
          onPointerUp={handlers.onPointerUp}
          onPointerLeave={() => {
            setHighlight(null);
            props.onHover(null);
          }}
          onDoubleClick={handlers.onDoubleClick}
        />
        <svg width={plotWidth + MARGIN.left} height={plotHeight + MARGIN.bottom} style={{ position: 'absolute', left: 0, top: 0, pointerEvents: 'none' }}>
          <Axis scale={xScale} orient="bottom" transform={`translate(${MARGIN.left},${plotHeight})`} format={(v) => d3.format('~s')(Math.floor(Number(v)))} />
          <Axis
            scale={layerScale as unknown as d3.AxisScale<d3.NumberValue>}
            orient="left"
            tickValues={layerTicks}
            transform={`translate(${MARGIN.left},0)`}
            format={(v) => `L${v}`}
          />
        </svg>
      </div>
    </div>
  );
});
