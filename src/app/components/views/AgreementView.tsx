import * as d3 from 'd3';
import { useMemo, useState } from 'react';
import type { AnalysisData } from '../../../../workers/studio/api';
import { Axis } from './Axis';

const CELL = 64;

/** Dataset × dataset Spearman ρ of the importance scores, and the kept-set Jaccard overlap by depth. */
export function AgreementView({ analysis }: { analysis: AnalysisData }) {
  const [layer, setLayer] = useState<number | 'mean'>('mean');
  const matrix = layer === 'mean' ? analysis.spearman : analysis.spearmanPerLayer[layer];
  const color = d3.scaleSequential(d3.interpolateRdBu).domain([-1, 1]);
  const names = analysis.datasets;
  const labelWidth = 8 + 7 * Math.max(...names.map((n) => n.length));

  return (
    <div className="view agreement">
      <div>
        <h3>Spearman ρ of the {analysis.metric} scores</h3>
        <label className="field">
          <span>Layer</span>
          <select value={layer} onChange={(e) => setLayer(e.target.value === 'mean' ? 'mean' : Number(e.target.value))}>
            <option value="mean">mean over layers</option>
            {analysis.spearmanPerLayer.map((_, l) => (
              <option key={l} value={l}>
                Layer {l}
              </option>
            ))}
          </select>
        </label>
        {/* The rotated column labels reach right of the last column, so the width adds labelWidth. */}
        <svg width={2 * labelWidth + CELL * names.length} height={labelWidth + CELL * names.length} data-testid="spearman-matrix">
          {names.map((name, a) => (
            <g key={name}>
              <text x={labelWidth - 6} y={labelWidth + a * CELL + CELL / 2} textAnchor="end" dominantBaseline="middle">
                {name}
              </text>
              <text transform={`translate(${labelWidth + a * CELL + CELL / 2},${labelWidth - 6}) rotate(-40)`}>{name}</text>
              {names.map((_, b) => {
                const rho = matrix[a][b];
                return (
                  <g key={b} transform={`translate(${labelWidth + b * CELL},${labelWidth + a * CELL})`}>
                    <rect width={CELL - 2} height={CELL - 2} fill={Number.isNaN(rho) ? '#eee' : color(rho)} />
                    <text x={CELL / 2} y={CELL / 2} textAnchor="middle" dominantBaseline="middle" fill={Math.abs(rho) > 0.6 ? '#fff' : '#000'}>
                      {Number.isNaN(rho) ? '–' : rho.toFixed(2)}
                    </text>
                  </g>
                );
              })}
            </g>
          ))}
        </svg>
      </div>
      <OverlapChart analysis={analysis} />
    </div>
  );
}

const CHART = { width: 640, height: 260, left: 44, bottom: 36, top: 10, right: 250 };

/** Jaccard overlap by layer of the neurons each dataset alone would keep, one line per dataset pair. */
function OverlapChart({ analysis }: { analysis: AnalysisData }) {
  const layers = analysis.overlapPerLayer.length;
  const x = useMemo(() => d3.scaleLinear().domain([0, Math.max(1, layers - 1)]).range([0, CHART.width - CHART.left - CHART.right]), [layers]);
  const y = useMemo(() => d3.scaleLinear().domain([0, 1]).range([CHART.height - CHART.top - CHART.bottom, 0]), []);
  const colors = d3.schemeTableau10;
  return (
    <div>
      <h3>Kept-set overlap by depth</h3>
      <svg width={CHART.width} height={CHART.height} data-testid="overlap-chart">
        <g transform={`translate(${CHART.left},${CHART.top})`}>
          <Axis scale={x} orient="bottom" ticks={Math.min(layers, 10)} format={(v) => `L${v}`} transform={`translate(0,${y.range()[0]})`} />
          <Axis scale={y} orient="left" ticks={5} />
          {analysis.overlapPairs.map(([a, b], p) => {
            const line = d3.line<number[]>().x((_, l) => x(l)).y((row) => y(row[p]));
            return (
              <g key={`${a}-${b}`}>
                <path d={line(analysis.overlapPerLayer) ?? ''} fill="none" stroke={colors[p % colors.length]} strokeWidth={2} />
                <text x={x.range()[1] + 8} y={12 + p * 16} fill={colors[p % colors.length]}>
                  {analysis.datasets[a]} ∩ {analysis.datasets[b]}
                </text>
              </g>
            );
          })}
        </g>
        <text x={CHART.left + (CHART.width - CHART.left - CHART.right) / 2} y={CHART.height - 4} textAnchor="middle" className="axis-label">
          layer
        </text>
      </svg>
      <p className="caption">
        Each dataset alone keeps the top {Math.round(analysis.overlapKeepRatio * 100)}% of every layer by its own scores; 1 means the same neurons, 0 none in common.
      </p>
    </div>
  );
}
