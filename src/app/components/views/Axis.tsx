import * as d3 from 'd3';
import { useEffect, useRef } from 'react';

/** Draws a d3 axis into an SVG group, with the caller's scale. */
export function Axis(props: { scale: d3.AxisScale<d3.NumberValue>; orient: 'bottom' | 'left'; ticks?: number; format?: (value: d3.NumberValue) => string; tickValues?: number[]; transform?: string }) {
  const ref = useRef<SVGGElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const axis = props.orient === 'bottom' ? d3.axisBottom(props.scale) : d3.axisLeft(props.scale);
    axis.ticks(props.ticks ?? 6);
    if (props.format) axis.tickFormat(props.format);
    if (props.tickValues) axis.tickValues(props.tickValues);
    d3.select(ref.current).call(axis);
  }, [props.scale, props.orient, props.ticks, props.format, props.tickValues]);
  return <g ref={ref} transform={props.transform} className="axis" />;
}
