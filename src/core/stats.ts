import type { TaskAttempt, TaskSpan, TranscribedAudio } from './store.js';

export interface DayStats {
  /** YYYY-MM-DD, in the machine's local time. */
  day: string;
  audioSeconds: number;
  completed: number;
  failed: number;
  retried: number;
  cancelled: number;
  /** Tasks waiting or running at the end of the day (now, for today). */
  queueLength: number;
  /** Time background work stood aside for the user's recordings. */
  pausedForRecordingsSeconds: number;
}

export interface EngineSpeed {
  /** The engine (`whisper`, `pocketsphinx`, `fake`, `command`). */
  engine: string;
  /** The model it ran (`base.en`, the command's program), or null for an engine with one model. */
  model: string | null;
  day: string;
  /** Processing time over audio time: 0.25 means four times faster than real time. */
  realTimeFactor: number;
  audioSeconds: number;
}

export interface Statistics {
  from: number;
  to: number;
  totalAudioSeconds: number;
  days: DayStats[];
  speed: EngineSpeed[];
  failuresByKind: { kind: string; count: number }[];
}

export interface StatisticsInput {
  from: number;
  to: number;
  /** The local calendar day of a moment: injected, so the rule stays pure. */
  dayOf: (ms: number) => string;
  /** The end of a local day (the first moment of the next one). */
  endOfDay: (day: string) => number;
  attempts: readonly TaskAttempt[];
  transcribed: readonly TranscribedAudio[];
  spans: readonly TaskSpan[];
  totalAudioSeconds: number;
}

function emptyDay(day: string): DayStats {
  return {
    day,
    audioSeconds: 0,
    completed: 0,
    failed: 0,
    retried: 0,
    cancelled: 0,
    queueLength: 0,
    pausedForRecordingsSeconds: 0,
  };
}

/** Every local day from `from` to `to`, in order (a day is added per step of a day's end). */
function daysBetween(input: StatisticsInput): string[] {
  const days: string[] = [];
  let at = input.from;
  while (at <= input.to && days.length < 1_000) {
    const day = input.dayOf(at);
    days.push(day);
    at = input.endOfDay(day);
  }
  return days;
}

/**
 * The statistics view's figures, from the history: audio transcribed per day,
 * tasks per day by outcome, speed per engine, failures by kind, time given up
 * to recordings (from each pre-empted attempt to the task's next start), and
 * queue length at each day's end.
 */
export function computeStatistics(input: StatisticsInput): Statistics {
  const dayList = daysBetween(input);
  const byDay = new Map(dayList.map((day) => [day, emptyDay(day)]));
  const dayStats = (ms: number) => byDay.get(input.dayOf(ms));

  for (const item of input.transcribed) {
    const stats = dayStats(item.transcribedAt);
    if (stats) stats.audioSeconds += item.duration;
  }

  const failures = new Map<string, number>();
  const speed = new Map<string, { engine: string; day: string; busyMs: number; audioSeconds: number }>();
  const nextStart = nextStartOfSameTask(input.attempts);
  for (const attempt of input.attempts) {
    const ended = attempt.endedAt;
    if (ended === null || attempt.outcome === null) continue;
    const stats = dayStats(ended);
    if (!stats) continue;
    if (attempt.outcome === 'completed') stats.completed += 1;
    else if (attempt.outcome === 'failed') stats.failed += 1;
    else if (attempt.outcome === 'retrying') stats.retried += 1;
    else if (attempt.outcome === 'cancelled') stats.cancelled += 1;
    if ((attempt.outcome === 'failed' || attempt.outcome === 'retrying') && attempt.errorKind) {
      failures.set(attempt.errorKind, (failures.get(attempt.errorKind) ?? 0) + 1);
    }
    if (attempt.outcome === 'preempted') {
      const resumed = nextStart.get(attempt.id) ?? input.to;
      stats.pausedForRecordingsSeconds += Math.max(0, resumed - ended) / 1000;
    }
    if (attempt.engine && attempt.audioSeconds && attempt.audioSeconds > 0) {
      const key = `${attempt.engine}\u0000${stats.day}`;
      const entry = speed.get(key) ?? { engine: attempt.engine, day: stats.day, busyMs: 0, audioSeconds: 0 };
      entry.busyMs += ended - attempt.startedAt;
      entry.audioSeconds += attempt.audioSeconds;
      speed.set(key, entry);
    }
  }

  for (const day of dayList) {
    const stats = byDay.get(day);
    if (!stats) continue;
    const at = Math.min(input.endOfDay(day), input.to);
    stats.queueLength = input.spans.filter(
      (span) => span.createdAt <= at && (span.completedAt === null || span.completedAt > at),
    ).length;
  }

  return {
    from: input.from,
    to: input.to,
    totalAudioSeconds: input.totalAudioSeconds,
    days: dayList.map((day) => byDay.get(day) ?? emptyDay(day)),
    speed: [...speed.values()].map((entry) => ({
      ...splitEngineName(entry.engine),
      day: entry.day,
      realTimeFactor: entry.busyMs / 1000 / entry.audioSeconds,
      audioSeconds: entry.audioSeconds,
    })),
    failuresByKind: [...failures.entries()]
      .map(([kind, count]) => ({ kind, count }))
      .sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind)),
  };
}

/** For each attempt, when the next attempt of the same task started (if one has). */
function nextStartOfSameTask(attempts: readonly TaskAttempt[]): Map<number, number> {
  const byTask = new Map<number, TaskAttempt[]>();
  for (const attempt of attempts) {
    const list = byTask.get(attempt.taskId) ?? [];
    list.push(attempt);
    byTask.set(attempt.taskId, list);
  }
  const next = new Map<number, number>();
  for (const list of byTask.values()) {
    list.sort((a, b) => a.startedAt - b.startedAt || a.id - b.id);
    list.forEach((attempt, i) => {
      const later = list[i + 1];
      if (later) next.set(attempt.id, later.startedAt);
    });
  }
  return next;
}

/**
 * The name engines go by (`whisper:base.en`, `command:vosk`, `pocketsphinx`) as an engine and
 * the model it ran, so speed is told apart per engine and model.
 */
export function splitEngineName(name: string): { engine: string; model: string | null } {
  const colon = name.indexOf(':');
  return colon < 0
    ? { engine: name, model: null }
    : { engine: name.slice(0, colon), model: name.slice(colon + 1) };
}

/** The machine's local day of a moment, as YYYY-MM-DD. */
export function localDayOf(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The first moment of the local day after `day`. */
export function localEndOfDay(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + 1).getTime();
}
