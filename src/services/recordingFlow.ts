import type { Readable } from 'node:stream';
import { extensionFor } from '../core/audioSniff.js';
import { crashPoint } from '../core/crashPoints.js';
import type { TranscriptionEngine } from '../core/engine.js';
import { InvalidState, toHarkError } from '../core/errors.js';
import { transcriptionIdFor } from '../core/orphans.js';
import { Priority, RECORDING_STATES, type RecordingState } from '../core/types.js';
import type { ForegroundResult, ForegroundTranscriber } from '../queue/foreground.js';
import { salvageAudio } from '../transcription/salvage.js';
import type { HarkServices } from './services.js';

const STATE_KEY = 'recording_state';
const UPLOAD_KEY = 'recording_upload';

export interface FinishedRecording extends ForegroundResult {
  audioPath: string;
}

/** notes/YYYY-MM-DD/HHMMSS-voice-note.<ext>, in local time: the plan's naming. */
export function recordingLocation(at: Date): { folder: string; stem: string } {
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    folder: `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`,
    stem: `${pad(at.getHours())}${pad(at.getMinutes())}${pad(at.getSeconds())}-voice-note`,
  };
}

/**
 * The user's own recording: Idle → Recording (start) → Processing (the
 * finished recording is uploaded and transcribed in the foreground) → Idle.
 * The state is persisted, so a crash in the middle is noticed at the next
 * start and nothing recorded is lost.
 */
export class RecordingFlow {
  /**
   * @param inFlight Recordings being saved or transcribed, shared with the
   *   scanner's exclusions: it must not take them as orphans.
   */
  constructor(
    private readonly services: HarkServices,
    private readonly foreground: ForegroundTranscriber | null,
    private readonly engine: TranscriptionEngine | null,
    private readonly inFlight: Set<string> = new Set(),
  ) {
    services.events.on('recording-changed', ({ to }) => {
      void services.queue.setSetting(STATE_KEY, to).catch(() => {});
      this.holdModelWhileOpen(to);
    });
  }

  /** The recording's model, held loaded from the start of a recording until it is back to Idle. */
  private held: Promise<(() => void) | null> | null = null;

  /**
   * From Recording to Idle (through Processing) the foreground model stays loaded, whatever
   * --model-idle says: a recording longer than the idle time must not find its model freed
   * (and reloaded) when it ends. The idle time counts from the end of the recording.
   */
  private holdModelWhileOpen(state: RecordingState): void {
    if (state !== 'Idle') {
      this.held ??= this.engine?.keepLoaded?.().catch(() => null) ?? null;
      return;
    }
    const held = this.held;
    this.held = null;
    void held?.then((release) => release?.());
  }

  get state(): RecordingState {
    return this.services.recording.get();
  }

  start(): RecordingState {
    const { recording, log } = this.services;
    if (!recording.isIdle()) {
      throw new InvalidState(
        recording.get() === 'Recording'
          ? 'A recording is already in progress'
          : 'Hark is still transcribing your last recording',
      );
    }
    recording.set('Recording');
    // Have the model ready by the time the recording ends (pre-emption may have stopped it).
    this.engine
      ?.prewarm?.()
      .catch((error) => log.warn(`could not load the model ahead: ${toHarkError(error).message}`));
    return recording.get();
  }

  cancel(): RecordingState {
    const { recording } = this.services;
    if (recording.get() === 'Processing')
      throw new InvalidState('The recording is already being transcribed');
    recording.set('Idle');
    return recording.get();
  }

  /** Saves the uploaded recording under its dated name and transcribes it at once. */
  async finish(upload: Readable, tooLarge: () => boolean): Promise<FinishedRecording> {
    const { recording, notes, queue, clock } = this.services;
    if (recording.get() === 'Processing')
      throw new InvalidState('Hark is still transcribing your last recording');
    const at = new Date(clock.now());
    const { folder, stem } = recordingLocation(at);
    const temporary = notes.temporaryPath(folder);
    await queue.setSetting(UPLOAD_KEY, notes.relativeOf(temporary));
    let received: Awaited<ReturnType<typeof notes.receive>>;
    try {
      received = await notes.receive(upload, folder, tooLarge, temporary);
    } catch (error) {
      await queue.setSetting(UPLOAD_KEY, null);
      if (recording.get() === 'Recording') recording.set('Idle');
      throw error;
    }
    crashPoint('upload');
    const ext = extensionFor(received.format);
    const audioPath = notes.place(received.path, folder, (n) => `${stem}${n === 1 ? '' : `-${n}`}.${ext}`);
    this.inFlight.add(audioPath);
    try {
      const id = transcriptionIdFor(audioPath);
      const stat = notes.stat(audioPath);
      if (!stat) throw new Error(`recording ${audioPath} vanished as it arrived`);
      await queue.createForegroundTranscription(
        { source: 'recording', id, audioPath, recordedAt: at.getTime() },
        { fileSize: stat.size, fileMtimeMs: stat.mtimeMs },
      );
      await queue.setSetting(UPLOAD_KEY, null);
      const result = this.foreground ? await this.foreground.transcribe(id) : await this.queueForLater(id);
      return { ...result, audioPath };
    } finally {
      this.inFlight.delete(audioPath);
      if (recording.get() === 'Recording') recording.set('Idle');
    }
  }

