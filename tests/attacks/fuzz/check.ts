import { expect } from 'vitest';
import type { QueueStatusJson, TranscriptionJson } from '../../../src/core/json.js';
import type { TestApp } from '../../helpers/testApp.js';

export interface Answer {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

/**
 * The property every answer must have: never a server error, and on the API
 * every refusal is a JSON body naming the error with a message (what the UI
 * and the CLI show).
 */
export function expectSaneAnswer(method: string, url: string, answer: Answer): void {
  const what = `${method} ${url} → ${answer.statusCode} ${answer.body.slice(0, 300)}`;
  expect(answer.statusCode, what).toBeLessThan(500);
  if (!url.startsWith('/api') || answer.statusCode < 400 || method === 'HEAD') return;
  expect(String(answer.headers['content-type']), what).toMatch(/^application\/json/);
  const parsed = JSON.parse(answer.body) as { error?: unknown; message?: unknown };
  // The one structured refusal: an import that is already a note names it (the notes contract).
  const kind =
    typeof parsed.error === 'object' && parsed.error !== null
      ? (parsed.error as { kind?: unknown }).kind
      : parsed.error;
  expect(typeof kind, what).toBe('string');
  expect(typeof parsed.message, what).toBe('string');
  expect((parsed.message as string).length, what).toBeGreaterThan(0);
}

/** Real ids from the app, so generated requests reach the handlers, not just the validation. */
export async function knownIds(t: TestApp): Promise<{ taskIds: string[]; transcriptionIds: string[] }> {
  const queue = (await t.request({ url: '/api/queue?limit=500' })).json() as QueueStatusJson;
  const list = (await t.request({ url: '/api/transcriptions?limit=200' })).json() as {
    transcriptions: TranscriptionJson[];
  };
  return {
    taskIds: [...queue.tasks.map((task) => String(task.id)), '1', '0'],
    transcriptionIds: [...list.transcriptions.map((x) => x.id), '0123456789abcdef0123'],
  };
}

/** Waits until the worker has nothing left it may run now. */
export async function drained(t: TestApp): Promise<void> {
  const worker = t.app.worker;
  if (!worker) return;
  const idle = worker.nextIdle();
  worker.wake();
  await idle;
}
