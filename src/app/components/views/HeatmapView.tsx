import * as d3 from 'd3';
import { useMemo, useState } from 'react';
import type { AnalysisData } from '../../../../workers/studio/api';
import { type NeuronOrder, neuronOrder, packNeuronMatrix } from '../../../core/views/neuronMatrix';
import { sequentialRgb } from '../../render/colors';
import { useElementWidth } from '../../render/useElementWidth';
import { ColorLegend } from './ColorLegend';
import { HeatmapCanvas } from './HeatmapCanvas';
import { NeuronTooltip } from './NeuronTooltip';

/** Measure the heatmap colours by: one dataset's percentile rank, or a cross-dataset measure. */
type Measure = { kind: 'rank'; dataset: number } | { kind: 'sigma' | 'mu' | 'magnitude' };

interface MeasureView {
  layers: Float32Array[];
  domain: [number, number];
  interpolator: (t: number) => string;
  caption: string;
}

/** Parses a select value ('rank:2', 'sigma', …); null for a dataset index that no longer exists. */
function parseMeasure(key: string, datasets: number): Measure | null {
  if (key === 'sigma' || key === 'mu' || key === 'magnitude') return { kind: key };
  const dataset = Number(key.split(':')[1]);
  return Number.isInteger(dataset) && dataset >= 0 && dataset < datasets ? { kind: 'rank', dataset } : null;
}

function measureView(analysis: AnalysisData, measure: Measure): MeasureView {
  switch (measure.kind) {
    case 'rank':
      return { layers: analysis.ranks[measure.dataset], domain: [0, 1], interpolator: d3.interpolateViridis, caption: `rank r_d on ${analysis.datasets[measure.dataset]} (1 = most important)` };
    case 'sigma': {
      const max = d3.max(analysis.sigma, (layer) => d3.max(layer)) ?? 0.5;
      return { layers: analysis.sigma, domain: [0, Math.max(1e-6, max)], interpolator: d3.interpolateInferno, caption: 'σ, rank spread across datasets' };
    }
    case 'mu':
      return { layers: analysis.mu, domain: [0, 1], interpolator: d3.interpolateViridis, caption: 'μ, mean rank across datasets' };
    case 'magnitude': {
      const all = analysis.magnitude.flatMap((layer) => Array.from(layer));
      return { layers: analysis.magnitude, domain: [d3.quantile(all, 0.02) ?? -2, d3.quantile(all, 0.98) ?? 2], interpolator: d3.interpolateCividis, caption: 'm, mean z-score of the score' };
    }
  }
}

/** Renders the layer × neuron heatmap of importance per dataset and of the ranking spread σ, with hover details. */
export function HeatmapView({ analysis }: { analysis: AnalysisData }) {
  const [measureKey, setMeasureKey] = useState('rank:0');
  const [order, setOrder] = useState<NeuronOrder>('descending');
  const [hover, setHover] = useState<{ row: number; col: number; x: number; y: number } | null>(null);
  const [containerRef, width] = useElementWidth<HTMLDivElement>(900);

  const key = parseMeasure(measureKey, analysis.datasets.length) ? measureKey : 'rank:0';
  const view = useMemo(() => measureView(analysis, parseMeasure(key, analysis.datasets.length)!), [analysis, key]);
  // Columns sorted by μ line up the same neurons for every dataset and for σ.
  const columnOrder = useMemo(() => neuronOrder(analysis.mu, order), [analysis, order]);
  const matrix = useMemo(() => packNeuronMatrix(view.layers, columnOrder), [view, columnOrder]);
  const color = useMemo(() => sequentialRgb(view.domain, view.interpolator), [view]);
  const neuron = hover ? matrix.order[hover.row]?.[hover.col] : undefined;

  return (
    <div ref={containerRef} className="view">
      <div className="controls">
        <label className="field">
          <span>Colour by</span>
          <select
            value={key}
            data-testid="heatmap-measure"
            onChange={(e) => setMeasureKey(e.target.value)}
          >
            {analysis.datasets.map((name, d) => (
              <option key={name} value={`rank:${d}`}>
                Importance rank on {name}
              </option>
            ))}
            <option value="sigma">Ranking spread σ</option>
            <option value="mu">Mean rank μ</option>
            <option value="magnitude">Score magnitude m</option>
          </select>
        </label>
        <label className="field">
          <span>Neuron order</span>
          <select value={order} onChange={(e) => setOrder(e.target.value as NeuronOrder)}>
            <option value="descending">by mean rank μ, highest first</option>
            <option value="index">by neuron index</option>
          </select>
        </label>
        <ColorLegend domain={view.domain} interpolator={view.interpolator} caption={view.caption} />
      </div>
      <div style={{ position: 'relative' }}>
        <HeatmapCanvas matrix={matrix} color={color} width={width} rowHeight={Math.max(10, Math.min(48, 360 / Math.max(1, matrix.rows)))} onHover={setHover} testId="heatmap" />
        {hover && neuron !== undefined && <NeuronTooltip analysis={analysis} layer={hover.row} neuron={neuron} x={hover.x} y={hover.y} />}
      </div>
      <p className="caption">
        Metric {analysis.metric}. Each row is an FFN layer, each column a neuron. A neuron whose colour changes between datasets is distribution-sensitive; high σ marks
        it.
      </p>
    </div>
  );
}
