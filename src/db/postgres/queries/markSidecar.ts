import type { Queryable } from '../pool.js';

export async function markSidecar(
  q: Queryable,
  transcriptionId: string,
  state: 'written' | 'kept_existing',
): Promise<void> {
  await q.query('UPDATE transcriptions SET sidecar_state = $2 WHERE id = $1', [transcriptionId, state]);
}
