import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TranscribeOptions, TranscriptionEngine } from '../src/core/engine.js';
import type { Task } from '../src/core/types.js';
import { ChunkedEngine } from '../src/transcription/chunkedEngine.js';
import { PocketsphinxRecognizer } from '../src/transcription/pocketsphinx.js';
import { multipart } from './helpers/multipart.js';
import { concatenate, SENTENCES, speak, wordErrorRate } from './helpers/speech.js';
import { startTestApp } from './helpers/testApp.js';
import { suiteDir } from './helpers/tmp.js';

/** Records every call the queue makes to the engine, and when each one ended. */
class SpyEngine implements TranscriptionEngine {
  readonly calls: {
    file: string;
    startAt: number;
    firstChunkIndex: number;
    endedAt?: number;
    outcome?: string;
  }[] = [];
  constructor(private readonly inner: TranscriptionEngine) {}
  get name() {
    return this.inner.name;
  }
  async transcribe(audioPath: string, options: TranscribeOptions) {
    const call: (typeof this.calls)[number] = {
      file: audioPath,
      startAt: options.startAt ?? 0,
      firstChunkIndex: options.firstChunkIndex ?? 0,
    };
    this.calls.push(call);
    try {
      const result = await this.inner.transcribe(audioPath, options);
      call.outcome = 'done';
      return result;
    } catch (error) {
      call.outcome = (error as Error).name;
      throw error;
    } finally {
      call.endedAt = Date.now();
    }
  }
  dispose() {
    return this.inner.dispose();
  }
}

const pocketsphinx = () => new ChunkedEngine(new PocketsphinxRecognizer(), { language: 'en' });

describe('user recordings first, with a real engine', () => {
  const fixtures = suiteDir('hark-priority-');
  let longFile: string;
  let recordingFile: string;
  let reference: Promise<string>;

  beforeAll(async () => {
    // A minute of generated speech, the eight sentences twice over: two windows, so that the
    // recording lands in the second and the resume starts from a real checkpoint.
    const spoken = SENTENCES.map((text, i) => speak(text, join(fixtures.path, `s${i}.wav`)));
    longFile = concatenate([...spoken, ...spoken], join(fixtures.path, 'long.wav'), 0.8);
    recordingFile = speak(
      'remember to call the dentist about the appointment on friday',
      join(fixtures.path, 'mine.wav'),
    );
    // What an uninterrupted run of the same engine makes of it: heard while the test runs, on the
    // second core (pocketsphinx hears on one), and awaited only where the test compares with it.
    // The reaction timed below is the app's: a kill and a requeue, milliseconds even so.
    const engine = pocketsphinx();
    reference = engine
      .transcribe(longFile, { signal: new AbortController().signal })
      .then((transcript) => transcript.text)
      .finally(() => engine.dispose());
    // An unhandled rejection before the test awaits it would be reported against the wrong test.
    reference.catch(() => {});
  }, 120_000);
  afterAll(async () => {
    await reference.catch(() => {});
    fixtures.remove();
  });

  it('stops background work within a second for a recording, transcribes the recording, then resumes from the checkpoint', async () => {
    const engine = new SpyEngine(pocketsphinx());
    const t = await startTestApp({ engine, files: {} });
    const { events } = t.app.services;
    // Queue the minute-long file and let the worker get into its second window.
    t.addFile('inbox/lecture.wav', readFileSync(longFile));
    const midway = events.waitFor(
      'task-update',
      (task) => task.checkpointSeconds > 0 && task.status === 'processing',
    );
    await t.app.services.scanner.scan();
    const { id } = await midway;

    // The user starts recording: the background engine must stop within a second.
    const requeued = events.waitFor('task-update', (task) => task.id === id && task.status === 'pending');
    const startedAt = Date.now();
    expect((await t.request({ method: 'POST', url: '/api/recordings/start' })).statusCode).toBe(200);
    const paused: Task = await requeued;
    const stoppedIn = Date.now() - startedAt;
    expect(stoppedIn).toBeLessThan(1000);
    expect(engine.calls[0]).toMatchObject({ startAt: 0, outcome: 'Aborted' });
    expect((engine.calls[0]?.endedAt ?? Number.POSITIVE_INFINITY) - startedAt).toBeLessThan(1000);
    expect(paused).toMatchObject({ preemptedCount: 1, attempts: 0 });
    const checkpoint = paused.checkpointSeconds;
    expect(checkpoint).toBeGreaterThan(0);

    // The recording is transcribed at once, on the same engine.
    const upload = multipart([
      { field: 'file', filename: 'blob', contentType: 'audio/wav', content: readFileSync(recordingFile) },
    ]);
    const response = await t.request({ method: 'POST', url: '/api/recordings', ...upload });
    expect(response.statusCode).toBe(201);
    const heard = (response.json() as { transcription: { transcription_text: string } }).transcription
      .transcription_text;
    expect(
      wordErrorRate('remember to call the dentist about the appointment on friday', heard),
    ).toBeLessThanOrEqual(0.3);
    expect(engine.calls[1]?.file).toMatch(/voice-note\.wav$/);

    // Back to Idle: the background task resumes from its checkpoint and completes.
    const done = events.waitFor('task-update', (task) => task.id === id && task.status === 'completed');
    const finished = await done;
    expect(finished).toMatchObject({ preemptedCount: 1, attempts: 1 });
    const resumed = engine.calls[2];
    expect(resumed).toMatchObject({ startAt: checkpoint, outcome: 'done' });
    expect(resumed?.firstChunkIndex).toBeGreaterThan(0);
    expect(engine.calls).toHaveLength(3);

    console.info(
      `[priority] pocketsphinx: background stopped ${stoppedIn} ms after the recording started; ` +
        `resumed at ${checkpoint} s of ${paused.duration ?? '?'} s`,
    );
    // The interrupted and resumed transcript matches an uninterrupted run, up to the words at the cut.
    const text = (await t.app.services.queue.getTranscription(finished.transcriptionId))?.text ?? '';
    const uninterrupted = await reference;
    const words = uninterrupted.split(' ').length;
    expect(wordErrorRate(uninterrupted, text)).toBeLessThanOrEqual(4 / words);
    // And both hear what was said.
    expect(wordErrorRate(Array(2).fill(SENTENCES.join(' ')).join(' '), text)).toBeLessThan(0.2);
  }, 180_000);
});
