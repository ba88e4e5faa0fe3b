import type { Queryable } from '../pool.js';

/** Sets several settings in one statement; a null value removes the key. */
export async function setSettings(
  q: Queryable,
  values: ReadonlyMap<string, string | null>,
  now: number,
): Promise<void> {
  const keys = [...values.keys()];
  await q.query(
    `WITH given AS (SELECT * FROM unnest($1::text[], $2::text[]) AS g (key, value)),
     removed AS (
       DELETE FROM app_state WHERE key IN (SELECT key FROM given WHERE value IS NULL)
     )
     INSERT INTO app_state (key, value, updated_at)
     SELECT key, value, $3 FROM given WHERE value IS NOT NULL
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    [keys, keys.map((key) => values.get(key) ?? null), now],
  );
}
