import 'uplot/dist/uPlot.min.css';
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import type { ChartColors } from './themeColors';

export interface ChartSeries {
  label: string;
  color: string;
  bars?: boolean;
  format?: (value: number) => string;
}

const HEIGHT = 200;

/**
 * One uPlot chart over days. It is made again when its data, series or colours change,
 * and resized (not remade) as its container's width changes (a ResizeObserver).
 */
export function UPlotChart({
  title,
  data,
  series,
  colors,
  yLabel,
}: {
  title: string;
  data: uPlot.AlignedData;
  series: ChartSeries[];
  colors: ChartColors;
  yLabel?: string;
}) {
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const axis = {
      stroke: colors.muted,
      grid: { stroke: colors.grid, width: 1 },
      ticks: { stroke: colors.grid, width: 1 },
    };
    const bars = uPlot.paths.bars?.({ size: [0.6, 32] });
    const options: uPlot.Options = {
      width: Math.max(element.clientWidth, 200),
      height: HEIGHT,
      legend: { show: true },
      cursor: { points: { show: true } },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
      axes: [
        { ...axis, space: 60 },
        { ...axis, size: 48, ...(yLabel ? { label: yLabel, labelSize: 16 } : {}) },
      ],
      series: [
        { label: 'Day', value: (_u, v) => (v === null ? '—' : new Date(v * 1000).toLocaleDateString()) },
        ...series.map(
          (s): uPlot.Series => ({
            label: s.label,
            stroke: s.color,
            ...(s.bars && bars
              ? { paths: bars, fill: s.color, width: 0 }
              : { width: 2, points: { show: true } }),
            spanGaps: false,
            value: (_u, v) => (v === null ? '—' : s.format ? s.format(v) : String(v)),
          }),
        ),
      ],
    };
    const chart = new uPlot(options, data, element);
    const observer = new ResizeObserver(() => {
      chart.setSize({ width: Math.max(element.clientWidth, 200), height: HEIGHT });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.destroy();
    };
  }, [data, series, colors, yLabel]);

  return (
    <figure className="card stats-chart" aria-label={title}>
      <figcaption className="stats-chart__title">{title}</figcaption>
      <div ref={box} className="stats-chart__plot" />
    </figure>
  );
}
