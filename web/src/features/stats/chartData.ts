import type uPlot from 'uplot';
import type { StatsJson } from './api';

/** A day (YYYY-MM-DD) as uPlot's x value: seconds at local midnight, so the axis shows that date. */
export const daySeconds = (day: string) => new Date(`${day}T00:00:00`).getTime() / 1000;

export interface ChartsData {
  days: number[];
  audioHours: uPlot.AlignedData;
  outcomes: uPlot.AlignedData;
  queue: uPlot.AlignedData;
  engines: string[];
  speed: uPlot.AlignedData;
}

/** A speed series' name: the engine and its model ("whisper base.en"), or the engine alone. */
export function speedLabel(s: { engine: string; model: string | null }): string {
  return s.model ? `${s.engine} ${s.model}` : s.engine;
}

/** The statistics as uPlot's aligned columns: one x (the days), one column per series. */
export function chartsData(stats: StatsJson): ChartsData {
  const x = stats.days.map((d) => daySeconds(d.day));
  const index = new Map(stats.days.map((d, i) => [d.day, i]));
  const engines = [...new Set(stats.speed.map(speedLabel))].sort();
  const speed = engines.map((engine) => {
    const column: (number | null)[] = x.map(() => null);
    for (const s of stats.speed) {
      const i = index.get(s.day);
      if (speedLabel(s) === engine && i !== undefined) column[i] = s.real_time_factor;
    }
    return column;
  });
  return {
    days: x,
    audioHours: [x, stats.days.map((d) => d.audio_seconds / 3600)],
    outcomes: [
      x,
      stats.days.map((d) => d.completed),
      stats.days.map((d) => d.failed),
      stats.days.map((d) => d.retried),
    ],
    queue: [x, stats.days.map((d) => d.queue_length)],
    engines,
    speed: [x, ...speed],
  };
}
