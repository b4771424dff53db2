import * as d3 from 'd3';

/** Renders a horizontal colour ramp with a caption and the values at both ends. */
export function ColorLegend(props: { domain: [number, number]; interpolator: (t: number) => string; caption: string }) {
  const stops = d3.range(0, 1.0001, 0.1);
  const id = `ramp-${props.caption.replace(/\W+/g, '-')}`;
  return (
    <svg width={360} height={46} className="legend" role="img" aria-label={`${props.caption} from ${props.domain[0]} to ${props.domain[1]}`}>
      <defs>
        <linearGradient id={id}>
          {stops.map((t) => (
            <stop key={t} offset={`${t * 100}%`} stopColor={props.interpolator(t)} />
          ))}
        </linearGradient>
      </defs>
      <text x={0} y={11}>
        {props.caption}
      </text>
      <rect x={0} y={16} width={260} height={12} fill={`url(#${id})`} />
      <text x={0} y={42}>{formatEnd(props.domain[0])}</text>
      <text x={260} y={42} textAnchor="end">
        {formatEnd(props.domain[1])}
      </text>
    </svg>
  );
}

function formatEnd(value: number): string {
  return Math.abs(value) >= 100 || (Math.abs(value) < 0.01 && value !== 0) ? value.toExponential(1) : value.toFixed(2);
}
