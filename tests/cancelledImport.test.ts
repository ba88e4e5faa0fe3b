import { describe, expect, it } from 'vitest';
import type { QueueStatusJson, TaskJson } from '../src/core/json.js';
import { FakeEngine } from '../src/transcription/fakeEngine.js';
import { multipart, wavBuffer } from './helpers/multipart.js';
import { startTestApp } from './helpers/testApp.js';

describe('a cancelled import', () => {
  it('stays cancelled: the rescan that follows the import does not queue the file again', async () => {
    // A slow engine, so the import is still pending or running when the user cancels it.
    const t = await startTestApp({ engine: new FakeEngine({ msPerChunk: 60_000 }) });
    const upload = multipart([
      { field: 'file', filename: 'Team call.wav', contentType: 'audio/wav', content: wavBuffer(0.5) },
    ]);
    const imported = await t.request({ method: 'POST', url: '/api/imports', ...upload });
    expect(imported.statusCode).toBe(201);
    const [task] = (imported.json() as { tasks: TaskJson[] }).tasks;
    if (!task) throw new Error('nothing imported');

    const cancelled = await t.request({ method: 'POST', url: `/api/tasks/${task.id}/cancel` });
    expect(cancelled.json()).toMatchObject({ id: task.id, status: 'cancelled' });

    // What the watcher does a few seconds after the file appeared in imports/.
    await t.app.services.scanner.scan();

    const queue = (await t.request({ url: '/api/queue?limit=50' })).json() as QueueStatusJson;
    expect(queue.tasks.filter((other) => other.audio_path === task.audio_path)).toEqual([
      expect.objectContaining({ id: task.id, status: 'cancelled' }),
    ]);
    expect(queue).toMatchObject({ pending_count: 0, processing_count: 0 });
  });
});
