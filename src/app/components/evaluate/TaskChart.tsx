import * as d3 from 'd3';
import type { TaskScoreRow } from '../../../../workers/studio/api';
import { Axis } from '../views/Axis';

const SIZE = { width: 300, height: 180, left: 40, right: 10, top: 22, bottom: 36 };

/** Bars of acc per variant for one task, with ± 1 standard error whiskers and acc_norm as a tick. */
export function TaskChart({ task, rows }: { task: string; rows: readonly TaskScoreRow[] }) {
  const innerWidth = SIZE.width - SIZE.left - SIZE.right;
  const innerHeight = SIZE.height - SIZE.top - SIZE.bottom;
  const x = d3.scaleBand().domain(rows.map((r) => r.variant)).range([0, innerWidth]).padding(0.25);
  const y = d3.scaleLinear().domain([0, 1]).range([innerHeight, 0]);
  const color = d3.scaleOrdinal<string, string>().domain(rows.map((r) => r.variant)).range(d3.schemeTableau10);
  const clamp = (value: number) => Math.min(1, Math.max(0, value));

  return (
    <svg width={SIZE.width} height={SIZE.height} data-testid={`task-chart-${task}`} role="img" aria-label={`accuracy per variant on ${task}`}>
      <text x={SIZE.left} y={14} className="chart-title">
        {task}
      </text>
      <g transform={`translate(${SIZE.left},${SIZE.top})`}>
        <Axis scale={y} orient="left" ticks={4} format={(v) => `${Math.round(Number(v) * 100)}%`} />
        <Axis scale={x as unknown as d3.AxisScale<d3.NumberValue>} orient="bottom" transform={`translate(0,${innerHeight})`} />
        {rows.map((row) => {
          const left = x(row.variant) ?? 0;
          const middle = left + x.bandwidth() / 2;
          return (
            <g key={row.variant}>
              <rect className="task-bar" x={left} y={y(row.acc)} width={x.bandwidth()} height={innerHeight - y(row.acc)} fill={color(row.variant)}>
                <title>
                  {row.label}: acc {(row.acc * 100).toFixed(1)}% ± {(row.accStderr * 100).toFixed(1)}
                  {row.accNorm === null ? '' : `, acc_norm ${(row.accNorm * 100).toFixed(1)}%`}
                </title>
              </rect>
              <line x1={middle} x2={middle} y1={y(clamp(row.acc - row.accStderr))} y2={y(clamp(row.acc + row.accStderr))} stroke="currentColor" />
              {row.accNorm !== null && <line x1={left} x2={left + x.bandwidth()} y1={y(row.accNorm)} y2={y(row.accNorm)} stroke="currentColor" strokeDasharray="3 2" />}
            </g>
          );
        })}
      </g>
    </svg>
  );
}
