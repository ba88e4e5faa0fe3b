import type { Queryable } from '../pool.js';

/** The sum of the trigger-kept change counters: it moves whenever a change to Hark's tables commits. */
export async function dataVersion(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ v: number }>('SELECT sum(v)::bigint AS v FROM data_versions');
  return rows[0]?.v ?? 0;
}
