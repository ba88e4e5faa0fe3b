import { useEffect, useState } from 'react';

export interface ChartColors {
  text: string;
  muted: string;
  grid: string;
  accent: string;
  success: string;
  danger: string;
  warning: string;
}

/** The page's CSS variables (base.css), read at draw time so the charts follow light and dark. */
export function readChartColors(): ChartColors {
  const style = getComputedStyle(document.documentElement);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    text: read('--text', '#1b1f24'),
    muted: read('--muted', '#525d6b'),
    grid: read('--border', '#d3d9e1'),
    accent: read('--accent', '#2449b8'),
    success: read('--success', '#1b6b39'),
    danger: read('--danger', '#b3261e'),
    warning: read('--warning', '#7d5200'),
  };
}

/** The colours, read again when the system switches between light and dark. */
export function useChartColors(): ChartColors {
  const [colors, setColors] = useState(readChartColors);
  useEffect(() => {
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const onChange = () => setColors(readChartColors());
    media.addEventListener('change', onChange);
    return () => media.removeEventListener('change', onChange);
  }, []);
  return colors;
}
