import { HarkApp } from '../../src/app/harkApp.js';
import type { TranscriptionEngine } from '../../src/core/engine.js';
import { transcriptionIdFor } from '../../src/core/orphans.js';
import type { Task, Transcription } from '../../src/core/types.js';
import type { ScanResult } from '../../src/queue/scanner.js';
import { resolveConfig } from '../../src/services/config.js';
import { openServices } from '../../src/services/services.js';
import { ChunkedEngine } from '../../src/transcription/chunkedEngine.js';
import { PocketsphinxRecognizer } from '../../src/transcription/pocketsphinx.js';
import { captureLog } from './captureLog.js';

/** Hark's real offline engine, as `--engine pocketsphinx` builds it. */
export function pocketsphinxEngine(windowSeconds?: number): TranscriptionEngine {
  return new ChunkedEngine(new PocketsphinxRecognizer(), {
    language: 'en',
    ...(windowSeconds === undefined ? {} : { windowSeconds }),
  });
}

export interface HarkOn {
  app: HarkApp;
  /** What the first scan (the one `hark start` runs) found. */
  firstScan: ScanResult;
  /** Everything Hark logged. */
  logs: string[];
  task(audioPath: string): Promise<Task | undefined>;
  transcription(audioPath: string): Promise<Transcription | null>;
  allTasks(): Promise<Task[]>;
}

/**
 * A real Hark (lock, recovery, worker, first scan) on an existing notes
 * folder; the caller stops it (app.stop()). With `paused`, the queue is paused
 * before Hark starts, so the first scan queues everything and nothing runs
 * until the test resumes it.
 */
export async function startHarkOn(
  notes: string,
  data: string,
  options: { engine: TranscriptionEngine; paused?: boolean; settleMs?: number; watch?: boolean },
): Promise<HarkOn> {
  const config = resolveConfig({ notes, data }, {});
  const { log, lines: logs } = captureLog();
  if (options.paused) {
    const services = await openServices(config, { log });
    await services.queue.pause('set up by the test');
    await services.close();
  }
  let firstScan: ScanResult | undefined;
  const app = await HarkApp.start(config, {
    log,
    serve: false,
    watch: options.watch ?? false,
    engine: options.engine,
    ...(options.settleMs === undefined ? {} : { settleMs: options.settleMs }),
    onScan: (result) => {
      firstScan ??= result;
    },
  });
  if (!firstScan) throw new Error('Hark started without scanning');
  const { queue } = app.services;
  const allTasks = async () => (await queue.listTasks({ limit: 1000 })).tasks;
  return {
    app,
    firstScan,
    logs,
    allTasks,
    task: async (audioPath) => (await allTasks()).find((task) => task.audioPath === audioPath),
    transcription: (audioPath) => queue.getTranscription(transcriptionIdFor(audioPath)),
  };
}
