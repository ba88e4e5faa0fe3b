import type { ChunkResult } from '../../core/engine.js';
import type { Checkpoint } from '../../core/store.js';
import { type ChunkRow, checkpointOf, chunkJson } from '../chunkRow.js';
import type { Db } from '../open.js';
import { immediate, stmt } from '../statements.js';

/**
 * Commits one finished chunk and moves the task's checkpoint to its end, in
 * one transaction, while `workerId` still holds the task. A crash after this
 * costs at most the chunk in flight.
 */
export function saveCheckpoint(
  db: Db,
  taskId: number,
  workerId: string,
  chunk: ChunkResult,
  progress: number,
  now: number,
): boolean {
  return immediate(db, () => {
    const moved = stmt(
      db,
      `UPDATE background_tasks
       SET checkpoint_seconds = @end, checkpoint_chunks = @index + 1, progress = @progress, locked_at = @now,
           lease_expires_at = @now + lease_ms
       WHERE id = @taskId AND status = 'processing' AND locked_by = @workerId AND checkpoint_chunks = @index`,
    ).run({ taskId, workerId, end: chunk.end, index: chunk.index, progress, now });
    if (moved.changes === 0) return false;
    stmt(
      db,
      `INSERT INTO task_chunks (task_id, chunk_index, start_sec, end_sec, segments)
       VALUES (@taskId, @index, @start, @end, @segments)`,
    ).run({
      taskId,
      index: chunk.index,
      start: chunk.start,
      end: chunk.end,
      segments: chunkJson(chunk),
    });
    return true;
  });
}

export function loadCheckpoint(db: Db, taskId: number): Checkpoint {
  const rows = stmt<[number], ChunkRow>(
    db,
    'SELECT end_sec, segments FROM task_chunks WHERE task_id = ? ORDER BY chunk_index',
  ).all(taskId);
  return checkpointOf(rows);
}

/** Forgets a task's checkpoint (its file changed, so the committed chunks describe other audio). */
export function clearCheckpoint(db: Db, taskId: number): void {
  immediate(db, () => {
    stmt(db, 'DELETE FROM task_chunks WHERE task_id = ?').run(taskId);
    stmt(
      db,
      'UPDATE background_tasks SET checkpoint_seconds = 0, checkpoint_chunks = 0, checkpoint_chunks_at_claim = 0 WHERE id = ?',
    ).run(taskId);
  });
}
