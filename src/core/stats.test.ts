import { describe, expect, it } from 'vitest';
import { computeStatistics, localDayOf, localEndOfDay } from './stats.js';
import type { TaskAttempt } from './store.js';

const DAY = 86_400_000;
const D1 = Date.UTC(2026, 10, 29);
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const utcEnd = (day: string) => Date.parse(`${day}T00:00:00Z`) + DAY;

let nextId = 1;
function attempt(
  taskId: number,
  startedAt: number,
  endedAt: number,
  outcome: TaskAttempt['outcome'],
  extra: Partial<TaskAttempt> = {},
): TaskAttempt {
  return {
    id: nextId++,
    taskId,
    transcriptionId: `t${taskId}`,
    worker: 'w',
    engine: 'whisper:base.en',
    startedAt,
    endedAt,
    outcome,
    errorKind: null,
    audioSeconds: null,
    ...extra,
  };
}

describe('statistics', () => {
  const input = {
    from: D1,
    to: D1 + 2 * DAY + 3_600_000, // three days, the last one an hour in
    dayOf: utcDay,
    endOfDay: utcEnd,
    totalAudioSeconds: 7_200,
    transcribed: [
      { transcribedAt: D1 + 1_000, duration: 60, engine: 'whisper:base.en' },
      { transcribedAt: D1 + 2_000, duration: 30, engine: 'pocketsphinx' },
      { transcribedAt: D1 + DAY + 5, duration: 90, engine: 'whisper:base.en' },
    ],
    attempts: [
      attempt(1, D1, D1 + 10_000, 'preempted', { audioSeconds: 20 }),
      attempt(1, D1 + 70_000, D1 + 100_000, 'completed', { audioSeconds: 40 }),
      attempt(2, D1 + DAY, D1 + DAY + 1_000, 'retrying', { errorKind: 'engine_crashed' }),
      attempt(2, D1 + DAY + 60_000, D1 + DAY + 61_000, 'failed', { errorKind: 'engine_crashed' }),
      attempt(3, D1 + DAY, D1 + DAY + 1_000, 'failed', { errorKind: 'unreadable_audio' }),
      attempt(4, D1 + 2 * DAY, D1 + 2 * DAY + 10, 'cancelled'),
    ],
    spans: [
      { createdAt: D1 - 5, completedAt: D1 + 100_000 },
      { createdAt: D1 + 10, completedAt: D1 + DAY + 61_000 },
      { createdAt: D1 + 20, completedAt: null },
    ],
  };

  it('counts audio and outcomes per local day, and queue length at each day’s end', () => {
    const stats = computeStatistics(input);
    expect(stats.days.map((d) => d.day)).toEqual(['2026-11-29', '2026-11-30', '2026-12-01']);
    expect(stats.days.map((d) => d.audioSeconds)).toEqual([90, 90, 0]);
    expect(stats.days.map((d) => [d.completed, d.failed, d.retried, d.cancelled])).toEqual([
      [1, 0, 0, 0],
      [0, 2, 1, 0],
      [0, 0, 0, 1],
    ]);
    expect(stats.days.map((d) => d.queueLength)).toEqual([2, 1, 1]);
    expect(stats.totalAudioSeconds).toBe(7_200);
  });

  it('time given up to recordings runs from the pre-emption to the next start', () => {
    expect(computeStatistics(input).days[0]?.pausedForRecordingsSeconds).toBe(60);
  });

  it('speed per engine and day: processing time over the audio it got through', () => {
    expect(computeStatistics(input).speed).toEqual([
      { engine: 'whisper', model: 'base.en', day: '2026-11-29', realTimeFactor: 40 / 60, audioSeconds: 60 },
    ]);
  });

  it('speed per engine AND model: two whisper models on one day are two series', () => {
    const attempts = [
      attempt(7, D1, D1 + 30_000, 'completed', { audioSeconds: 60 }),
      attempt(8, D1 + 40_000, D1 + 100_000, 'completed', { audioSeconds: 60, engine: 'whisper:small.en' }),
      attempt(9, D1 + 200_000, D1 + 210_000, 'completed', { audioSeconds: 100, engine: 'pocketsphinx' }),
    ];
    const speed = computeStatistics({ ...input, attempts }).speed;
    expect(speed.map((s) => [s.engine, s.model, s.realTimeFactor])).toEqual([
      ['whisper', 'base.en', 0.5],
      ['whisper', 'small.en', 1],
      ['pocketsphinx', null, 0.1],
    ]);
  });

  it('failures by kind, the commonest first, retries included', () => {
    expect(computeStatistics(input).failuresByKind).toEqual([
      { kind: 'engine_crashed', count: 2 },
      { kind: 'unreadable_audio', count: 1 },
    ]);
  });

  it('local days step over a change of the clocks', () => {
    const day = localDayOf(Date.UTC(2026, 2, 29, 12));
    expect(localDayOf(localEndOfDay(day))).not.toBe(day);
    expect(localEndOfDay(day) - localEndOfDay(localDayOf(localEndOfDay(day) - 1))).toBe(0);
  });
});
