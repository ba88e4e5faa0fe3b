import type { Clock } from '../core/clock.js';
import { type TranscriptionEngine, textOfSegments } from '../core/engine.js';
import { toHarkError } from '../core/errors.js';
import type { Log } from '../core/log.js';
import { sidecarContent } from '../core/markdown.js';
import { type SidecarFormat, sidecarPathFor } from '../core/orphans.js';
import type { RecordingStateHolder } from '../core/recordingState.js';
import { taskTypeFor } from '../core/taskKinds.js';
import { Priority, type Transcription } from '../core/types.js';
import type { NotesFolder } from '../files/notesFolder.js';
import type { QueueManager } from './queueManager.js';
import type { Worker } from './worker.js';

export interface ForegroundDeps {
  queue: QueueManager;
  engine: TranscriptionEngine;
  recording: RecordingStateHolder;
  notes: NotesFolder;
  clock: Clock;
  /** The background worker, whose engine use the foreground waits out (it is pre-empted when leaving Idle). */
  worker: Worker | null;
  writeSidecars?: boolean;
  /** `txt` (default) or `md`: the transcript's text, or its Markdown export. */
  sidecarFormat?: SidecarFormat;
  log?: Log;
}

export interface ForegroundResult {
  transcription: Transcription;
  /** Set when the foreground attempt failed and the file went to the queue instead. */
  queuedTaskId: number | null;
  error: string | null;
}

/**
 * The user's own transcriptions: never queued behind background work. The
 * state moves to Processing (which pre-empts the background task), the
 * worker's engine call is waited out (an abort takes well under a second),
 * and the file is transcribed at once on the same engine, whose model is
 * already loaded. If it fails, the file is not lost: it goes to the
 * background queue at High priority.
 */
export class ForegroundTranscriber {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: ForegroundDeps) {}

  /** Transcribes a recording whose transcription row exists. Foreground jobs run one after another. */
  transcribe(transcriptionId: string): Promise<ForegroundResult> {
    const run = this.chain.then(() => this.run(transcriptionId));
    this.chain = run.catch(() => {});
    return run;
  }

  private async run(transcriptionId: string): Promise<ForegroundResult> {
    const { queue, engine, recording, notes, worker } = this.deps;
    const row = await queue.getTranscription(transcriptionId);
    if (!row) throw new Error(`transcription ${transcriptionId} is missing`);
    recording.set('Processing');
    try {
      await worker?.engineFree();
      const result = await engine.transcribe(notes.resolve(row.audioPath), {
        signal: new AbortController().signal,
      });
      const text = textOfSegments(result.segments);
      const outcome = text.length > 0 ? 'complete' : 'no_speech';
      const sidecarPath =
        outcome === 'complete' && this.deps.writeSidecars !== false
          ? sidecarPathFor(row.audioPath, this.deps.sidecarFormat)
          : null;
      const transcription = await queue.completeRecording(
        { id: transcriptionId, transcript: { ...result, text }, outcome, engine: engine.name, sidecarPath },
        async () => {
          if (!sidecarPath) return;
          try {
            // The Markdown's front matter is made from the committed row.
            const done = sidecarPath.endsWith('.md') ? await queue.getTranscription(transcriptionId) : null;
            const content = done ? sidecarContent(done, sidecarPath) : text;
            await queue.markSidecar(transcriptionId, notes.writeSidecar(sidecarPath, content));
          } catch (error) {
            this.deps.log?.warn(`could not write ${sidecarPath}: ${toHarkError(error).message}`);
          }
        },
      );
      return { transcription, queuedTaskId: null, error: null };
    } catch (error) {
      const message = toHarkError(error).message;
      this.deps.log?.warn(
        `transcribing ${row.audioPath} now failed (${message}); it goes to the background queue`,
      );
      const { task } = await queue.addTask({
        transcriptionId,
        audioPath: row.audioPath,
        source: row.source,
        originalName: row.originalName,
        taskType: taskTypeFor(row.source),
        priority: Priority.High,
        fileSize: row.fileSize,
        fileMtimeMs: row.fileMtimeMs,
      });
      const transcription = (await queue.getTranscription(transcriptionId)) ?? row;
      return { transcription, queuedTaskId: task?.id ?? null, error: message };
    } finally {
      recording.set('Idle');
    }
  }
}
