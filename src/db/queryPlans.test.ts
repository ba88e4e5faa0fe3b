import { describe, expect, it } from 'vitest';
import { migrate } from './migrate.js';
import { openDatabase } from './open.js';

/**
 * Without statistics SQLite may pick an index that needs a sort of every
 * pending task (it did: 250 claims a second at 20,000 tasks). These are the
 * queries that run per task or per page; none may scan the table or sort.
 */
const HOT_QUERIES: Record<string, string> = {
  claim: `SELECT id FROM background_tasks INDEXED BY background_tasks_claim_order
          WHERE status = 'pending' AND available_at <= 5 ORDER BY priority DESC, order_key, id LIMIT 1`,
  'front of a priority': `SELECT min(order_key) FROM background_tasks INDEXED BY background_tasks_claim_order
          WHERE status = 'pending' AND priority = 1`,
  'next backoff': `SELECT min(available_at) FROM background_tasks INDEXED BY background_tasks_claim_order
          WHERE status = 'pending' AND available_at > 5`,
  'failed page': `SELECT id FROM background_tasks INDEXED BY background_tasks_finished
          WHERE status = 'failed' AND completed_at IS NOT NULL AND (completed_at, id) < (9, 9) ORDER BY completed_at DESC, id DESC LIMIT 50`,
  'running tasks': `SELECT id FROM background_tasks WHERE status = 'processing' ORDER BY started_at`,
  'stale search rows': `SELECT seq FROM transcriptions INDEXED BY transcriptions_search_stale WHERE search_stale = 1`,
  'live task of a transcription': `SELECT id FROM background_tasks
          WHERE transcription_id = 'x' AND status IN ('pending', 'processing')`,
  'main list page': `SELECT t.* FROM transcriptions t
          WHERE (t.source = 'recording' OR t.status IN ('complete', 'no_speech'))
            AND (t.recorded_at, t.seq) < (9, 9) ORDER BY t.recorded_at DESC, t.seq DESC LIMIT 50`,
};

describe('query plans of the hot queries', () => {
  const db = openDatabase(':memory:');
  migrate(db);
  for (const [name, sql] of Object.entries(HOT_QUERIES)) {
    it(`${name}: uses an index, no full scan, no sort`, () => {
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map(
        (r) => r.detail,
      );
      expect(plan.join('\n')).not.toMatch(/TEMP B-TREE|^SCAN (background_tasks|transcriptions|t)$/m);
      expect(plan.join('\n')).toMatch(/USING (COVERING )?INDEX|USING INTEGER PRIMARY KEY/);
    });
  }
});
