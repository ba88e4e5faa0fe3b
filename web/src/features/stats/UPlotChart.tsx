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
const HALF_DAY = 12 * 3600;

/** A y tick with the digits its size needs: a fast engine's speed is 0.002, not "0". */
function tickLabel(value: number): string {
  if (value === 0) return '0';
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(value))));
  return Number(value.toFixed(Math.min(digits, 6))).toString();
}

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
      scales: {
        // Half a day either side, so the first and last days' bars are drawn whole.
        x: { time: true, range: (_u, min, max) => [min - HALF_DAY, max + HALF_DAY] },
        y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
      },
      axes: [
        { ...axis, space: 60 },
        {
          ...axis,
          // Room for the longest tick label ("0.0003") beside the axis's own label.
          size: (_u, values) => 30 + Math.max(1, ...(values ?? []).map((v) => String(v).length)) * 7,
          values: (_u, splits) => splits.map(tickLabel),
          ...(yLabel ? { label: yLabel, labelSize: 16 } : {}),
        },
      ],
      series: [
        { label: 'Day', value: (_u, v) => (v === null ? '—' : new Date(v * 1000).toLocaleDateString()) },
        ...series.map(
          (s): uPlot.Series => ({
            label: s.label,
            stroke: s.color,
            ...(s.bars && bars
              ? { paths: bars, fill: s.color, width: 0, points: { show: false } }
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
