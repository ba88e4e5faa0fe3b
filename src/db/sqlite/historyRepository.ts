import type { SpeedSample } from '../../core/etaTotal.js';
import type {
  AttemptEnd,
  HistoryRepository,
  TaskAttempt,
  TaskSpan,
  TranscribedAudio,
} from '../../core/store.js';
import type { Db } from '../open.js';
import { endAttempt } from '../queries/history/endAttempt.js';
import {
  attemptsSince,
  listAttempts,
  taskSpansSince,
  totalAudioSeconds,
  transcribedSince,
} from '../queries/history/readHistory.js';
import { recentSpeed } from '../queries/history/recentSpeed.js';
import { type StartAttemptInput, startAttempt } from '../queries/history/startAttempt.js';

/** Task attempts and the statistics' reads, in SQLite. */
export class SqliteHistoryRepository implements HistoryRepository {
  constructor(private readonly db: Db) {}

  async startAttempt(input: StartAttemptInput): Promise<number> {
    return startAttempt(this.db, input);
  }

  async endAttempt(id: number, end: AttemptEnd): Promise<void> {
    endAttempt(this.db, id, end);
  }

  async listAttempts(taskId: number): Promise<TaskAttempt[]> {
    return listAttempts(this.db, taskId);
  }

  async attemptsSince(since: number): Promise<TaskAttempt[]> {
    return attemptsSince(this.db, since);
  }

  async transcribedSince(since: number): Promise<TranscribedAudio[]> {
    return transcribedSince(this.db, since);
  }

  async totalAudioSeconds(): Promise<number> {
    return totalAudioSeconds(this.db);
  }

  async taskSpansSince(since: number): Promise<TaskSpan[]> {
    return taskSpansSince(this.db, since);
  }

  async recentSpeed(engine: string, limit: number): Promise<SpeedSample[]> {
    return recentSpeed(this.db, engine, limit);
  }
}
