import type { Queryable } from '../pool.js';

/** Records the size and mtime the audio file has now (it was replaced since it was queued). */
export async function setFileFingerprint(
  q: Queryable,
  id: string,
  fileSize: number,
  fileMtimeMs: number,
): Promise<void> {
  await q.query('UPDATE transcriptions SET file_size = $2, file_mtime_ms = $3 WHERE id = $1', [
    id,
    fileSize,
    fileMtimeMs,
  ]);
}
