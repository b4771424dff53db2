import * as d3 from 'd3';
import { useCallback, useMemo, useState } from 'react';
import type { AnalysisData } from '../../../../workers/studio/api';
import { moduleColor } from '../../render/colors';
import { drawScatter } from '../../render/drawScatter';
import { useCanvas } from '../../render/useCanvas';
import { useElementWidth } from '../../render/useElementWidth';
import { Axis } from './Axis';
import { NeuronTooltip } from './NeuronTooltip';

const MARGIN = { left: 52, right: 12, top: 10, bottom: 40 };
const HEIGHT = 340;

/** μ–σ scatter of one layer's neurons, coloured by module; hollow rings mark unreliable modules. */
export function ScatterView({ analysis }: { analysis: AnalysisData }) {
  const [layer, setLayer] = useState(0);
  const [hover, setHover] = useState<{ neuron: number; x: number; y: number } | null>(null);
  const [containerRef, width] = useElementWidth<HTMLDivElement>(700);
  const safeLayer = Math.min(layer, analysis.mu.length - 1);
  const plotWidth = Math.min(720, width) - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;

  const mu = analysis.mu[safeLayer];
  const sigma = analysis.sigma[safeLayer];
  const xScale = useMemo(() => d3.scaleLinear().domain([0, 1]).range([0, plotWidth]), [plotWidth]);
  const yScale = useMemo(() => d3.scaleLinear().domain([0, Math.max(0.05, d3.max(sigma) ?? 0)]).nice().range([plotHeight, 0]), [sigma, plotHeight]);
  const tree = useMemo(() => d3.quadtree<number>().x((j) => xScale(mu[j])).y((j) => yScale(sigma[j])).addAll(d3.range(mu.length)), [mu, sigma, xScale, yScale]);
  const points = useMemo(() => ({ x: mu, y: sigma, module: analysis.module[safeLayer], reliable: analysis.moduleReliable[safeLayer] }), [analysis, safeLayer, mu, sigma]);

  const draw = useCallback((ctx: CanvasRenderingContext2D) => drawScatter(ctx, points, { width: plotWidth, height: plotHeight, xScale, yScale, highlight: hover?.neuron ?? -1 }), [points, plotWidth, plotHeight, xScale, yScale, hover]);
  const canvasRef = useCanvas(plotWidth, plotHeight, draw);
  const modules = analysis.moduleReliable[safeLayer];

  return (
    <div ref={containerRef} className="view" data-testid="scatter">
      <div className="controls">
        <label className="field">
          <span>Layer</span>
          <select value={safeLayer} onChange={(e) => setLayer(Number(e.target.value))} data-testid="scatter-layer">
            {analysis.mu.map((_, l) => (
              <option key={l} value={l}>
                Layer {l}
              </option>
            ))}
          </select>
        </label>
        <ul className="module-legend">
          {modules.map((reliable, k) => (
            <li key={k}>
              <span className={reliable ? 'dot' : 'ring'} style={{ '--module-color': moduleColor(k) } as React.CSSProperties} /> module {k} ({reliable ? 'reliable' : 'unreliable'}): {analysis.moduleSource[safeLayer][k]}
            </li>
          ))}
        </ul>
      </div>
      <div style={{ position: 'relative', width: plotWidth + MARGIN.left + MARGIN.right, height: HEIGHT }}>
        <canvas
          ref={canvasRef}
          style={{ position: 'absolute', left: MARGIN.left, top: MARGIN.top }}
          onPointerMove={(event) => {
            const rect = event.currentTarget.getBoundingClientRect();
            const neuron = tree.find(event.clientX - rect.left, event.clientY - rect.top, 12);
            setHover(neuron === undefined ? null : { neuron, x: event.clientX - rect.left + MARGIN.left, y: event.clientY - rect.top + MARGIN.top });
          }}
          onPointerLeave={() => setHover(null)}
        />
        <svg width={plotWidth + MARGIN.left + MARGIN.right} height={HEIGHT} style={{ position: 'absolute', left: 0, top: 0, pointerEvents: 'none' }}>
          <Axis scale={xScale} orient="bottom" transform={`translate(${MARGIN.left},${MARGIN.top + plotHeight})`} />
          <Axis scale={yScale} orient="left" transform={`translate(${MARGIN.left},${MARGIN.top})`} />
          <text x={MARGIN.left + plotWidth / 2} y={HEIGHT - 4} textAnchor="middle" className="axis-label">
            μ, mean percentile rank across datasets
          </text>
          <text transform={`translate(12,${MARGIN.top + plotHeight / 2}) rotate(-90)`} textAnchor="middle" className="axis-label">
            σ, rank spread
          </text>
        </svg>
        {hover && <NeuronTooltip analysis={analysis} layer={safeLayer} neuron={hover.neuron} x={hover.x} y={hover.y} />}
      </div>
    </div>
  );
}
