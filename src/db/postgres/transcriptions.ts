import type pg from 'pg';
import type { TranscriptionRepository } from '../../core/store.js';
import { inTransaction } from './pool.js';
import { adoptSidecar } from './queries/adoptSidecar.js';
import { completeRecording } from './queries/completeRecording.js';
import { createTranscription } from './queries/createTranscription.js';
import { deleteTranscription } from './queries/deleteTranscription.js';
import { getTranscription } from './queries/getTranscription.js';
import { knownAudioPaths } from './queries/knownAudioPaths.js';
import { listTranscriptions } from './queries/listTranscriptions.js';
import { markSidecar } from './queries/markSidecar.js';
import {
  audioStates,
  findByFingerprints,
  moveNote,
  setAudioMissing,
  setContentFingerprint,
} from './queries/noteFiles.js';
import { pendingSidecars } from './queries/pendingSidecars.js';
import { resolveAlternative } from './queries/resolveAlternative.js';
import { setAudioDuration } from './queries/setAudioDuration.js';
import { setFileFingerprint } from './queries/setFileFingerprint.js';
import { restoreNote, trashedBefore, trashNote } from './queries/trashNote.js';
import { updateNote } from './queries/updateNote.js';

/** The transcription aggregate on PostgreSQL (see postgresTasks). */
export function postgresTranscriptions(pool: pg.Pool): TranscriptionRepository {
  return {
    knownAudioPaths: () => knownAudioPaths(pool),
    adoptSidecars: (batch, now) =>
      inTransaction(pool, async (c) => {
        let adopted = 0;
        for (const sidecar of batch) if (await adoptSidecar(c, sidecar, now)) adopted++;
        return adopted;
      }),
    getTranscription: (id) => getTranscription(pool, id),
    listTranscriptions: (filter) => listTranscriptions(pool, filter),
    createTranscription: (input) => createTranscription(pool, input),
    completeRecording: (input) => inTransaction(pool, (c) => completeRecording(c, input)),
    deleteTranscription: (id) => deleteTranscription(pool, id),
    setFileFingerprint: (id, fileSize, fileMtimeMs) => setFileFingerprint(pool, id, fileSize, fileMtimeMs),
    pendingSidecars: () => pendingSidecars(pool),
    markSidecar: (transcriptionId, state) => markSidecar(pool, transcriptionId, state),
    updateNote: (id, patch, now) => inTransaction(pool, (c) => updateNote(c, id, patch, now)),
    resolveAlternative: (id, choice) => inTransaction(pool, (c) => resolveAlternative(c, id, choice)),
    trashNote: (id, files, now) => inTransaction(pool, (c) => trashNote(c, id, files, now)),
    restoreNote: (id) => inTransaction(pool, (c) => restoreNote(c, id)),
    trashedBefore: (cutoff) => trashedBefore(pool, cutoff),
    findByFingerprints: (fingerprints) => findByFingerprints(pool, fingerprints),
    moveNote: (id, audioPath, sidecarPath) =>
      inTransaction(pool, (c) => moveNote(c, id, audioPath, sidecarPath)),
    setContentFingerprint: (id, fingerprint) => setContentFingerprint(pool, id, fingerprint),
    setAudioDuration: (id, seconds) => setAudioDuration(pool, id, seconds),
    setAudioMissing: (ids, missing) => setAudioMissing(pool, ids, missing),
    audioStates: () => audioStates(pool),
  };
}
