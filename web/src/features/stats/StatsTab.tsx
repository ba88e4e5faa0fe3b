import '../../styles/stats.css';
import { useMemo, useState } from 'react';
import { STATS_DAYS, type StatsDays, type StatsJson, useStats } from './api';
import { chartsData } from './chartData';
import { FailuresTable } from './FailuresTable';
import { useChartColors } from './themeColors';
import { type ChartSeries, UPlotChart } from './UPlotChart';

/** "2 h 5 min", "4 min 10 s", "12 s": audio time as people say it. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${s % 60} s`;
  return `${s} s`;
}

/** The Statistics view: the totals, four charts over the chosen days, and the failures by kind. */
export function StatsTab() {
  const [days, setDays] = useState<StatsDays>(30);
  const stats = useStats(days);
  return (
    <div className="stats">
      <div className="stats__toolbar">
        <label className="stats__days">
          Show the last{' '}
          <select value={days} onChange={(event) => setDays(Number(event.target.value) as StatsDays)}>
            {STATS_DAYS.map((n) => (
              <option key={n} value={n}>
                {n} days
              </option>
            ))}
          </select>
        </label>
      </div>
      {stats.data ? (
        <StatsBody stats={stats.data} />
      ) : stats.error ? (
        <p className="error-line" role="alert">
          The statistics could not be read: {stats.error.message}
        </p>
      ) : (
        <p className="loading-line">Loading the statistics…</p>
      )}
    </div>
  );
}

function StatsBody({ stats }: { stats: StatsJson }) {
  const colors = useChartColors();
  const data = useMemo(() => chartsData(stats), [stats]);
  const paused = stats.days.reduce((sum, d) => sum + d.paused_for_recordings_seconds, 0);
  const inRange = stats.days.reduce((sum, d) => sum + d.audio_seconds, 0);
  const done = stats.days.reduce((sum, d) => sum + d.completed, 0);

  const series = useMemo(() => {
    const hours: ChartSeries[] = [
      { label: 'Audio hours', color: colors.accent, bars: true, format: (v) => `${v.toFixed(2)} h` },
    ];
    const outcomes: ChartSeries[] = [
      { label: 'Completed', color: colors.success },
      { label: 'Failed', color: colors.danger },
      { label: 'Retried', color: colors.warning },
    ];
    const queue: ChartSeries[] = [{ label: 'Queue length', color: colors.accent }];
    const palette = [colors.accent, colors.success, colors.warning, colors.danger, colors.muted];
    const speed: ChartSeries[] = data.engines.map((engine, i) => ({
      label: engine,
      color: palette[i % palette.length] ?? colors.accent,
      format: (v) => `${v.toFixed(2)}×`,
    }));
    return { hours, outcomes, queue, speed };
  }, [colors, data.engines]);

  return (
    <>
      <section className="card stats__totals" aria-label="Totals">
        <p className="stats__total" data-testid="stats-total">
          Transcribed in all: <strong>{formatDuration(stats.total_audio_seconds)}</strong> of audio
        </p>
        <p className="stats__sub">
          Last {stats.days.length} days: {formatDuration(inRange)} in {done.toLocaleString()} tasks · gave way
          to recordings for {formatDuration(paused)}
        </p>
      </section>
      <div className="stats__charts">
        <UPlotChart
          title="Audio transcribed per day"
          data={data.audioHours}
          series={series.hours}
          colors={colors}
          yLabel="hours"
        />
        <UPlotChart
          title="Tasks per day by outcome"
          data={data.outcomes}
          series={series.outcomes}
          colors={colors}
          yLabel="tasks"
        />
        <UPlotChart
          title="Queue length over time"
          data={data.queue}
          series={series.queue}
          colors={colors}
          yLabel="tasks"
        />
        {series.speed.length > 0 ? (
          <UPlotChart
            title="Speed per engine and model (time per second of audio; lower is faster)"
            data={data.speed}
            series={series.speed}
            colors={colors}
            yLabel="× real time"
          />
        ) : (
          <section className="card stats-chart">
            <p className="stats-chart__title">Speed per engine and model</p>
            <p className="stats__empty">No finished tasks in these days yet.</p>
          </section>
        )}
      </div>
      <FailuresTable failures={stats.failures_by_kind} />
    </>
  );
}
