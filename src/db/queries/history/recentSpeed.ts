import type { SpeedSample } from '../../../core/etaTotal.js';
import type { Db } from '../../open.js';
import { stmt } from '../../statements.js';

/** The latest completed attempts by one engine and model that heard audio, newest first. */
export function recentSpeed(db: Db, engine: string, limit: number): SpeedSample[] {
  return stmt<[string, number], SpeedSample>(
    db,
    `SELECT started_at AS startedAt, ended_at AS endedAt, audio_seconds AS audioSeconds FROM task_attempts
     WHERE engine = ? AND outcome = 'completed' AND audio_seconds > 0 AND ended_at IS NOT NULL
     ORDER BY id DESC LIMIT ?`,
  ).all(engine, limit);
}
