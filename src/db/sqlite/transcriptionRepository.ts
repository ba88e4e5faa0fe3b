import type { NotePatch } from '../../core/notes.js';
import type {
  AlternativeChoice,
  AudioState,
  NewTranscription,
  SidecarJob,
  TranscriptionFilter,
  TranscriptionPage,
  TranscriptionRepository,
  TranscriptResult,
  TrashedFiles,
} from '../../core/store.js';
import type { AdoptedSidecar, Transcription } from '../../core/types.js';
import type { Db } from '../open.js';
import { adoptSidecar } from '../queries/adoptSidecars.js';
import { knownAudioPaths } from '../queries/knownAudioPaths.js';
import {
  audioStates,
  findByFingerprints,
  moveNote,
  setAudioMissing,
  setContentFingerprint,
} from '../queries/noteFiles.js';
import { completeRecording, createTranscription } from '../queries/recordings.js';
import { resolveAlternative } from '../queries/resolveAlternative.js';
import { setAudioDuration } from '../queries/setAudioDuration.js';
import { markSidecar, pendingSidecars } from '../queries/sidecars.js';
import {
  deleteTranscription,
  getTranscription,
  listTranscriptions,
  setFileFingerprint,
} from '../queries/transcriptions.js';
import { restoreNote, trashedBefore, trashNote } from '../queries/trashNote.js';
import { updateNote } from '../queries/updateNote.js';
import { immediate } from '../statements.js';

/** The transcriptions in SQLite: the main list, recordings, sidecar transcripts. */
export class SqliteTranscriptionRepository implements TranscriptionRepository {
  constructor(private readonly db: Db) {}

  async knownAudioPaths(): Promise<Set<string>> {
    return knownAudioPaths(this.db);
  }

  async adoptSidecars(batch: readonly AdoptedSidecar[], now: number): Promise<number> {
    return immediate(this.db, () => batch.filter((sidecar) => adoptSidecar(this.db, sidecar, now)).length);
  }

  async getTranscription(id: string): Promise<Transcription | null> {
    return getTranscription(this.db, id);
  }

  async listTranscriptions(filter: TranscriptionFilter): Promise<TranscriptionPage> {
    return listTranscriptions(this.db, filter);
  }

  async createTranscription(input: NewTranscription): Promise<Transcription> {
    return createTranscription(this.db, input);
  }

  async completeRecording(input: TranscriptResult & { id: string }): Promise<Transcription> {
    return completeRecording(this.db, input);
  }

  async deleteTranscription(id: string): Promise<void> {
    deleteTranscription(this.db, id);
  }

  async setFileFingerprint(id: string, fileSize: number, fileMtimeMs: number): Promise<void> {
    setFileFingerprint(this.db, id, fileSize, fileMtimeMs);
  }

  async pendingSidecars(): Promise<SidecarJob[]> {
    return pendingSidecars(this.db);
  }

  async markSidecar(transcriptionId: string, state: 'written' | 'kept_existing'): Promise<void> {
    markSidecar(this.db, transcriptionId, state);
  }

  async updateNote(id: string, patch: NotePatch, now: number): Promise<Transcription> {
    return updateNote(this.db, id, patch, now);
  }

  async resolveAlternative(id: string, choice: AlternativeChoice): Promise<Transcription> {
    return resolveAlternative(this.db, id, choice);
  }

  async trashNote(id: string, files: TrashedFiles, now: number): Promise<Transcription> {
    return trashNote(this.db, id, files, now);
  }

  async restoreNote(id: string): Promise<Transcription> {
    return restoreNote(this.db, id);
  }

  async trashedBefore(cutoff: number): Promise<Transcription[]> {
    return trashedBefore(this.db, cutoff);
  }

  async findByFingerprints(fingerprints: readonly string[]): Promise<Transcription[]> {
    return findByFingerprints(this.db, fingerprints);
  }

  async moveNote(id: string, audioPath: string, sidecarPath: string | null): Promise<Transcription> {
    return moveNote(this.db, id, audioPath, sidecarPath);
  }

  async setAudioDuration(id: string, seconds: number): Promise<void> {
    setAudioDuration(this.db, id, seconds);
  }

  async setContentFingerprint(id: string, fingerprint: string): Promise<void> {
    setContentFingerprint(this.db, id, fingerprint);
  }

  async setAudioMissing(ids: readonly string[], missing: boolean): Promise<number> {
    return setAudioMissing(this.db, ids, missing);
  }

  async audioStates(): Promise<AudioState[]> {
    return audioStates(this.db);
  }
}
