import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { QueueStatusJson, TranscriptionJson } from '../../src/core/json.js';
import { startHark, writeFakeAudio } from '../helpers/harkServer.js';
import { rawExchange } from '../helpers/rawHttp.js';
import { tempDir } from '../helpers/tmp.js';
import { eventually } from '../helpers/wait.js';
import { rawRequest } from './fuzz/rawRequests.js';

/**
 * Raw bytes over real sockets to `hark start` in its own process: what a
 * browser, curl or an attacker's script can send and inject cannot (bad
 * request lines, conflicting framing, pipelining). Whatever arrives, no
 * answer is a 5xx and the process is still there and answering afterwards.
 */
const RUNS = Math.ceil(Number(process.env.HARK_FUZZ_RUNS ?? 2_000) / 2);

describe('fuzzing over real sockets', () => {
  it(`survives ${RUNS} generated raw requests without a 5xx`, async () => {
    const dir = tempDir();
    const notes = join(dir, 'notes');
    mkdirSync(notes);
    writeFakeAudio(notes, 'done.wav', { text: 'hello' });
    writeFakeAudio(notes, 'broken.wav', { fail: 'unreadable' });
    const hark = await startHark({ notes, data: join(dir, 'data') });
    try {
      const base = `http://127.0.0.1:${hark.port}`;
      const headers = hark.authHeaders;
      const bearer = `Authorization: ${headers.authorization}`;
      // Mostly the right secret, so requests reach the handlers; and wrong, forged and no credentials.
      const credentials = [
        ...Array<string>(6).fill(bearer),
        'Authorization: Bearer wrong',
        `Cookie: hark_session=0123456789ab.${'A'.repeat(43)}`,
        '',
      ];
      const queue = await eventually(async () => {
        const status = (await (await fetch(`${base}/api/queue`, { headers })).json()) as QueueStatusJson;
        return status.completed_count + status.failed_count === 2 && status;
      }, 'the two files to be done');
      const list = (await (await fetch(`${base}/api/transcriptions`, { headers })).json()) as {
        transcriptions: TranscriptionJson[];
      };
      const known = {
        taskIds: queue.tasks.map((task) => String(task.id)),
        transcriptionIds: list.transcriptions.map((x) => x.id),
      };
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(rawRequest(hark.port, known, credentials), async (request) => {
          const exchange = await rawExchange(hark.port, request);
          for (const status of exchange.statuses) statuses.set(status, (statuses.get(status) ?? 0) + 1);
          const what = `${request.toString('latin1').slice(0, 200)} → ${exchange.raw.toString('latin1').slice(0, 200)}`;
          expect(
            exchange.statuses.filter((status) => status >= 500),
            what,
          ).toEqual([]);
        }),
        { numRuns: RUNS },
      );
      const tally = [...statuses].sort(([a], [b]) => a - b).map(([code, n]) => `${code}×${n}`);
      console.log(`fuzz (raw sockets): ${RUNS} requests, no 5xx: ${tally.join(' ')}`);
      // Some requests must get through to the handlers, or only the parser was being fuzzed.
      expect(statuses.get(200) ?? 0).toBeGreaterThan(RUNS / 20);
      expect(hark.child.exitCode).toBeNull();
      expect((await fetch(`${base}/api/health`, { headers })).status).toBe(200);
    } finally {
      const exit = await hark.stop();
      // A clean stop: the fuzzing left nothing that keeps the process from shutting down.
      expect(exit.code, exit.stderr).toBe(0);
    }
  }, 120_000);
});
