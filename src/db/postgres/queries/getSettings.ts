import type { Queryable } from '../pool.js';

/** The values of `keys` that are set. */
export async function getSettings(q: Queryable, keys: readonly string[]): Promise<Map<string, string>> {
  const { rows } = await q.query<{ key: string; value: string }>(
    'SELECT key, value FROM app_state WHERE key = ANY($1::text[])',
    [keys],
  );
  return new Map(rows.map((row) => [row.key, row.value]));
}
