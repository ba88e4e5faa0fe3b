import type { SpeedSample } from '../../../../core/etaTotal.js';
import type { Queryable } from '../../pool.js';

/** The latest completed attempts by one engine and model that heard audio, newest first. */
export async function recentSpeed(q: Queryable, engine: string, limit: number): Promise<SpeedSample[]> {
  const { rows } = await q.query<SpeedSample>(
    `SELECT started_at::double precision AS "startedAt", ended_at::double precision AS "endedAt",
            audio_seconds AS "audioSeconds" FROM task_attempts
     WHERE engine = $1 AND outcome = 'completed' AND audio_seconds > 0 AND ended_at IS NOT NULL
     ORDER BY id DESC LIMIT $2`,
    [engine, limit],
  );
  return rows;
}