  /** No engine to transcribe with now: the recording waits in the queue, first in line. */
  private async queueForLater(id: string): Promise<ForegroundResult> {
    const { queue } = this.services;
    const row = await queue.getTranscription(id);
    if (!row) throw new Error(`recording ${id} vanished`);
    const { task } = await queue.addTask({
      transcriptionId: id,
      audioPath: row.audioPath,
      source: 'recording',
      originalName: null,
      taskType: 'transcribe_recording',
      priority: Priority.High,
      fileSize: row.fileSize,
      fileMtimeMs: row.fileMtimeMs,
    });
    return {
      transcription: row,
      queuedTaskId: task?.id ?? null,
      error: 'no transcription engine is available now',
    };
  }

  /**
   * Start-up after a crash: the state goes back to Idle; a half-received
   * recording is finished (its readable part made a whole file: salvageAudio),
   * kept under its proper name and queued at High priority (when nothing of it
   * is readable, the engine says why); a recording
   * whose foreground transcription was cut short is queued the same way.
   */
  async recoverAfterCrash(): Promise<{ recovered: string[] }> {
    const { notes, queue, log } = this.services;
    const recovered: string[] = [];
    const persisted = await queue.getSetting(STATE_KEY);
    const upload = await queue.getSetting(UPLOAD_KEY);
    if (upload) {
      const temporary = notes.resolve(upload);
      const partStat = notes.stat(upload);
      if (partStat && partStat.size > 0) {
        const at = new Date(partStat.mtimeMs);
        const { stem } = recordingLocation(at);
        // The format from the bytes that arrived; MediaRecorder's usual webm when too few did.
        const ext = extensionFor(notes.sniff(upload) ?? 'webm');
        // Cut off mid-upload: what did arrive is made a whole file, so its words are transcribed
        // instead of the file failing as truncated.
        const kept = await salvageAudio(temporary, ext);
        if (kept !== null)
          log.info(`finished a recording cut off mid-upload: ${kept.toFixed(1)} s of audio kept`);
        const folder = upload.includes('/') ? upload.slice(0, upload.lastIndexOf('/')) : '';
        const audioPath = notes.place(temporary, folder, (n) => `${stem}${n === 1 ? '' : `-${n}`}.${ext}`);
        const id = transcriptionIdFor(audioPath);
        await queue.createForegroundTranscription({
          source: 'recording',
          id,
          audioPath,
          recordedAt: at.getTime(),
        });
        recovered.push(audioPath);
      } else {
        notes.remove(upload);
      }
      await queue.setSetting(UPLOAD_KEY, null);
    }
    for (const row of await this.unfinishedRecordings()) {
      const stat = notes.stat(row.audioPath);
      const { created } = await queue.addTask({
        transcriptionId: row.id,
        audioPath: row.audioPath,
        source: 'recording',
        originalName: null,
        taskType: 'transcribe_recording',
        priority: Priority.High,
        fileSize: stat?.size ?? null,
        fileMtimeMs: stat?.mtimeMs ?? null,
      });
      if (created && !recovered.includes(row.audioPath)) recovered.push(row.audioPath);
    }
    if (persisted && persisted !== 'Idle' && RECORDING_STATES.includes(persisted as RecordingState)) {
      log.info(
        `Hark stopped while ${persisted === 'Recording' ? 'recording' : 'transcribing a recording'}; state reset to Idle`,
      );
    }
    await queue.setSetting(STATE_KEY, 'Idle');
    if (recovered.length > 0)
      log.info(`recovered ${recovered.length} recording(s): ${recovered.join(', ')} (queued first)`);
    return { recovered };
  }

  private async unfinishedRecordings() {
    const { queue } = this.services;
    const rows = [];
    let cursor: string | null = null;
    do {
      const page = await queue.listTranscriptions({ limit: 200, cursor });
      rows.push(...page.transcriptions.filter((t) => t.source === 'recording' && t.status === 'pending'));
      cursor = page.nextCursor;
    } while (cursor);
    return rows;
  }
}
