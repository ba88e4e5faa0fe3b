import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { QueueStatusJson } from '../src/core/json.js';
import { nodeId } from '../src/core/nodeId.js';
import { SqliteStore } from '../src/db/sqliteStore.js';
import { startTestApp } from './helpers/testApp.js';
import { eventually } from './helpers/wait.js';

const SLOW = { duration: 600, chunkSeconds: 30, msPerChunk: 1000 };

describe('QueueStatus with several running tasks', () => {
  it('lists every running task, oldest claim first, each with its node, and cancels any of them', async () => {
    const t = await startTestApp({ files: { 'a.wav': SLOW, 'b.wav': SLOW } });
    const status = async () =>
      (await t.request({ url: '/api/queue?status=pending' })).json() as QueueStatusJson;
    const mine = await eventually(
      async () => (await status()).active_task ?? undefined,
      'the app’s own task running',
    );
    expect(mine.node).toMatch(/^.+:\d+:\d{4}-\d\d-\d\dT/);

    // Another node (another process on the same database here) takes the other file.
    const other = SqliteStore.open(join(t.data, 'hark.db'));
    try {
      const otherNode = nodeId('elsewhere', 77, Date.UTC(2026, 0, 1));
      const theirs = await other.tasks.claimNext(otherNode, Date.now());
      expect(theirs).not.toBeNull();
      await other.tasks.saveProgress(theirs?.id ?? 0, otherNode, 0.4, Date.now());
      const both = await eventually(async () => {
        const body = await status();
        return body.active_tasks.length === 2 && body;
      }, 'two running tasks');
      expect(both.active_task?.id).toBe(mine.id);
      expect(both.active_tasks.map((task) => [task.id, task.node])).toEqual([
        [mine.id, mine.node],
        [theirs?.id, otherNode],
      ]);
      expect(both.active_tasks[1]).toMatchObject({ status: 'processing', progress: 0.4 });
      // A task that is not running names no node.
      const all = (await t.request({ url: '/api/queue?status=completed' })).json() as QueueStatusJson;
      expect(all.tasks.every((task) => task.node === null)).toBe(true);

      expect((await t.request({ method: 'POST', url: `/api/tasks/${theirs?.id}/cancel` })).statusCode).toBe(
        200,
      );
      const after = await status();
      expect(after.active_tasks.map((task) => task.id)).toEqual([mine.id]);
    } finally {
      await other.close();
    }
  }, 30_000);
});
