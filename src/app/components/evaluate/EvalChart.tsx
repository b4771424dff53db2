import * as d3 from 'd3';
import type { EvalResult } from '../../../../workers/studio/api';
import { Axis } from '../views/Axis';

const SIZE = { width: 620, height: 260, left: 56, right: 170, top: 10, bottom: 40 };

/** Grouped bars: perplexity per dataset, one bar per variant. */
export function EvalChart({ result }: { result: EvalResult }) {
  const datasets = [...new Set(result.rows.map((r) => r.dataset))];
  const variants = [...new Map(result.rows.map((r) => [r.variant, r.label])).entries()];
  const innerWidth = SIZE.width - SIZE.left - SIZE.right;
  const innerHeight = SIZE.height - SIZE.top - SIZE.bottom;
  const x = d3.scaleBand().domain(datasets).range([0, innerWidth]).padding(0.2);
  const inner = d3.scaleBand().domain(variants.map(([id]) => id)).range([0, x.bandwidth()]).padding(0.08);
  const y = d3.scaleLinear().domain([0, d3.max(result.rows, (r) => r.perplexity) ?? 1]).nice().range([innerHeight, 0]);
  const color = d3.scaleOrdinal<string, string>().domain(variants.map(([id]) => id)).range(d3.schemeTableau10);

  return (
    <svg width={SIZE.width} height={SIZE.height} data-testid="eval-chart" role="img" aria-label="perplexity per dataset and variant">
      <g transform={`translate(${SIZE.left},${SIZE.top})`}>
        <Axis scale={y} orient="left" ticks={5} />
        <Axis scale={x as unknown as d3.AxisScale<d3.NumberValue>} orient="bottom" transform={`translate(0,${innerHeight})`} />
        {result.rows.map((row) => (
          <rect key={`${row.variant}-${row.dataset}`} x={(x(row.dataset) ?? 0) + (inner(row.variant) ?? 0)} y={y(row.perplexity)} width={inner.bandwidth()} height={innerHeight - y(row.perplexity)} fill={color(row.variant)}>
            <title>
              {row.label} on {row.dataset}: perplexity {row.perplexity.toFixed(2)}
            </title>
          </rect>
        ))}
        {variants.map(([id, label], i) => (
          <g key={id} transform={`translate(${innerWidth + 12},${i * 18})`}>
            <rect width={12} height={12} fill={color(id)} />
            <text x={16} y={10}>
              {label.length > 24 ? `${label.slice(0, 23)}…` : label}
            </text>
          </g>
        ))}
        <text transform={`translate(-42,${innerHeight / 2}) rotate(-90)`} textAnchor="middle" className="axis-label">
          perplexity
        </text>
      </g>
    </svg>
  );
}
